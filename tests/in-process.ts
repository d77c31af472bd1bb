// The real app (every surface, every middleware) served in this process on 127.0.0.1: no child
// process, logs captured as parsed JSON lines.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Assistant } from '../src/assistant/assistant.js';
import { loadConfig, type Config } from '../src/config.js';
import { REDACT, type Logger } from '../src/log.js';
import { createApp } from '../src/server/app.js';
import type { Store } from '../src/store/types.js';

export interface InProcess {
  base: string;
  config: Config;
  assistant: Assistant;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function serveInProcess(env: Record<string, string> = {}, opts: { store?: Store } = {}): Promise<InProcess> {
  // Not process.env: the test's own settings only, and no .env file.
  const config = loadConfig({ LOG_LEVEL: 'info', ...env }, '/nonexistent/.env');
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log: Logger = pino({ level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } }, sink);
  const assistant = Assistant.create({
    ...(opts.store ? { store: opts.store } : {}),
    limits: { perUser: config.rate.perUser, perWorkspace: config.rate.perWorkspace, windowMs: 60_000 },
  });
  const { app } = createApp(config, assistant, log);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, config.host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    base: `http://${host}:${port}`,
    config,
    assistant,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

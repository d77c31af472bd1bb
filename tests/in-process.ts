// The real app (every surface, every middleware) served in this process on 127.0.0.1: no child
// process, logs captured as parsed JSON lines.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Assistant } from '../src/assistant/assistant.js';
import type { Knowledge } from '../src/knowledge/kb.js';
import type { Nlu } from '../src/nlu/understand.js';
import { loadConfig, type Config } from '../src/config.js';
import { REDACT, type Logger } from '../src/log.js';
import { createApp } from '../src/server/app.js';
import type { Store } from '../src/store/types.js';
import { assistant } from './helpers.js';

export interface InProcess {
  base: string;
  config: Config;
  assistant: Assistant;
  logs: Array<Record<string, unknown>>;
  /** As the out-of-process server's: waits until `count` log lines match (never a fixed time). */
  waitForLog(match: (line: Record<string, unknown>) => boolean, count?: number, timeoutMs?: number): Promise<Array<Record<string, unknown>>>;
  /** The surfaces as the server describes them at start-up. */
  surfaces: Array<{ name: string; enabled: boolean; note: string }>;
  close(): Promise<void>;
}

// Knowledge and the trained classifier are read-only once built: the one the helpers load, shared
// by every test file in a worker.
const core = (): { kb: Knowledge; nlu: Nlu } => assistant();

/** The assistant as the server builds it, with the test's settings and a captured log: for tests that drive a surface's SDK directly. */
export interface TestCore {
  config: Config;
  assistant: Assistant;
  log: Logger;
  logs: Array<Record<string, unknown>>;
  waitForLog: InProcess['waitForLog'];
}

export function testCore(env: Record<string, string> = {}, opts: { store?: Store } = {}): TestCore {
  // Not process.env: the test's own settings only, and no .env file.
  const config = loadConfig({ LOG_LEVEL: 'info', ...env }, '/nonexistent/.env');
  const logs: Array<Record<string, unknown>> = [];
  const waiting = new Set<() => void>();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
      for (const w of [...waiting]) w();
      done();
    },
  });
  const waitForLog: InProcess['waitForLog'] = (match, count = 1, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.filter(match);
        if (found.length < count) return;
        waiting.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiting.delete(check);
        reject(new Error(`waited ${timeoutMs} ms for ${count} log line(s)`));
      }, timeoutMs);
      waiting.add(check);
      check();
    });
  const log: Logger = pino({ level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } }, sink);
  const { kb, nlu } = core();
  const assistant = new Assistant(kb, nlu, {
    ...(opts.store ? { store: opts.store } : {}),
    limits: { perUser: config.rate.perUser, perWorkspace: config.rate.perWorkspace, windowMs: 60_000 },
  });
  return { config, assistant, log, logs, waitForLog };
}

export async function serveInProcess(env: Record<string, string> = {}, opts: { store?: Store } = {}): Promise<InProcess> {
  const { config, assistant, log, logs, waitForLog } = testCore(env, opts);
  const { app, surfaces } = createApp(config, assistant, log);
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
    waitForLog,
    surfaces: surfaces.map((x) => ({ name: x.name, ...x.describe() })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

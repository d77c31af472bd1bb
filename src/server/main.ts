// `npm start`: configuration, knowledge and classifier once, then the server, until a signal.

import type { AddressInfo } from 'node:net';
import type { Assistant } from '../assistant/assistant.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { DataFileError } from '../shared/file-error.js';
import { PageError } from '../knowledge/parse.js';
import { createLogger, logProcessWarnings } from '../log.js';
import { describeTarget, openStore } from '../store/open.js';
import type { Store } from '../store/types.js';

function fail(message: string): never {
  process.stderr.write(`codebot: ${message}\n`);
  process.exit(1);
}

export async function main(): Promise<void> {
  const t0 = performance.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`);
    throw err;
  }
  const log = createLogger(config.logLevel);
  logProcessWarnings(log);
  // The assistant loads once the settings are good, and the SDKs and the web server once the
  // knowledge is: a bad setting or a broken knowledge file is reported without a second of loading.
  const { Assistant } = await import('../assistant/assistant.js');

  let store: Store;
  try {
    store = await openStore(config.store.file, { stateTtlMs: config.store.stateTtlMs });
  } catch (err) {
    // (A PostgreSQL URL is shown without its password.)
    fail(`cannot start: CODEBOT_DB ${describeTarget(config.store.file)}: ${(err as Error).message}`);
  }
  const retention = async () => {
    try {
      const before = new Date(Date.now() - config.store.retentionDays * 24 * 3600 * 1000);
      log.info({ purged: await store.purge(before), before: before.toISOString() }, 'retention: purged old rows');
    } catch (err) {
      log.error({ err: { message: (err as Error).message } }, 'retention purge failed');
    }
  };
  await retention();
  setInterval(() => void retention(), 24 * 3600 * 1000).unref();
  // Conversation state past its idle time and Slack event ids past 10 minutes leave the disk too.
  const expire = async () => {
    try {
      const n = await store.expire();
      if (n.conversations + n.events > 0) log.debug({ expired: n }, 'expired conversation state and event ids removed');
    } catch (err) {
      log.error({ err: { message: (err as Error).message } }, 'expiring old conversation state failed');
    }
  };
  await expire();
  setInterval(() => void expire(), 5 * 60 * 1000).unref();

  let assistant: Assistant;
  try {
    assistant = Assistant.create({
      knowledgeDir: config.knowledgeDir,
      maxQuestionLength: config.maxQuestionLength,
      store,
      limits: { perUser: config.rate.perUser, perWorkspace: config.rate.perWorkspace, windowMs: 60_000 },
      onStoreError: (err, what) => log.error({ err: { message: err.message }, what }, 'store write failed; the answer still went out'),
    });
  } catch (err) {
    await store.close();
    if (err instanceof DataFileError || err instanceof PageError) fail(`cannot start: ${err.message}`);
    throw err;
  }

  const { createApp } = await import('./app.js');
  const { app, surfaces, inFlight } = createApp(config, assistant, log);
  const server = app.listen(config.port, config.host);
  server.on('error', (err: NodeJS.ErrnoException) => {
    fail(err.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is in use (set PORT)` : `cannot listen: ${err.message}`);
  });
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const base = `http://${host}:${port}`;
    const lines = surfaces.map((s) => {
      const { enabled, note } = s.describe();
      return `codebot: ${enabled ? 'on ' : 'off'} ${s.name}${enabled ? ` at ${base}${s.path}` : ''}: ${note}`;
    });
    lines.push(`codebot: store: ${describeTarget(config.store.file)} (audit kept ${config.store.retentionDays} days)`);
    lines.push(`codebot: ready at ${base} in ${Math.round(performance.now() - t0)} ms (${assistant.loaded().entries} guidance entries; /healthz, /readyz)`);
    process.stdout.write(`${lines.join('\n')}\n`);
    log.info({ port, host: config.host, env: config.env, knowledge: assistant.loaded().hash, startupMs: Math.round(performance.now() - t0) }, 'listening');
    for (const s of surfaces) void s.start();
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, inFlight: inFlight() }, 'stopping: no new connections, finishing requests');
    // Keep-alive connections with nothing in flight go now; busy ones finish, up to the timeout.
    server.close(() => {
      void Promise.allSettled(surfaces.map((s) => s.stop()))
        .then(() => store.close())
        .catch(() => undefined)
        .then(() => {
          log.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
    setTimeout(() => {
      log.warn({ inFlight: inFlight() }, 'shutdown timeout: closing the remaining connections');
      server.closeAllConnections();
      void store
        .close()
        .catch(() => undefined)
        .then(() => process.exit(0));
    }, config.shutdownTimeoutMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();

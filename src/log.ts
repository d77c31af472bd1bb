// Structured JSON logs (pino); readable lines when a person is watching a terminal.

import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Fields that could carry a secret or a token, wherever they appear in a log object. */
export const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.MicrosoftAppPassword',
  'MicrosoftAppPassword',
  'appPassword',
  '*.appPassword',
  'token',
  '*.token',
  'signingSecret',
  '*.signingSecret',
  'botToken',
  '*.botToken',
];

export function createLogger(level: string, pretty = process.stdout.isTTY === true): Logger {
  const options = { level, base: { service: 'codebot' }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (pretty) {
    try {
      // pino-pretty is optional at run time: without it the logs stay JSON.
      createRequire(import.meta.url).resolve('pino-pretty');
      return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' } } });
    } catch {
      // fall through to JSON
    }
  }
  return pino(options);
}

/**
 * Node's process warnings (a library's deprecation notice, such as node-postgres' on
 * `sslmode=require`) as log lines like any other, instead of plain text on stderr. Returns a
 * function that puts Node's own printing back.
 */
export function logProcessWarnings(log: Logger, proc: NodeJS.Process = process): () => void {
  const before = proc.listeners('warning');
  const onWarning = (w: Error & { code?: string }) => log.warn({ warning: { name: w.name, code: w.code, message: w.message } }, 'process warning');
  proc.removeAllListeners('warning');
  proc.on('warning', onWarning);
  return () => {
    proc.off('warning', onWarning);
    for (const l of before) proc.on('warning', l as (w: Error) => void);
  };
}

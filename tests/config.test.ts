import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv, '/nonexistent/.env');

describe('configuration', () => {
  it('defaults to a local, unauthenticated bot on 127.0.0.1:3978 with the web chat on and Slack off', () => {
    const c = load({});
    expect(c).toMatchObject({ port: 3978, host: '127.0.0.1', env: 'development', botFramework: { local: true }, webchat: { enabled: true }, slack: { enabled: false } });
  });
  it('reads credentials and turns off the web chat in production unless asked', () => {
    const c = load({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' });
    expect(c.botFramework).toMatchObject({ local: false, appId: 'id', appType: 'MultiTenant' });
    expect(c.webchat.enabled).toBe(false);
    expect(load({ NODE_ENV: 'production', MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw', CODEBOT_WEBCHAT: 'on' }).webchat.enabled).toBe(true);
  });
  it('names the variable that is wrong', () => {
    expect(() => load({ PORT: '99999' })).toThrow(new ConfigError('PORT: must be a whole number from 0 to 65535 (got "99999")'));
    expect(() => load({ MicrosoftAppId: 'id' })).toThrow(/^MicrosoftAppPassword: required when MicrosoftAppId is set$/);
    expect(() => load({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' })).toThrow(/MicrosoftAppTenantId/);
    expect(() => load({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/^SLACK_SIGNING_SECRET: required/);
    expect(() => load({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL:/);
  });
  it('does not echo secret values in errors', () => {
    let message = '';
    try {
      load({ MicrosoftAppId: 'id', SLACK_SIGNING_SECRET: 'shh-secret' });
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/MicrosoftAppPassword: required/);
    expect(message).not.toContain('shh-secret');
  });
});

describe('process warnings', () => {
  it('become JSON log lines, not plain text on stderr', async () => {
    const { Writable } = await import('node:stream');
    const { default: pino } = await import('pino');
    const { logProcessWarnings } = await import('../src/log.js');
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l.startsWith('{')) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const restore = logProcessWarnings(pino(sink));
    process.stderr.write = ((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      process.emitWarning('The SSL modes are treated as aliases for verify-full', { type: 'SecurityWarning', code: 'TEST_SSL' });
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.stderr.write = write;
      restore();
    }
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'process warning', warning: { name: 'SecurityWarning', code: 'TEST_SSL', message: 'The SSL modes are treated as aliases for verify-full' } })]);
    expect(stderr.join('')).not.toContain('SSL modes');
  });
});

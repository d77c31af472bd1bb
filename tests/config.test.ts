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

// A full conversation with real-looking secrets configured: no secret in logs, replies, errors or the database.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeConnector, mention, teamsActivity } from './fake-connector.js';
import { eventBody, FakeSlack, signed } from './fake-slack.js';
import { directLineAsk, startServer, tempDb } from './server-helpers.js';

const SECRETS = {
  MicrosoftAppPassword: 'Qx8Q~realLookingAzureSecret.Value_123456',
  SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
  SLACK_BOT_TOKEN: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
};

describe('secrets', () => {
  it('never appear in logs, replies or the database through a whole conversation', async () => {
    const slack = await new FakeSlack().start();
    const connector = await new FakeConnector().start();
    const db = tempDb();
    const s = await startServer({
      LOG_LEVEL: 'trace',
      CODEBOT_DB: db,
      MicrosoftAppId: '00000000-0000-0000-0000-0000000000aa',
      CODEBOT_WEBCHAT: 'on',
      SLACK_API_URL: `${slack.base}/api/`,
      ...SECRETS,
    });
    // Slack: a mention, a follow-up, a bad signature.
    await fetch(`${s.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000020.000100', text: '<@UBOT> how do I code percutaneous RFA of liver mets?' }), 'application/json', { secret: SECRETS.SLACK_SIGNING_SECRET }));
    await fetch(`${s.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000020.000200', thread_ts: '1700000020.000100', text: '<@UBOT> why Y53?' }), 'application/json', { secret: SECRETS.SLACK_SIGNING_SECRET }));
    await fetch(`${s.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000020.000300', text: 'x' }), 'application/json', { secret: 'wrong' }));
    await slack.waitFor(0, 2);
    // Teams with auth configured: refused without a token (no secret in the refusal either).
    const teams = await fetch(`${s.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsActivity(connector.url, mention('what is J12.4'))) });
    const refusal = await teams.text();
    // The local web chat, through the same bot.
    const [answer] = await directLineAsk(s.base, 'what is Y53.9?');
    await s.stop();
    const dir = path.dirname(db);
    const stored = readdirSync(dir).map((n) => readFileSync(path.join(dir, n)).toString('latin1')).join('');
    // The bot token rightly goes to Slack's Web API; what Slack is sent as message content must not carry it.
    const posted = JSON.stringify(slack.calls.map((c) => ({ text: c.body.text, blocks: c.body.blocks })));
    const seen = [s.stdout(), s.stderr(), refusal, JSON.stringify(answer), posted, stored].join('\n');
    for (const [name, value] of Object.entries(SECRETS)) expect(seen.includes(value), name).toBe(false);
    expect(s.stdout()).toMatch(/"msg":"answered"/);
    await slack.stop();
    await connector.stop();
  }, 30_000);
});

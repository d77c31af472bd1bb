// Slack end to end, offline: the real Bolt app in the real server, signed Slack-shaped requests,
// and a fake Slack Web API on 127.0.0.1 (SLACK_API_URL) recording what the bot posts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, FakeSlack, formBody, signed, SIGNING_SECRET } from './fake-slack.js';
import { serveInProcess, type InProcess } from './in-process.js';
import { startServer } from './server-helpers.js';

const JSON_TYPE = 'application/json';
const FORM = 'application/x-www-form-urlencoded';
const blocksText = (c: { body: Record<string, unknown> }) => JSON.stringify(c.body.blocks ?? []);

// In process (the real app, every middleware): the restart test below is the one that starts `npm start`'s process.
describe('Slack', () => {
  let s: InProcess;
  let slack: FakeSlack;
  const send = (body: string, type: string, opts?: Parameters<typeof signed>[2]) => fetch(`${s.base}/slack/events`, signed(body, type, opts));

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    s = await serveInProcess({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/` });
  });
  afterAll(async () => {
    await s.close();
    await slack.stop();
  });

  it('says at start-up that Slack is on, in HTTP mode, at the fake Web API', () => {
    expect(s.surfaces.find((x) => x.name === 'Slack')).toMatchObject({ enabled: true, note: expect.stringMatching(/^HTTP mode, signed requests only; Web API at http:\/\/127\.0\.0\.1/) });
  });

  it('answers url_verification', async () => {
    const res = await send(JSON.stringify({ type: 'url_verification', challenge: 'chal-123', token: 't' }), JSON_TYPE);
    expect(await res.json()).toEqual({ challenge: 'chal-123' });
  });

  it('answers a mention in a thread under the question, with the codes and the citation in blocks', async () => {
    const from = slack.calls.length;
    const res = await send(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000100', text: '<@UBOT> how do I code percutaneous RFA of liver mets?' }), JSON_TYPE);
    expect(res.status).toBe(200);
    const [post] = await slack.waitFor(from, 1);
    expect(post!.method).toBe('chat.postMessage');
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000100' });
    const blocks = blocksText(post!);
    for (const c of ['J12.4', 'Y53.9', 'C78.7', 'IPG327', 'https://www.nice.org.uk/guidance/ipg327']) expect(blocks).toContain(c);
    expect(String(post!.body.text)).toMatch(/J12\.4/);
    expect((post!.body.blocks as unknown[]).length).toBeLessThanOrEqual(50);
  });

  it('threads under the parent when the mention is itself a reply, and follows up in context', async () => {
    const from = slack.calls.length;
    await send(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000300', text: '<@UBOT> microwave ablation of HCC codes' }), JSON_TYPE);
    await slack.waitFor(from, 1);
    await send(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000400', thread_ts: '1700000000.000300', text: '<@UBOT> and if it was done laparoscopically?' }), JSON_TYPE);
    const posts = await slack.waitFor(from, 2);
    expect(posts[1]!.body.thread_ts).toBe('1700000000.000300');
    expect(blocksText(posts[1]!)).toContain('J08.3');
    expect(blocksText(posts[1]!)).not.toContain('J03.2');
  });

  it('answers a direct message in the DM, and ignores edits, bots and its own messages', async () => {
    const from = slack.calls.length;
    await send(eventBody({ type: 'message', channel_type: 'im', user: 'U1', channel: 'D1', ts: '1700000000.000500', text: 'what is Y53.9?' }), JSON_TYPE);
    await send(eventBody({ type: 'message', channel_type: 'im', subtype: 'message_changed', channel: 'D1', ts: '1700000000.000501', message: { text: 'what is J12.4' } }), JSON_TYPE);
    await send(eventBody({ type: 'message', channel_type: 'im', bot_id: 'BOTHER', user: 'U9', channel: 'D1', ts: '1700000000.000502', text: 'what is J12.4' }), JSON_TYPE);
    await send(eventBody({ type: 'message', channel_type: 'im', user: 'UBOT', channel: 'D1', ts: '1700000000.000503', text: 'what is J12.4' }), JSON_TYPE);
    // Each ignored one is logged with why; then nothing more can come of them.
    const ignored = await s.waitForLog((l) => l.msg === 'direct message not answered' && l.channel === 'D1', 3);
    expect(ignored.map((l) => l.reason)).toEqual(expect.arrayContaining(['subtype message_changed', 'from a bot', 'from codebot']));
    await slack.waitFor(from, 1);
    const posts = slack.posts(from);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('D1');
    expect(posts[0]!.body.thread_ts).toBeUndefined();
    expect(blocksText(posts[0]!)).toContain('Unspecified approach to organ under image control');
  });

  it('does not answer a retry twice, but answers a retry of a delivery it never processed', async () => {
    const from = slack.calls.length;
    const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000600', text: '<@UBOT> what is J12.7' }, 'EvRetry1');
    await send(body, JSON_TYPE);
    await slack.waitFor(from, 1);
    // A retry is dropped as a duplicate event or, signed in the same second, as a replayed request.
    const dropped = (l: Record<string, unknown>) => (l.msg === 'duplicate event ignored' && l.event === 'EvRetry1') || l.msg === 'replayed Slack request ignored';
    const before = s.logs.filter(dropped).length;
    await send(body, JSON_TYPE, { retry: 1 });
    await send(body, JSON_TYPE, { retry: 2 });
    await s.waitForLog(dropped, before + 2);
    expect(slack.posts(from)).toHaveLength(1);
    // First delivery lost on the way: its retry is the first this server sees.
    await send(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000700', text: '<@UBOT> what is J12.8' }, 'EvLost1'), JSON_TYPE, { retry: 1 });
    const posts = await slack.waitFor(from, 2);
    expect(blocksText(posts[1]!)).toContain('J12.8');
  });

  it('escapes everything from the user so nothing pings or links', async () => {
    const from = slack.calls.length;
    await send(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000800', text: '<@UBOT> which codes are there for <!channel> <https://evil.example|click> *liver* ablation' }), JSON_TYPE);
    const [post] = await slack.waitFor(from, 1);
    const all = JSON.stringify(post!.body);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toMatch(/[^&]<@U/);
  });

  it('answers /code ephemerally through response_url, /code share in the channel, and /code help with usage', async () => {
    const from = slack.calls.length;
    const command = (text: string, n: number) =>
      send(formBody({ command: '/code', text, user_id: 'U1', channel_id: 'C1', team_id: 'T1', response_url: `${slack.base}/response/${n}`, trigger_id: 't', token: 'x' }), FORM);
    const res = await command('J12.4', 1);
    expect(res.status).toBe(200);
    await command('share how do I code percutaneous RFA of liver mets?', 2);
    await command('', 3);
    const calls = await slack.waitFor(from, 3);
    const byUrl = (n: number) => calls.find((c) => c.method === `/response/${n}`)!;
    expect(byUrl(1).body).toMatchObject({ response_type: 'ephemeral' });
    expect(blocksText(byUrl(1))).toContain('Percutaneous radiofrequency ablation of lesion of liver');
    expect(byUrl(2).body).toMatchObject({ response_type: 'in_channel' });
    expect(blocksText(byUrl(2))).toContain('IPG327');
    expect(String(byUrl(3).body.text)).toMatch(/\/code share/);
  });

  it('follows up from a button in the thread, and thanks ephemerally for feedback', async () => {
    const from = slack.calls.length;
    const action = (action_id: string, value: string) =>
      send(
        formBody({
          payload: JSON.stringify({
            type: 'block_actions',
            user: { id: 'U1' },
            team: { id: 'T1' },
            api_app_id: 'A1',
            channel: { id: 'C1' },
            container: { type: 'message', message_ts: '1700000001.000001', channel_id: 'C1' },
            message: { ts: '1700000001.000001', thread_ts: '1700000000.000100', type: 'message' },
            response_url: `${slack.base}/response/fb`,
            trigger_id: 't',
            actions: [{ type: 'button', action_id, block_id: 'b', value, action_ts: '1' }],
          }),
        }),
        FORM,
      );
    await action('codebot_ask_100', 'Why do I need a Y53 code?');
    await action('codebot_feedback_yes_0', JSON.stringify({ intent: 'how_to_code', guidance: ['IPG327'] }));
    const calls = await slack.waitFor(from, 2);
    const followUp = calls.find((c) => c.method === 'chat.postMessage')!;
    expect(followUp.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000100' });
    expect(blocksText(followUp)).toMatch(/secondary codes/);
    const thanks = calls.find((c) => c.method === '/response/fb')!;
    expect(thanks.body).toMatchObject({ response_type: 'ephemeral', text: 'Thanks for the feedback.' });
    await s.waitForLog((l) => l.msg === 'feedback recorded' && l.feedback === 'helpful');
  });

  it('refuses a bad signature and a stale timestamp with 401, posting nothing', async () => {
    const from = slack.calls.length;
    const refused = (l: Record<string, unknown>) => l.msg === 'Slack request refused';
    const before = s.logs.filter(refused).length;
    const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000900', text: '<@UBOT> what is J12.4' });
    expect((await send(body, JSON_TYPE, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await send(body, JSON_TYPE, { ts: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    // Refused before Bolt sees it: both are logged as refused, and nothing more comes of them.
    await s.waitForLog(refused, before + 2);
    expect(slack.posts(from)).toHaveLength(0);
  });
});

describe('Slack settings', () => {
  it('names a malformed token at start-up, without showing it', async () => {
    const { failToStart } = await import('./server-helpers.js');
    const r = await failToStart({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'not-a-token-value' });
    expect(r.stderr.trim()).toBe('codebot: configuration error: SLACK_BOT_TOKEN: must be a bot token starting xoxb-');
  });
});

describe('Slack retries across a restart', () => {
  it('does not answer a retry twice when it arrives after a restart', async () => {
    const { tempDb } = await import('./server-helpers.js');
    const db = tempDb();
    const slack = await new FakeSlack().start();
    const env = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/`, CODEBOT_DB: db };
    const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000009.000100', text: '<@UBOT> what is Y53.9' }, 'EvRestart1');
    const first = await startServer(env);
    await fetch(`${first.base}/slack/events`, signed(body, JSON_TYPE));
    await slack.waitFor(0, 1);
    expect(await first.stop()).toBe(0);
    const second = await startServer(env);
    await fetch(`${second.base}/slack/events`, signed(body, JSON_TYPE, { retry: 1 }));
    await second.waitForLog((l) => l.msg === 'duplicate event ignored');
    expect(slack.posts(0)).toHaveLength(1);
    await second.stop();
    await slack.stop();
  });
});

describe('Slack Web API faults', () => {
  it('retries a post that Slack rate-limits (429, Retry-After) or fails with a 5xx, and posts it once', async () => {
    const slack = await new FakeSlack().start();
    const s = await serveInProcess({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/` });
    slack.failNext(1, 429);
    await fetch(`${s.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000010.000100', text: '<@UBOT> what is J12.4' }), JSON_TYPE));
    const [first] = await slack.waitFor(0, 1, 15_000);
    expect(first!.method).toBe('chat.postMessage');
    slack.failNext(2, 503);
    const from = slack.calls.length;
    await fetch(`${s.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000010.000200', text: '<@UBOT> what is Y53.9' }), JSON_TYPE));
    await slack.waitFor(from, 1, 15_000);
    // Logged once Slack took it: no retry of that post can follow.
    await s.waitForLog((l) => l.msg === 'answered', 2);
    expect(slack.failed).toBe(3);
    expect(slack.posts(0).filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
    await s.close();
    await slack.stop();
  }, 30_000);
});

describe('Slack floods', () => {
  it('acknowledges every /code in a flood, answers up to the limit, asks to slow down once and drops the rest', async () => {
    const slack = await new FakeSlack().start();
    const s = await serveInProcess({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/`, CODEBOT_RATE_PER_USER: '5' });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${s.base}/slack/events`, signed(formBody({ command: '/code', text: 'J12.4', user_id: 'UFLOOD', channel_id: 'C1', team_id: 'T1', response_url: `${slack.base}/response/flood${i}`, trigger_id: 't', token: 'x' }), FORM)).then((r) => r.status),
      ),
    );
    expect(statuses.every((st) => st === 200)).toBe(true);
    // Every one of the 30 decided: answered (delivered) or dropped.
    await s.waitForLog((l) => l.msg === 'answered' || l.msg === 'flood: message dropped after a slow-down reply', 30);
    const responses = slack.posts(0).filter((c) => c.method.startsWith('/response/flood'));
    expect(responses).toHaveLength(6);
    expect(responses.filter((c) => JSON.stringify(c.body).includes('Slow down, please'))).toHaveLength(1);
    await s.close();
    await slack.stop();
  }, 30_000);
});

describe('Slack handler errors', () => {
  it('apologises with a reference that the log line carries too, and keeps serving', async () => {
    const slack = await new FakeSlack().start();
    const s = await serveInProcess({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/` });
    slack.failNext(1, 200); // Slack answers ok:false: posting the answer throws inside the handler.
    await fetch(`${s.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000030.000100', text: '<@UBOT> what is J12.4' }), JSON_TYPE));
    const [apology] = await slack.waitFor(0, 1);
    const ref = /reference ([0-9a-f]{8})/.exec(String(apology!.body.text))?.[1];
    expect(ref).toBeDefined();
    await s.waitForLog((l) => l.msg === 'turn failed' && l.ref === ref);
    await fetch(`${s.base}/slack/events`, signed(eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000030.000200', text: '<@UBOT> what is Y53.9' }), JSON_TYPE));
    const posts = await slack.waitFor(0, 2);
    expect(blocksText(posts[1]!)).toContain('Y53.9');
    await s.close();
    await slack.stop();
  }, 30_000);
});

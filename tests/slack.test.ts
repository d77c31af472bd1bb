// Slack, offline: the listeners through Bolt's processEvent with recorded payloads, the HTTP route
// with signed requests, and a fake Slack Web API on 127.0.0.1 (SLACK_API_URL) recording what the
// bot posts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, FakeSlack, formBody, signed, SIGNING_SECRET } from './fake-slack.js';
import { serveInProcess, testCore, type InProcess, type TestCore } from './in-process.js';
import { slackPayload, TestReceiver } from './slack-bolt.js';
import { createSlack } from '../src/platforms/slack/index.js';

const JSON_TYPE = 'application/json';
const FORM = 'application/x-www-form-urlencoded';
/** The Slack settings a test core was given (on: the tests always set a token and a secret). */
function slackConfig(core: TestCore) {
  if (!core.config.slack.enabled) throw new Error(`Slack is off: ${core.config.slack.reason}`);
  return core.config.slack;
}
const blocksText = (c: { body: Record<string, unknown> }) => JSON.stringify(c.body.blocks ?? []);

// Over HTTP, in process (the real app, every middleware): the route, Bolt's receiver and the
// guard in front of it. What the listeners do is tested through Bolt below.
describe('Slack over HTTP', () => {
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

  it('answers a signed mention in a thread under the question', async () => {
    const from = slack.calls.length;
    const res = await send(JSON.stringify(slackPayload('app_mention', { event_id: 'EvHttp1' })), JSON_TYPE);
    expect(res.status).toBe(200);
    const [post] = await slack.waitFor(from, 1);
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000100' });
    expect(blocksText(post!)).toContain('J12.4');
  });

  it('does not answer a retry twice, even when it comes signed in the same second', async () => {
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

// The listeners, driven through Bolt's processEvent with recorded payloads (tests/fixtures/slack).
// `send` resolves once Bolt has run every listener: what was posted by then is all there is.
describe('Slack listeners, through Bolt', () => {
  let core: TestCore;
  let slack: FakeSlack;
  let bolt: TestReceiver;
  const env = (more: Record<string, string> = {}) => ({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/`, ...more });
  const mention = (ts: string, text: string, more: Record<string, unknown> = {}) =>
    slackPayload('app_mention', { event_id: `Ev${ts.replace('.', '')}`, event: { ts, event_ts: ts, text: `<@UBOT> ${text}`, blocks: [], ...more } });
  const command = (text: string, responseUrl: string, more: Record<string, unknown> = {}) => slackPayload('slash_command', { text, response_url: responseUrl, ...more });
  const button = (action_id: string, value: string) => {
    const pressed = (slackPayload('block_actions').actions as Array<Record<string, unknown>>)[0]!;
    return slackPayload('block_actions', { response_url: `${slack.base}/response/fb`, actions: [{ ...pressed, action_id, value }] });
  };

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    core = testCore(env());
    bolt = new TestReceiver();
    createSlack(slackConfig(core), core.assistant, core.log, { receiver: bolt });
  });
  afterAll(async () => {
    await slack.stop();
  });

  it('answers a mention in a thread under the question, with the codes and the citation in blocks', async () => {
    const from = slack.calls.length;
    const { acks } = await bolt.send(slackPayload('app_mention'));
    expect(acks).toBe(1);
    const [post, ...more] = slack.posts(from);
    expect(more).toHaveLength(0);
    expect(post!.method).toBe('chat.postMessage');
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000100' });
    const blocks = blocksText(post!);
    for (const c of ['J12.4', 'Y53.9', 'C78.7', 'IPG327', 'https://www.nice.org.uk/guidance/ipg327']) expect(blocks).toContain(c);
    expect(String(post!.body.text)).toMatch(/J12\.4/);
    expect((post!.body.blocks as unknown[]).length).toBeLessThanOrEqual(50);
  });

  it('threads under the parent when the mention is itself a reply, and follows up in context', async () => {
    const from = slack.calls.length;
    await bolt.send(mention('1700000000.000300', 'microwave ablation of HCC codes'));
    await bolt.send(mention('1700000000.000400', 'and if it was done laparoscopically?', { thread_ts: '1700000000.000300' }));
    const posts = slack.posts(from);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body.thread_ts).toBe('1700000000.000300');
    expect(blocksText(posts[1]!)).toContain('J08.3');
    expect(blocksText(posts[1]!)).not.toContain('J03.2');
  });

  it('answers a direct message in the DM, and ignores edits, bots and its own messages', async () => {
    const from = slack.calls.length;
    await bolt.send(slackPayload('message_im'));
    await bolt.send(slackPayload('message_changed'));
    await bolt.send(slackPayload('message_im', { event_id: 'EvBot1', event: { bot_id: 'BOTHER', user: 'U9', ts: '1700000000.000502', text: 'what is J12.4' } }));
    await bolt.send(slackPayload('message_im', { event_id: 'EvSelf1', event: { user: 'UBOT', ts: '1700000000.000503', text: 'what is J12.4' } }));
    const ignored = core.logs.filter((l) => l.msg === 'direct message not answered' && l.channel === 'D1');
    expect(ignored.map((l) => l.reason)).toEqual(['subtype message_changed', 'from a bot', 'from codebot']);
    const posts = slack.posts(from);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('D1');
    expect(posts[0]!.body.thread_ts).toBeUndefined();
    expect(blocksText(posts[0]!)).toContain('Unspecified approach to organ under image control');
  });

  it('answers an event once however often Slack retries it, and answers a retry of a delivery it never saw', async () => {
    const from = slack.calls.length;
    const event = mention('1700000000.000610', 'what is J12.7');
    await bolt.send(event);
    await bolt.send(event, { retryNum: 1 });
    await bolt.send(event, { retryNum: 2 });
    expect(core.logs.filter((l) => l.msg === 'duplicate event ignored' && l.event === event.event_id).map((l) => l.retry)).toEqual([1, 2]);
    expect(slack.posts(from)).toHaveLength(1);
    // First delivery lost on the way: its retry is the first this instance sees.
    await bolt.send(mention('1700000000.000700', 'what is J12.8'), { retryNum: 1 });
    const posts = slack.posts(from);
    expect(posts).toHaveLength(2);
    expect(blocksText(posts[1]!)).toContain('J12.8');
  });

  it('escapes everything from the user so nothing pings or links', async () => {
    const from = slack.calls.length;
    await bolt.send(mention('1700000000.000800', 'which codes are there for <!channel> <https://evil.example|click> *liver* ablation'));
    const [post] = slack.posts(from);
    const all = JSON.stringify(post!.body);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toMatch(/[^&]<@U/);
  });

  it('acknowledges /code at once, then answers ephemerally through response_url; share posts in the channel; help gives usage', async () => {
    const from = slack.calls.length;
    expect((await bolt.send(command('J12.4', `${slack.base}/response/1`))).acks).toBe(1);
    await bolt.send(command('share how do I code percutaneous RFA of liver mets?', `${slack.base}/response/2`));
    await bolt.send(command('', `${slack.base}/response/3`));
    const calls = slack.posts(from);
    expect(calls).toHaveLength(3);
    const byUrl = (n: number) => calls.find((c) => c.method === `/response/${n}`)!;
    expect(byUrl(1).body).toMatchObject({ response_type: 'ephemeral' });
    expect(blocksText(byUrl(1))).toContain('Percutaneous radiofrequency ablation of lesion of liver');
    expect(byUrl(2).body).toMatchObject({ response_type: 'in_channel' });
    expect(blocksText(byUrl(2))).toContain('IPG327');
    expect(String(byUrl(3).body.text)).toMatch(/\/code share/);
  });

  it('follows up from a button in the thread, and thanks ephemerally for feedback', async () => {
    const from = slack.calls.length;
    await bolt.send(button('codebot_ask_100', 'Why do I need a Y53 code?'));
    await bolt.send(button('codebot_feedback_yes_0', JSON.stringify({ intent: 'how_to_code', guidance: ['IPG327'] })));
    const calls = slack.posts(from);
    expect(calls).toHaveLength(2);
    const followUp = calls.find((c) => c.method === 'chat.postMessage')!;
    expect(followUp.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000100' });
    expect(blocksText(followUp)).toMatch(/secondary codes/);
    const thanks = calls.find((c) => c.method === '/response/fb')!;
    expect(thanks.body).toMatchObject({ response_type: 'ephemeral', text: 'Thanks for the feedback.' });
    expect(core.logs.filter((l) => l.msg === 'feedback recorded').at(-1)).toMatchObject({ feedback: 'helpful' });
  });

  it('retries a post that Slack rate-limits (429, Retry-After) or fails with a 5xx, and posts it once', async () => {
    const from = slack.calls.length;
    const failedBefore = slack.failed;
    slack.failNext(1, 429);
    await bolt.send(mention('1700000010.000100', 'what is J12.4'));
    slack.failNext(2, 503);
    await bolt.send(mention('1700000010.000200', 'what is Y53.9'));
    expect(slack.failed - failedBefore).toBe(3);
    const posts = slack.posts(from);
    expect(posts.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(blocksText(posts[1]!)).toContain('Y53.9');
  }, 30_000);

  it('apologises with a reference that the log line carries too, and keeps answering', async () => {
    const from = slack.calls.length;
    slack.failNext(1, 200); // Slack answers ok:false: posting the answer throws inside the handler.
    await bolt.send(mention('1700000030.000100', 'what is J12.4'));
    const [apology] = slack.posts(from);
    const ref = /reference ([0-9a-f]{8})/.exec(String(apology!.body.text))?.[1];
    expect(ref).toBeDefined();
    expect(core.logs.filter((l) => l.msg === 'turn failed' && l.ref === ref)).toHaveLength(1);
    await bolt.send(mention('1700000030.000200', 'what is Y53.9'));
    const posts = slack.posts(from);
    expect(posts).toHaveLength(2);
    expect(blocksText(posts[1]!)).toContain('Y53.9');
  });

  it('acknowledges every /code in a flood, answers up to the limit, asks to slow down once and drops the rest', async () => {
    const flood = testCore(env({ CODEBOT_RATE_PER_USER: '5' }));
    const receiver = new TestReceiver();
    createSlack(slackConfig(flood), flood.assistant, flood.log, { receiver });
    const from = slack.calls.length;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => receiver.send(command('J12.4', `${slack.base}/response/flood${i}`, { user_id: 'UFLOOD' }))));
    expect(results.every((r) => r.acks === 1)).toBe(true);
    const responses = slack.posts(from).filter((c) => c.method.startsWith('/response/flood'));
    expect(responses).toHaveLength(6);
    expect(responses.filter((c) => JSON.stringify(c.body).includes('Slow down, please'))).toHaveLength(1);
    expect(flood.logs.filter((l) => l.msg === 'flood: message dropped after a slow-down reply')).toHaveLength(24);
  }, 30_000);
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
    const { SqliteStore } = await import('../src/store/sqlite.js');
    const db = tempDb();
    const slack = await new FakeSlack().start();
    const env = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token-not-real', SLACK_API_URL: `${slack.base}/api/` };
    const body = eventBody({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000009.000100', text: '<@UBOT> what is Y53.9' }, 'EvRestart1');
    // The app and its database closed and opened again, as a restart does (secrets.test.ts and
    // server.test.ts run the real process).
    const firstStore = new SqliteStore(db);
    const first = await serveInProcess(env, { store: firstStore });
    await fetch(`${first.base}/slack/events`, signed(body, JSON_TYPE));
    await slack.waitFor(0, 1);
    await first.close();
    await firstStore.close();
    const secondStore = new SqliteStore(db);
    const second = await serveInProcess(env, { store: secondStore });
    // Slack signs the retry afresh (a later second): it is the event id that must be remembered.
    await fetch(`${second.base}/slack/events`, signed(body, JSON_TYPE, { retry: 1, ts: Math.floor(Date.now() / 1000) + 1 }));
    await second.waitForLog((l) => l.msg === 'duplicate event ignored' && l.event === 'EvRestart1');
    expect(slack.posts(0)).toHaveLength(1);
    await second.close();
    await secondStore.close();
    await slack.stop();
  });
});


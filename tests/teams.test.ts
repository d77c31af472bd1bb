// Teams, offline: the handler through botbuilder's TestAdapter with recorded activities, and the
// real server's route (CloudAdapter) with replies recorded by a fake Bot Connector on 127.0.0.1.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillManifest, PLACEHOLDER_ID, readManifest, validateManifest } from '../src/platforms/botframework/teams-manifest.js';
import { FakeConnector, mention, teamsActivity } from './fake-connector.js';
import { ROOT } from './helpers.js';
import type { Activity } from 'botbuilder';
import { serveInProcess, testCore, type InProcess, type TestCore } from './in-process.js';
import { teamsPayload, TeamsUnderTest } from './teams-bot.js';

const cardOf = (p: { body: Record<string, unknown> }) => JSON.stringify((p.body.attachments as Array<{ content: unknown }> | undefined)?.[0]?.content ?? null);

// Over HTTP, in process (the real app, every middleware): the route, CloudAdapter and replies
// posted to a fake Bot Connector. What the handler does is tested through TestAdapter below.
describe('Teams over HTTP', () => {
  let s: InProcess;
  let connector: FakeConnector;
  const post = (activity: Record<string, unknown>) =>
    fetch(`${s.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    s = await serveInProcess();
  });
  afterAll(async () => {
    await s.close();
    await connector.stop();
  });

  it('posts the answer to an @mention to the channel service as a reply in the same thread', async () => {
    const before = connector.posts.length;
    const activity = teamsPayload('channel_mention', { serviceUrl: connector.url });
    const res = await post(activity as Record<string, unknown>);
    expect(res.status).toBe(200);
    // The request ends with the turn: the posts are all there are.
    const replies = connector.posts.slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.path).toBe(`/v3/conversations/19:general@thread.tacv2;messageid=1763633702413/activities/1763633702413`);
    expect(replies[0]!.body.replyToId).toBe('1763633702413');
    expect(cardOf(replies[0]!)).toContain('J12.4');
  });

  it('answers a search invoke in the HTTP response', async () => {
    const res = await post(teamsPayload('compose_extension_query', { serviceUrl: connector.url }) as Record<string, unknown>);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { composeExtension: { type: string; attachments: unknown[] } };
    expect(body.composeExtension.type).toBe('result');
    expect(body.composeExtension.attachments.length).toBeGreaterThan(0);
  });
});

// The handler, driven through botbuilder's TestAdapter with recorded Teams activities.
describe('Teams handler, through TestAdapter', () => {
  let core: TestCore;
  let teams: TeamsUnderTest;
  const cardOfActivity = (a: Partial<Activity> | undefined) => JSON.stringify(a?.attachments?.[0]?.content ?? null);
  const invokeBody = (sent: Partial<Activity>[]) => {
    const r = sent.find((a) => a.type === 'invokeResponse');
    return (r?.value as { status: number; body: unknown } | undefined) ?? null;
  };

  beforeAll(() => {
    core = testCore();
    teams = new TeamsUnderTest(core);
  });

  it('answers an @mention in a channel as a reply in the same thread, with the mention stripped', async () => {
    const [reply, ...more] = await teams.send(teamsPayload('channel_mention'));
    expect(more).toHaveLength(0);
    expect(reply!.replyToId).toBe('1763633702413');
    expect(reply!.conversation?.id).toBe('19:general@thread.tacv2;messageid=1763633702413');
    const card = cardOfActivity(reply);
    for (const c of ['J12.4', 'Y53.9', 'C78.7', 'Source: NICE IPG327', '"version":"1.5"']) expect(card).toContain(c);
    expect(card).not.toContain('<at>');
    expect(reply!.summary).toMatch(/IPG327/);
    expect(core.logs.filter((l) => l.msg === 'answered').at(-1)).toMatchObject({ channel: 'msteams', conversation: '19:general@thread.tacv2;messageid=1763633702413' });
  });

  it('carries context through the reply chain', async () => {
    const conversation = { id: '19:general@thread.tacv2;messageid=1763633709999' };
    const ask = (id: string, text: string) =>
      teams.send(teamsPayload('channel_mention', { id, conversation, text: `<at>codebot</at> ${text}`, attachments: [] }));
    await ask('1763633709999', 'microwave ablation of HCC codes');
    const [reply] = await ask('1763633710001', 'and laparoscopic?');
    expect(cardOfActivity(reply)).toContain('J08.3');
    expect(cardOfActivity(reply)).not.toContain('J03.2');
  });

  it('answers in a 1:1 chat and runs menu commands', async () => {
    const [code] = await teams.send(teamsPayload('personal_message'));
    const [summary] = await teams.send(teamsPayload('personal_message', { id: '1763633800021', text: 'summary IPG327' }));
    const [help] = await teams.send(teamsPayload('personal_message', { id: '1763633800022', text: 'help' }));
    expect(code!.conversation?.id).toBe('a:1personal-chat');
    expect(cardOfActivity(code)).toContain('Unspecified approach to organ under image control');
    expect(cardOfActivity(summary)).toContain('Interventional Procedures Guidance no. 92');
    expect(cardOfActivity(help)).toContain('What I can do');
  });

  it('posts one welcome when codebot is added to a team, and none when someone else joins', async () => {
    const welcome = await teams.send(teamsPayload('members_added'));
    const other = await teams.send(teamsPayload('members_added', { id: 'f:added-2', membersAdded: [{ id: '29:new-colleague' }] }));
    expect(welcome).toHaveLength(1);
    expect(String(welcome[0]!.text)).toMatch(/^Hello, I'm codebot/);
    expect(other).toHaveLength(0);
  });

  it('presses card buttons: a follow-up question and feedback credited from the audit, not from the client', async () => {
    const [followUp] = await teams.send(teamsPayload('card_submit'));
    expect(cardOfActivity(followUp)).toMatch(/secondary codes/);
    const [thanks] = await teams.send(teamsPayload('card_submit', { id: '1763633825772', value: { codebot: 'feedback', helpful: false, intent: '943 476 5919', guidance: ['SW1A 1AA'] } }));
    expect(thanks!.text).toBe('Thanks for the feedback.');
    // What the answer was about comes from the audited answer, never from what the client sent.
    expect(core.logs.filter((l) => l.msg === 'feedback recorded').at(-1)).toMatchObject({ feedback: 'not_helpful', intent: 'rule_explanation', guidance: ['IPG327'], channel: 'msteams' });
  });

  it('asks to type the question when a card button sends something it does not know', async () => {
    const [sorry] = await teams.send(teamsPayload('card_submit', { id: '1763633825773', value: { codebot: 'launch', target: 'x' } }));
    expect(sorry!.text).toMatch(/didn't understand that button/);
    expect(core.logs.filter((l) => l.msg === 'card action with an unknown value')).toHaveLength(1);
  });

  it('handles an Action.Execute (adaptiveCard/action) invoke: the answer in the chat, 200 to the card', async () => {
    const sent = await teams.send(teamsPayload('adaptive_card_action'));
    expect(invokeBody(sent)).toMatchObject({ status: 200, body: { statusCode: 200 } });
    const answer = sent.find((a) => a.type === 'message');
    expect(cardOfActivity(answer)).toContain('Percutaneous microwave ablation of lesion of liver');
    const bad = await teams.send(teamsPayload('adaptive_card_action', { id: 'f:bad-action', value: { action: { type: 'Action.Execute', data: { codebot: 'launch' } } } }));
    expect(invokeBody(bad)).toMatchObject({ status: 400, body: { statusCode: 400 } });
    expect(bad.filter((a) => a.type === 'message')).toHaveLength(0);
  });

  it('answers the search messaging extension with matching codes as cards, a page at a time', async () => {
    const query = async (q: string, skip = 0, count = 10) => {
      const sent = await teams.send(teamsPayload('compose_extension_query', { id: `f:q-${q}-${skip}`, value: { commandId: 'lookupCode', parameters: [{ name: 'query', value: q }], queryOptions: { skip, count } } }));
      return invokeBody(sent)!.body as { composeExtension: { type: string; attachments: Array<{ content: unknown; preview: { content: { title: string } } }> } };
    };
    const body = await query('J12');
    expect(body.composeExtension.type).toBe('result');
    const titles = body.composeExtension.attachments.map((a) => a.preview.content.title);
    expect(titles).toEqual(expect.arrayContaining([expect.stringMatching(/^J12\.3 /), expect.stringMatching(/^J12\.4 Percutaneous radiofrequency/), expect.stringMatching(/^J12\.7 /), expect.stringMatching(/^J12\.8 /)]));
    const inserted = JSON.stringify(body.composeExtension.attachments.find((a) => a.preview.content.title.startsWith('J12.4'))!.content);
    expect(inserted).toContain('Source: NICE IPG327');

    const words = await query('liver ablation');
    expect(words.composeExtension.attachments.length).toBeGreaterThan(2);
    const y53 = await query('y53', 0, 2);
    const next = await query('y53', 2, 2);
    expect(y53.composeExtension.attachments).toHaveLength(2);
    expect(next.composeExtension.attachments[0]!.preview.content.title).not.toBe(y53.composeExtension.attachments[0]!.preview.content.title);
  });
});

describe('the Teams app manifest', () => {
  const manifest = readManifest(path.join(ROOT, 'manifest.json'));

  it('is valid against the official schema, offline', async () => {
    expect(await validateManifest(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe('1.30');
  });

  it('has the bot, its commands and the messaging extension, with ids filled from the environment', async () => {
    const filled = fillManifest(manifest, { MicrosoftAppId: '11111111-2222-3333-4444-555555555555' });
    expect(JSON.stringify(filled)).not.toContain(PLACEHOLDER_ID);
    expect(await validateManifest(filled)).toEqual([]);
    const bots = filled.bots as Array<{ botId: string; commandLists: Array<{ commands: Array<{ title: string }> }> }>;
    expect(bots[0]!.botId).toBe('11111111-2222-3333-4444-555555555555');
    expect(bots[0]!.commandLists[0]!.commands.map((c) => c.title)).toEqual(['help', 'code', 'rule', 'summary']);
    const ext = filled.composeExtensions as Array<{ commands: Array<{ id: string; type: string }> }>;
    expect(ext[0]!.commands[0]).toMatchObject({ id: 'lookupCode', type: 'query' });
    expect(() => fillManifest(manifest, {})).toThrow(/MicrosoftAppId/);
  });

  it('fails validation when broken', async () => {
    const broken = { ...manifest, accentColor: 'blue' };
    delete (broken as Record<string, unknown>).name;
    expect((await validateManifest(broken)).length).toBeGreaterThan(0);
  });

  it('ships real PNG icons of the sizes Teams asks for', () => {
    for (const [file, size] of [['color.png', 192], ['outline.png', 32]] as const) {
      const png = readFileSync(path.join(ROOT, 'teams', file));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });
});

describe('Bot Connector faults', () => {
  it('retries a reply the Bot Connector refuses with a 5xx, and delivers it once', async () => {
    const connector = await new FakeConnector().start();
    const s = await serveInProcess();
    connector.failNext(2, 503);
    const res = await fetch(`${s.base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(teamsActivity(connector.url, mention('what is J12.4'))),
    });
    expect(res.status).toBe(200);
    // The request ended with the turn, retries and all: the posts are all there are.
    const posts = connector.posts;
    expect(connector.failed).toBe(2);
    expect(posts).toHaveLength(1);
    expect(cardOf(posts[0]!)).toContain('Percutaneous radiofrequency ablation of lesion of liver');
    await s.close();
    await connector.stop();
  }, 30_000);
});

describe('Teams invoke floods', () => {
  it('answers every search invoke in a burst', async () => {
    const connector = await new FakeConnector().start();
    const s = await serveInProcess();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${s.base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(teamsActivity(connector.url, { type: 'invoke', name: 'composeExtension/query', text: undefined, value: { commandId: 'lookupCode', parameters: [{ name: 'query', value: i % 2 ? 'y53' : 'liver ablation' }], queryOptions: { skip: 0, count: 5 } } })),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { composeExtension?: { attachments: unknown[] } } })),
      ),
    );
    expect(results.every((r) => r.status === 200 && (r.body.composeExtension?.attachments.length ?? 0) > 0)).toBe(true);
    await s.close();
    await connector.stop();
  }, 30_000);
});

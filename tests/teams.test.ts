// Teams end to end, offline: Teams-shaped activities into the real server (CloudAdapter), replies
// recorded by a fake Bot Connector on 127.0.0.1.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillManifest, PLACEHOLDER_ID, readManifest, validateManifest } from '../src/platforms/botframework/teams-manifest.js';
import { FakeConnector, mention, teamsActivity } from './fake-connector.js';
import { ROOT } from './helpers.js';
import { serveInProcess, type InProcess } from './in-process.js';

const cardOf = (p: { body: Record<string, unknown> }) => JSON.stringify((p.body.attachments as Array<{ content: unknown }> | undefined)?.[0]?.content ?? null);

// In process: the real app and every middleware (server.test.ts starts `npm start`'s process).
describe('Teams', () => {
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

  it('answers an @mention in a channel as a reply in the same thread, with the mention stripped', async () => {
    const before = connector.posts.length;
    const activity = teamsActivity(connector.url, mention('how do I code percutaneous RFA of liver mets?'));
    const res = await post(activity);
    expect(res.status).toBe(200);
    const [reply] = (await connector.waitFor(before + 1)).slice(before);
    expect(reply!.path).toBe(`/v3/conversations/19:general@thread.tacv2;messageid=1700000000000/activities/${String(activity.id)}`);
    expect(reply!.body.replyToId).toBe(activity.id);
    expect((reply!.body.conversation as { id: string }).id).toBe('19:general@thread.tacv2;messageid=1700000000000');
    const card = cardOf(reply!);
    for (const c of ['J12.4', 'Y53.9', 'C78.7', 'Source: NICE IPG327', '"version":"1.5"']) expect(card).toContain(c);
    expect(card).not.toContain('<at>');
    expect(reply!.body.summary).toMatch(/IPG327/);
  });

  it('carries context through the reply chain', async () => {
    const conv = { id: '19:general@thread.tacv2;messageid=1700000000999', conversationType: 'channel', tenantId: 'tenant-1', isGroup: true };
    const before = connector.posts.length;
    await post(teamsActivity(connector.url, { ...mention('microwave ablation of HCC codes'), conversation: conv }));
    await post(teamsActivity(connector.url, { ...mention('and laparoscopic?'), conversation: conv }));
    const replies = (await connector.waitFor(before + 2)).slice(before);
    expect(cardOf(replies[1]!)).toContain('J08.3');
    expect(cardOf(replies[1]!)).not.toContain('J03.2');
  });

  it('answers in a 1:1 chat and runs menu commands', async () => {
    const personal = { id: 'a:1personal-chat', conversationType: 'personal', tenantId: 'tenant-1' };
    const before = connector.posts.length;
    await post(teamsActivity(connector.url, { text: 'code Y53.9', conversation: personal }));
    await post(teamsActivity(connector.url, { text: 'summary IPG327', conversation: personal }));
    await post(teamsActivity(connector.url, { text: 'help', conversation: personal }));
    const replies = (await connector.waitFor(before + 3)).slice(before);
    expect(replies[0]!.path).toMatch(/^\/v3\/conversations\/a:1personal-chat\/activities\//);
    expect(cardOf(replies[0]!)).toContain('Unspecified approach to organ under image control');
    expect(cardOf(replies[1]!)).toContain('Interventional Procedures Guidance no. 92');
    expect(cardOf(replies[2]!)).toContain('What I can do');
  });

  it('posts one welcome when codebot is added to a team, and none when someone else joins', async () => {
    const before = connector.posts.length;
    const added = { type: 'conversationUpdate', text: undefined, channelData: { eventType: 'teamMemberAdded', tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2' } } };
    await post(teamsActivity(connector.url, { ...added, membersAdded: [{ id: '28:codebot-bot-id' }] }));
    await post(teamsActivity(connector.url, { ...added, membersAdded: [{ id: '29:new-colleague' }] }));
    // The Bot Framework endpoint answers the request once the turn is over: nothing more can follow.
    const posts = connector.posts.slice(before);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.body.text)).toMatch(/^Hello, I'm codebot/);
  });

  it('presses card buttons: a follow-up question and feedback', async () => {
    const before = connector.posts.length;
    await post(teamsActivity(connector.url, { text: undefined, value: { codebot: 'ask', question: 'why do I need a Y53 code?' } }));
    await post(teamsActivity(connector.url, { text: undefined, value: { codebot: 'feedback', helpful: false, intent: '943 476 5919', guidance: ['SW1A 1AA'] } }));
    const replies = (await connector.waitFor(before + 2)).slice(before);
    expect(cardOf(replies[0]!)).toMatch(/secondary codes/);
    expect(replies[1]!.body.text).toBe('Thanks for the feedback.');
    const logged = await s.waitForLog((l) => l.msg === 'feedback recorded' && l.feedback === 'not_helpful');
    // What the answer was about comes from the audited answer, never from what the client sent.
    expect(logged.at(-1)).toMatchObject({ feedback: 'not_helpful', intent: 'rule_explanation', guidance: ['IPG327'], channel: 'msteams' });
  });

  it('handles an Action.Execute (adaptiveCard/action) invoke', async () => {
    const before = connector.posts.length;
    const res = await post(teamsActivity(connector.url, { type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', data: { codebot: 'ask', question: 'what is J12.7' } } } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ statusCode: 200 });
    const [reply] = (await connector.waitFor(before + 1)).slice(before);
    expect(cardOf(reply!)).toContain('Percutaneous microwave ablation of lesion of liver');
  });

  it('answers the search messaging extension with matching codes as cards, a page at a time', async () => {
    const query = (q: string, skip = 0, count = 10) =>
      post(teamsActivity(connector.url, { type: 'invoke', name: 'composeExtension/query', text: undefined, value: { commandId: 'lookupCode', parameters: [{ name: 'query', value: q }], queryOptions: { skip, count } } }));
    const res = await query('J12');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { composeExtension: { type: string; attachments: Array<{ content: unknown; preview: { content: { title: string } } }> } };
    expect(body.composeExtension.type).toBe('result');
    const titles = body.composeExtension.attachments.map((a) => a.preview.content.title);
    expect(titles).toEqual(expect.arrayContaining([expect.stringMatching(/^J12\.3 /), expect.stringMatching(/^J12\.4 Percutaneous radiofrequency/), expect.stringMatching(/^J12\.7 /), expect.stringMatching(/^J12\.8 /)]));
    const inserted = JSON.stringify(body.composeExtension.attachments.find((a) => a.preview.content.title.startsWith('J12.4'))!.content);
    expect(inserted).toContain('Source: NICE IPG327');

    const words = (await (await query('liver ablation')).json()) as typeof body;
    expect(words.composeExtension.attachments.length).toBeGreaterThan(2);
    const y53 = (await (await query('y53', 0, 2)).json()) as typeof body;
    const next = (await (await query('y53', 2, 2)).json()) as typeof body;
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

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/assistant/reply.js';
import { escapeSlack, LIMITS, renderBlocks } from '../src/render/block-kit.js';
import { assistant, ROOT } from './helpers.js';

const a = assistant();
const reply = (q: string) => a.answer(q).reply;

describe('Block Kit rendering', () => {
  it('renders codes in monospace with title and role, a citation context and buttons', () => {
    const m = renderBlocks(reply('how do I code percutaneous RFA of liver mets?'));
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('`J12.4` Percutaneous radiofrequency ablation of lesion of liver _(primary procedure, IPG327)_');
    expect(all).toContain('<https://www.nice.org.uk/guidance/ipg327|NICE IPG327>');
    const actions = m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements as Array<{ text: { text: string }; action_id: string }>);
    expect(actions.map((x) => x.text.text)).toEqual(expect.arrayContaining(['Why do I need a Y53 code?', 'Helpful', 'Not helpful']));
    expect(new Set(actions.map((x) => x.action_id)).size).toBe(actions.length);
    expect(m.text).toMatch(/IPG327.*J12\.4/);
  });

  it('escapes &, < and > and breaks formatting in text from users and the knowledge', () => {
    expect(escapeSlack('<!channel> & <@U123> *bold*')).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt; *\u200bbold*\u200b');
  });

  it('stays within Slack limits however long the answer, saying what it left out', () => {
    const base = reply('look up Y53');
    const huge: Reply = {
      ...base,
      blocks: [
        ...Array.from({ length: 80 }, (_, i) => ({ type: 'text' as const, text: `paragraph ${i} ${'x'.repeat(5000)}` })),
        { type: 'codes', label: 'Many', codes: Array.from({ length: 500 }, () => ({ system: 'OPCS-4' as const, code: 'Y53.9', title: 'y'.repeat(200), role: 'r', guidance: 'IPG1' })) },
      ],
      suggestions: ['s'.repeat(5000)],
    };
    const m = renderBlocks(huge);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    for (const b of m.blocks) {
      const t = 'text' in b ? (b.text as { text?: string } | undefined)?.text : undefined;
      if (t) expect(t.length).toBeLessThanOrEqual(LIMITS.section);
      for (const e of 'elements' in b ? (b.elements as Array<{ value?: string; text?: { text: string } }>) : []) {
        if (e.value) expect(e.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
        if (e.text && b.type === 'actions') expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
      }
    }
    expect(JSON.stringify(m.blocks)).toMatch(/\.\.\.and \d+ more/);
    expect(m.blocks.at(-1)!.type).toBe('actions');
  });
});

describe('the Slack app manifest', () => {
  it('asks for the slash command, the two events, interactivity and the minimum scopes', () => {
    const m = JSON.parse(readFileSync(path.join(ROOT, 'slack', 'manifest.json'), 'utf8')) as {
      features: { slash_commands: Array<{ command: string }> };
      oauth_config: { scopes: { bot: string[] } };
      settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
    };
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/code']);
    expect(m.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', 'message.im']);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.oauth_config.scopes.bot.sort()).toEqual(['app_mentions:read', 'chat:write', 'commands', 'im:history']);
  });
});

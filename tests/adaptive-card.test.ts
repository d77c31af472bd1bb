import { describe, expect, it } from 'vitest';
import type { Reply } from '../src/assistant/reply.js';
import { cardSize, escapeCardText, MAX_CARD_BYTES, renderCard } from '../src/render/adaptive-card.js';
import { assistant } from './helpers.js';

const a = assistant();
const reply = (q: string) => a.answer(q).reply;
const texts = (card: unknown) => JSON.stringify(card);

describe('Adaptive Card rendering', () => {
  it('renders an answer as a version 1.5 card with codes, rules, citation and buttons', () => {
    const card = renderCard(reply('how do I code percutaneous RFA of liver mets?'));
    expect(card.version).toBe('1.5');
    const t = texts(card);
    for (const s of ['J12.4', 'Y53.9', 'C78.7', 'Source: NICE IPG327', 'NHS Classifications Service']) expect(t).toContain(s);
    const titles = card.actions.map((x) => x.title);
    expect(titles).toEqual(expect.arrayContaining(['Open IPG327', 'Why do I need a Y53 code?', 'Helpful', 'Not helpful']));
    const open = card.actions.find((x) => x.type === 'Action.OpenUrl');
    expect(open?.url).toBe('https://www.nice.org.uk/guidance/ipg327');
    const ask = card.actions.find((x) => x.title === 'Why do I need a Y53 code?');
    expect(ask?.data).toMatchObject({ codebot: 'ask', question: 'Why do I need a Y53 code?', msteams: { type: 'messageBack' } });
  });

  it('offers the clarification choices as buttons and no feedback on a question it did not answer', () => {
    const card = renderCard(reply('how do I code ablation of the liver'));
    const titles = card.actions.map((x) => String(x.title));
    expect(titles.some((t) => t.includes('IPG214'))).toBe(true);
    expect(titles.some((t) => t.includes('IPG406'))).toBe(true);
    expect(titles).not.toContain('Helpful');
  });

  it('escapes markdown and mention syntax from the question', () => {
    expect(escapeCardText('[click](https://evil.example) **bold** <at>Ann</at>')).toBe('\\[click\\]\\(https://evil.example\\) \\*\\*bold\\*\\* ‹at›Ann‹/at›');
    const card = renderCard(reply('what is [x](http://evil.example) Y53.9'));
    expect(texts(card)).not.toMatch(/[^\\]\[x\]\(http/);
  });

  it('stays within the size Teams accepts, saying what it left out', () => {
    const big: Reply = {
      ...reply('look up Y53'),
      blocks: [{ type: 'codes', label: 'Many', codes: Array.from({ length: 400 }, (_, i) => ({ system: 'OPCS-4' as const, code: `Y53.${i % 10}`, title: 'x'.repeat(100), role: 'r', guidance: 'IPG1' })) }],
    };
    const card = renderCard(big);
    expect(cardSize(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(texts(card)).toMatch(/\.\.\.and \d+ more/);
  });
});

// Reply -> Adaptive Card 1.5, as Teams and Web Chat show it. Limits live here, beside the code
// that must respect them: Teams refuses messages over about 28 KB.

import type { LookupItem } from '../assistant/lookup.js';
import type { Block, Reply, ReplyCode } from '../assistant/reply.js';
import { askButton, type ButtonValue } from './buttons.js';
import { plainText } from './plain-text.js';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Stay well inside Teams' ~28 KB message limit, leaving room for the activity around the card. */
export const MAX_CARD_BYTES = 24_000;

export type CardElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions: CardElement[];
  fallbackText: string;
}

/** Data a card button sends back; the bot reads it from `activity.value`. */
export type ButtonData = ButtonValue;

/** Markdown and mention syntax in user or knowledge text is shown as text, never followed. */
export function escapeCardText(text: string): string {
  return text
    .replace(/[\\`*_~[\]()#|]/g, (c) => `\\${c}`)
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
}

function textBlock(text: string, extra: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: escapeCardText(text), wrap: true, ...extra };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

interface Limits {
  codes: number;
  rules: number;
  quote: number;
  text: number;
}

const ROOMY: Limits = { codes: 30, rules: 6, quote: 600, text: 1500 };
const TIGHT: Limits = { codes: 12, rules: 3, quote: 240, text: 600 };
const MINIMAL: Limits = { codes: 5, rules: 1, quote: 120, text: 300 };

/** A code in a column that never wraps, and text beside it that wraps between words. */
function codeRow(code: string, text: string, spacing: string): CardElement {
  return {
    type: 'ColumnSet',
    spacing,
    columns: [
      { type: 'Column', width: '72px', items: [{ type: 'TextBlock', text: escapeCardText(code), wrap: false, weight: 'Bolder', fontType: 'Monospace' }] },
      { type: 'Column', width: 'stretch', items: [textBlock(text)] },
    ],
  };
}

/** One row per code: the code, then its title, role and guidance. */
function facts(codes: ReplyCode[], limit: number): CardElement[] {
  const out: CardElement[] = codes
    .slice(0, limit)
    .map((c, i) => codeRow(c.code, `${c.title ?? '(no title in the guidance text)'} · ${c.role}${c.guidance ? ` · ${c.guidance}` : ''}`, i === 0 ? 'Small' : 'None'));
  if (codes.length > limit) out.push(textBlock(`...and ${codes.length - limit} more`, { isSubtle: true, spacing: 'None' }));
  return out;
}

function blockElements(blocks: Block[], limits: Limits): CardElement[] {
  const out: CardElement[] = [];
  let rules = 0;
  let hiddenRules = 0;
  for (const b of blocks) {
    if (b.type === 'text') out.push(textBlock(cut(b.text, limits.text)));
    else if (b.type === 'notice') out.push(textBlock(cut(b.text, limits.text), { color: 'Warning' }));
    else if (b.type === 'codes') {
      out.push(textBlock(b.label, { weight: 'Bolder', spacing: 'Medium' }));
      out.push(...facts(b.codes, limits.codes));
    } else if (rules < limits.rules) {
      if (rules === 0) out.push(textBlock('What the guidance says', { weight: 'Bolder', spacing: 'Medium' }));
      out.push(textBlock(`“${cut(b.text, limits.quote)}” (${b.guidance})`, { isSubtle: true }));
      rules++;
    } else hiddenRules++;
  }
  if (hiddenRules > 0) out.push(textBlock(`...and ${hiddenRules} more`, { isSubtle: true }));
  return out;
}

function build(reply: Reply, limits: Limits): AdaptiveCard {
  const body: CardElement[] = [];
  if (reply.title) body.push(textBlock(reply.title, { size: 'Medium', weight: 'Bolder' }));
  for (const n of reply.notices) {
    body.push({ type: 'Container', style: 'warning', items: [textBlock(cut(n, limits.text))] });
  }
  if (reply.check) {
    // The verdict starts the text beside the code, so a narrow window breaks between words, never
    // inside "confirmed".
    reply.check.slice(0, limits.codes).forEach((c, i) => body.push(codeRow(c.code, `${c.verdict.replace(/_/g, ' ')}: ${cut(c.note, limits.text)}`, i === 0 ? 'Medium' : 'Small')));
  }
  body.push(...blockElements(reply.blocks, limits));
  const actions: CardElement[] = [];
  if (reply.clarify) {
    body.push(textBlock(reply.clarify.question, { weight: 'Bolder' }));
    for (const o of reply.clarify.options) actions.push(submit(cut(o.label, 80), { codebot: 'ask', question: o.value }));
  }
  const cited = new Map<string, { section: string; quote: string; url: string }>();
  for (const c of reply.citations) if (!cited.has(c.guidance)) cited.set(c.guidance, c);
  if (cited.size > 0) {
    const items: CardElement[] = [];
    for (const [id, c] of cited) {
      items.push(textBlock(`Source: NICE ${id}, ${c.section}`, { weight: 'Bolder', size: 'Small' }));
      items.push(textBlock(`“${cut(c.quote.replace(/\s+/g, ' ').trim(), limits.quote)}”`, { size: 'Small', isSubtle: true, spacing: 'None' }));
    }
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
    for (const [id, c] of [...cited].slice(0, 3)) actions.push({ type: 'Action.OpenUrl', title: `Open ${id}`, url: c.url });
  }
  const footer = reply.footer;
  if (footer.length > 0) body.push(textBlock(footer.join(' '), { size: 'Small', isSubtle: true, separator: true }));
  for (const s of reply.suggestions) actions.push(submit(cut(s, 60), askButton(reply, s)));
  if (reply.answered) {
    actions.push(submit('Helpful', { codebot: 'feedback', helpful: true, ref: reply.ref }));
    actions.push(submit('Not helpful', { codebot: 'feedback', helpful: false, ref: reply.ref }));
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
    fallbackText: escapeCardText(cut(plainText(reply), limits.text * 4)),
  };
}

function submit(title: string, data: ButtonData): CardElement {
  // messageBack makes Teams show the question as the user's own message when a button asks it.
  const msteams = data.codebot === 'ask' ? { type: 'messageBack', text: data.question, displayText: data.question } : undefined;
  return { type: 'Action.Submit', title, data: msteams ? { ...data, msteams } : data };
}

export function cardSize(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** The card for a reply, cut down step by step until it fits. */
export function renderCard(reply: Reply): AdaptiveCard {
  for (const limits of [ROOMY, TIGHT, MINIMAL]) {
    const card = build(reply, limits);
    if (cardSize(card) <= MAX_CARD_BYTES) return card;
  }
  const card = build(reply, MINIMAL);
  card.body = card.body.slice(0, 6);
  card.body.push(textBlock('...and more: the answer was too long to show here.', { isSubtle: true }));
  return card;
}

/** The card a search result inserts into a message: the code or guidance, its title, the NICE quote. */
export function renderLookupCard(item: LookupItem): AdaptiveCard {
  const c = item.citation;
  const body: CardElement[] = [textBlock(item.heading, { size: 'Medium', weight: 'Bolder' }), textBlock(item.detail, { isSubtle: true, spacing: 'None' })];
  body.push({
    type: 'Container',
    separator: true,
    items: [
      textBlock(`Source: NICE ${c.guidance}, ${c.section}`, { weight: 'Bolder', size: 'Small' }),
      textBlock(`“${cut(c.quote.replace(/\s+/g, ' ').trim(), 400)}”`, { size: 'Small', isSubtle: true, spacing: 'None' }),
    ],
  });
  body.push(textBlock('Codes as NICE published them; the NHS Classifications Service is the definitive source for clinical coding.', { size: 'Small', isSubtle: true }));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [{ type: 'Action.OpenUrl', title: `Open ${c.guidance}`, url: c.url }],
    fallbackText: escapeCardText(`${item.heading}. ${item.detail}. Source: NICE ${c.guidance}`) + ` ${c.url}`,
  };
}

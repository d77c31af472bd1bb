// Reply -> Slack Block Kit. Slack's limits live here, beside the code that must respect them:
// 50 blocks a message, 3,000 characters a section, 2,000 a button value, 75 a button label.
// Text from users and the knowledge is escaped so it can never ping, link or format.

import type { ActionsBlock, Button, ContextBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import type { Reply, ReplyCode } from '../assistant/reply.js';
import { slackAskValue, slackFeedbackValue } from './buttons.js';
import { headline } from './plain-text.js';

export const LIMITS = { blocks: 50, section: 3000, buttonValue: 2000, buttonText: 75, header: 150, actions: 25, context: 10 } as const;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const ACTION_ASK = 'codebot_ask';
export const ACTION_FEEDBACK = 'codebot_feedback';

/** &, < and > as Slack asks; formatting characters broken with a zero-width space. */
export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_~`])/g, '$1\u200b');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function plain(text: string, max: number): SectionBlock {
  return { type: 'section', text: { type: 'plain_text', text: cut(escapeSlack(text), max), emoji: false } };
}

/** Code lines as mrkdwn sections, each under Slack's 3,000 characters, with "...and N more" if cut. */
function codeSections(label: string, codes: ReplyCode[]): SectionBlock[] {
  const lines = codes.map((c) => `\`${c.code}\` ${escapeSlack(c.title ?? '(no title in the guidance text)')} _(${escapeSlack(c.role)}, ${c.guidance})_`);
  const sections: SectionBlock[] = [];
  let current = `*${escapeSlack(label)}*`;
  let shown = 0;
  for (const line of lines) {
    if (current.length + line.length + 1 > LIMITS.section - 40) {
      if (sections.length >= 2) break;
      sections.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current += `${current ? '\n' : ''}${line}`;
    shown++;
  }
  if (shown < lines.length) current += `\n...and ${lines.length - shown} more`;
  sections.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return sections;
}

function button(text: string, value: string, actionId: string, n: number): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: cut(text, LIMITS.buttonText), emoji: false },
    value: cut(value, LIMITS.buttonValue),
    action_id: `${actionId}_${n}`,
  };
}

export function renderBlocks(reply: Reply): SlackMessage {
  const body: KnownBlock[] = [];
  if (reply.title) body.push({ type: 'header', text: { type: 'plain_text', text: cut(escapeSlack(reply.title), LIMITS.header), emoji: false } });
  for (const n of reply.notices) body.push(plain(`⚠ ${n}`, LIMITS.section));
  if (reply.check) {
    const lines = reply.check.map((c) => `\`${escapeSlack(c.code)}\` *${c.verdict.replace(/_/g, ' ')}*: ${escapeSlack(c.note)}`);
    body.push({ type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), LIMITS.section) } });
  }
  for (const b of reply.blocks) {
    if (b.type === 'text') body.push(plain(b.text, LIMITS.section));
    else if (b.type === 'notice') body.push(plain(`⚠ ${b.text}`, LIMITS.section));
    else if (b.type === 'codes') body.push(...codeSections(b.label, b.codes));
    else body.push(plain(`“${b.text}” (${b.guidance})`, LIMITS.section));
  }
  const tail: Array<SectionBlock | ActionsBlock | ContextBlock> = [];
  if (reply.clarify) {
    tail.push(plain(reply.clarify.question, LIMITS.section));
    tail.push({ type: 'actions', elements: reply.clarify.options.slice(0, LIMITS.actions).map((o, i) => button(o.label, o.value, ACTION_ASK, i)) });
  }
  const cited = new Map<string, Reply['citations'][number]>();
  for (const c of reply.citations) if (!cited.has(c.guidance)) cited.set(c.guidance, c);
  const context: MrkdwnElement[] = [...cited.values()].slice(0, LIMITS.context - 1).map((c) => ({
    type: 'mrkdwn',
    text: cut(`Source: <${c.url}|NICE ${c.guidance}>, ${escapeSlack(c.section)}: “${escapeSlack(c.quote.replace(/\s+/g, ' ').trim())}”`, 300),
  }));
  const footer = reply.footer;
  if (footer.length > 0) context.push({ type: 'mrkdwn', text: cut(escapeSlack(footer.join(' ')), 2000) });
  if (context.length > 0) tail.push({ type: 'context', elements: context });
  const buttons: Button[] = reply.suggestions.map((s, i) => button(s, slackAskValue(reply, s), ACTION_ASK, 100 + i));
  if (reply.answered) {
    const value = slackFeedbackValue(reply);
    buttons.push({ ...button('Helpful', value, `${ACTION_FEEDBACK}_yes`, 0) });
    buttons.push({ ...button('Not helpful', value, `${ACTION_FEEDBACK}_no`, 0) });
  }
  if (buttons.length > 0) tail.push({ type: 'actions', elements: buttons.slice(0, LIMITS.actions) });

  // Whatever happens, the citation and the buttons stay: the body is what gets cut.
  const room = LIMITS.blocks - tail.length;
  let blocks = body;
  if (body.length > room) {
    blocks = body.slice(0, room - 1);
    blocks.push(plain(`...and ${body.length - (room - 1)} more parts: ask a narrower question to see them.`, LIMITS.section));
  }
  const codes = reply.codes.map((c) => c.code).join(', ');
  const text = cut(escapeSlack(`${headline(reply)}${codes ? ` (${codes})` : ''}`), 3000);
  return { text, blocks: [...blocks, ...tail] };
}

// Reply -> plain text: the terminal, `codebot batch`, and the fallback text of cards and messages.
// Built only from the Reply's data, like the Block Kit and Adaptive Card renderers.

import type { Reply } from '../assistant/reply.js';

export function plainText(reply: Reply): string {
  const lines: string[] = [];
  if (reply.title) lines.push(reply.title, '');
  for (const n of reply.notices) lines.push(`Note: ${n}`, '');
  if (reply.check) {
    for (const c of reply.check) lines.push(`  ${c.code.padEnd(7)} ${c.verdict.replace(/_/g, ' ')}: ${c.note}`);
    lines.push('');
  }
  let inRules = false;
  for (const b of reply.blocks) {
    if (b.type === 'rule' && !inRules) lines.push('What the guidance says:');
    inRules = b.type === 'rule';
    if (b.type === 'text') lines.push(b.text);
    else if (b.type === 'notice') lines.push(`Note: ${b.text}`);
    else if (b.type === 'codes') {
      lines.push(`${b.label}:`);
      for (const c of b.codes) lines.push(`  ${c.code.padEnd(7)} ${c.title ?? '(no title given in the guidance text)'}  [${c.role}]`);
    } else lines.push(`  - "${b.text}" (${b.guidance})`);
  }
  if (reply.clarify) {
    lines.push(reply.clarify.question);
    reply.clarify.options.forEach((o, i) => lines.push(`  ${i + 1}. ${o.label}`));
  }
  if (reply.footer.length > 0) lines.push('', ...reply.footer);
  if (reply.citations.length > 0) {
    lines.push('', 'Sources:');
    const seen = new Set<string>();
    for (const c of reply.citations) {
      if (seen.has(c.guidance)) continue;
      seen.add(c.guidance);
      lines.push(`  ${c.guidance} ${c.title}, ${c.section}: ${c.url}`);
    }
  }
  if (reply.suggestions.length > 0) {
    lines.push('', 'You could also ask:');
    for (const s of reply.suggestions) lines.push(`  - ${s}`);
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** The reply's first line: a notification or summary. */
export function headline(reply: Reply): string {
  return reply.title || plainText(reply).split('\n')[0]!;
}

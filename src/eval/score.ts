// Scoring replies against labelled questions (shared/eval's format), as plain functions.

import { z } from 'zod';
import type { Reply } from '../assistant/reply.js';
import { findPageCodes } from '../knowledge/codes.js';
import { IntentSchema } from '../nlu/intents.js';

export const EvalItemSchema = z.object({
  q: z.string(),
  intent: IntentSchema,
  codes: z.array(z.string()).optional(),
  guidance: z.string().optional(),
  answered: z.boolean().optional(),
});
export type EvalItem = z.infer<typeof EvalItemSchema>;

export function parseJsonl(text: string, file: string): EvalItem[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), no: i + 1 }))
    .filter((l) => l.line.length > 0)
    .map(({ line, no }) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${no}: not valid JSON (${(err as Error).message})`);
      }
      const r = EvalItemSchema.safeParse(json);
      if (!r.success) throw new Error(`${file}:${no}: ${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
      return r.data;
    });
}

/** A bare category ("Y53") is met by any code in it; a full code must appear as written. */
export function codePresent(expected: string, codes: string[]): boolean {
  const e = expected.toUpperCase();
  if (/^[A-Z]\d\d$/.test(e)) return codes.some((c) => c.toUpperCase().startsWith(e));
  return codes.some((c) => c.toUpperCase() === e);
}

/** Codes a reply states that the text of no guidance it cites contains. */
export function unsupportedCodes(reply: Reply, pageText: (id: string) => string | undefined): string[] {
  const stated = new Set<string>();
  for (const id of reply.guidance) {
    const page = pageText(id);
    if (page) for (const m of findPageCodes(page)) stated.add(m.code);
  }
  return reply.codes.map((c) => c.code).filter((c) => !stated.has(c) && !stated.has(c.replace(/\.-$/, '')));
}

export interface ItemResult {
  q: string;
  expected: EvalItem;
  intent: string;
  intentRight: boolean;
  answerRight: boolean;
  unsupported: string[];
  why: string[];
}

export function scoreItem(item: EvalItem, reply: Reply, pageText: (id: string) => string | undefined): ItemResult {
  const why: string[] = [];
  const intentRight = reply.intent === item.intent;
  if (!intentRight) why.push(`intent ${reply.intent}, expected ${item.intent}`);
  let answerRight = intentRight;
  if (item.answered === false) {
    if (reply.answered || reply.codes.length > 0) {
      answerRight = false;
      why.push('answered from the knowledge but should not have');
    }
  } else {
    const codes = reply.codes.map((c) => c.code);
    for (const c of item.codes ?? []) {
      if (!codePresent(c, codes)) {
        answerRight = false;
        why.push(`missing code ${c}`);
      }
    }
    if (item.guidance && !reply.guidance.includes(item.guidance)) {
      answerRight = false;
      why.push(`did not cite ${item.guidance}`);
    }
  }
  const unsupported = unsupportedCodes(reply, pageText);
  if (unsupported.length > 0) why.push(`codes not in cited text: ${unsupported.join(', ')}`);
  return { q: item.q, expected: item, intent: reply.intent, intentRight, answerRight, unsupported, why };
}

export interface Summary {
  total: number;
  intentAccuracy: number;
  answerAccuracy: number;
  unsupportedCodes: number;
  /** Of questions labelled out_of_scope, the share we declined. */
  fallbackPrecision: number | null;
  confusion: Record<string, Record<string, number>>;
}

export function summarise(results: ItemResult[]): Summary {
  const confusion: Record<string, Record<string, number>> = {};
  for (const r of results) {
    const row = (confusion[r.expected.intent] ??= {});
    row[r.intent] = (row[r.intent] ?? 0) + 1;
  }
  const oos = results.filter((r) => r.expected.intent === 'out_of_scope');
  const n = results.length || 1;
  return {
    total: results.length,
    intentAccuracy: results.filter((r) => r.intentRight).length / n,
    answerAccuracy: results.filter((r) => r.answerRight).length / n,
    unsupportedCodes: results.reduce((s, r) => s + r.unsupported.length, 0),
    fallbackPrecision: oos.length ? oos.filter((r) => r.answerRight).length / oos.length : null,
    confusion,
  };
}

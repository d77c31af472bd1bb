// Scoring replies against labelled questions (shared/eval's format), as plain functions.

import { z } from 'zod';
import type { Reply } from '../assistant/reply.js';
import { findPageCodes } from '../knowledge/codes.js';
import { IntentSchema } from '../shared/intents.js';

export const EvalItemSchema = z.object({
  q: z.string(),
  intent: IntentSchema,
  codes: z.array(z.string()).optional(),
  /** The guidance to cite, or a list any one of which will do. */
  guidance: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  answered: z.boolean().optional(),
  /** Codes that must not be in the answer. */
  forbid: z.array(z.string()).optional(),
});
export type EvalItem = z.infer<typeof EvalItemSchema>;

const EvalLineSchema = z.union([EvalItemSchema, z.object({ conversation: z.array(EvalItemSchema).min(1) })]);

/** One line of a labelled file: a question, or a conversation asked in order in one chat. */
export interface EvalLine {
  line: number;
  turns: EvalItem[];
}

export function parseLines(text: string, file: string): EvalLine[] {
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
      const r = EvalLineSchema.safeParse(json);
      if (!r.success) throw new Error(`${file}:${no}: ${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
      return { line: no, turns: 'conversation' in r.data ? r.data.conversation : [r.data] };
    });
}

/** Every turn of a file, in order (conversations flattened). */
export function parseJsonl(text: string, file: string): EvalItem[] {
  return parseLines(text, file).flatMap((l) => l.turns);
}

const expectedGuidance = (item: EvalItem): string[] => (item.guidance === undefined ? [] : typeof item.guidance === 'string' ? [item.guidance] : item.guidance);

/**
 * The worst outcome: codes given when no answer is expected, codes from guidance none of which is
 * the expected one, or a forbidden code.
 */
export function confidentlyWrong(item: EvalItem, reply: Reply): boolean {
  const codes = reply.codes.map((c) => c.code);
  if (codes.length === 0) return false;
  if (item.answered === false) return true;
  const expected = expectedGuidance(item);
  if (expected.length > 0 && !reply.guidance.some((g) => expected.includes(g))) return true;
  return (item.forbid ?? []).some((f) => codePresent(f, codes));
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
  const pages: string[] = [];
  for (const id of reply.guidance) {
    const page = pageText(id);
    if (page) {
      pages.push(page);
      for (const m of findPageCodes(page)) stated.add(m.code);
    }
  }
  const ok = (c: Reply['codes'][number]) =>
    c.system === 'SNOMED CT' ? pages.some((p) => p.includes(`(${c.code})`)) : stated.has(c.code) || stated.has(c.code.replace(/\.-$/, ''));
  return reply.codes.filter((c) => !ok(c)).map((c) => c.code);
}

export interface ItemResult {
  q: string;
  expected: EvalItem;
  intent: string;
  intentRight: boolean;
  answerRight: boolean;
  unsupported: string[];
  confidentlyWrong: boolean;
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
    const expected = expectedGuidance(item);
    if (expected.length > 0 && !reply.guidance.some((g) => expected.includes(g))) {
      answerRight = false;
      why.push(`did not cite ${expected.join(' or ')}`);
    }
    for (const f of item.forbid ?? []) {
      if (codePresent(f, codes)) {
        answerRight = false;
        why.push(`gave forbidden code ${f}`);
      }
    }
  }
  const unsupported = unsupportedCodes(reply, pageText);
  if (unsupported.length > 0) why.push(`codes not in cited text: ${unsupported.join(', ')}`);
  const wrong = confidentlyWrong(item, reply);
  if (wrong) why.push('CONFIDENTLY WRONG');
  return { q: item.q, expected: item, intent: reply.intent, intentRight, answerRight, unsupported, confidentlyWrong: wrong, why };
}

export interface Summary {
  total: number;
  intentAccuracy: number;
  answerAccuracy: number;
  unsupportedCodes: number;
  /** Share of turns answered confidently wrong (see confidentlyWrong). */
  confidentlyWrong: number;
  confidentlyWrongCount: number;
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
    confidentlyWrong: results.filter((r) => r.confidentlyWrong).length / n,
    confidentlyWrongCount: results.filter((r) => r.confidentlyWrong).length,
    fallbackPrecision: oos.length ? oos.filter((r) => r.answerRight).length / oos.length : null,
    confusion,
  };
}

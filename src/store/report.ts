// The coding lead's weekly read: what codebot could not answer (the guidance to add next), the
// intent mix, how helpful answers were per guidance, latency, and the busiest hours.

import { stringify } from 'csv-stringify/sync';
import { analyse } from '../text/analyse.js';
import type { Store } from './types.js';

/** Below this confidence an answered turn still counts as a weak one. */
export const LOW_CONFIDENCE = 0.5;

export interface Report {
  since: string;
  until: string;
  turns: number;
  answered: number;
  notAnswered: number;
  lowConfidence: number;
  /** Unanswered or low-confidence questions, grouped by similar wording, most frequent first. */
  gaps: Array<{ wording: string; count: number; intents: string[] }>;
  intents: Array<{ intent: string; count: number }>;
  helpful: Array<{ guidance: string; helpful: number; notHelpful: number; rate: number }>;
  latencyMs: { p50: number; p95: number };
  busiestHours: Array<{ hour: number; count: number }>;
}

/** Questions that mean the same thing share a key: their content terms, order and form aside. */
function wordingKey(question: string): string {
  const keys = [...new Set(analyse(question).filter((t) => !t.implied).map((t) => t.key))].sort();
  return keys.length > 0 ? keys.join(' ') : question.toLowerCase().replace(/\s+/g, ' ').trim();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function parseSince(text: string, now: Date = new Date()): Date {
  const m = /^(\d+)\s*([hdw])$/i.exec(text.trim());
  if (m) {
    const n = Number(m[1]);
    const unit = { h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[m[2]!.toLowerCase() as 'h' | 'd' | 'w'];
    return new Date(now.getTime() - n * unit);
  }
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`--since: "${text}" is neither a period like 7d, 24h or 2w nor a date`);
  return d;
}

export async function buildReport(store: Store, since: Date, now: Date = new Date()): Promise<Report> {
  const rows = await store.auditRows(since);
  const feedback = await store.feedbackRows(since);
  const gaps = new Map<string, { wording: string; count: number; intents: Set<string> }>();
  const intents = new Map<string, number>();
  const hours = new Map<number, number>();
  let answered = 0;
  let low = 0;
  for (const r of rows) {
    intents.set(r.intent, (intents.get(r.intent) ?? 0) + 1);
    const hour = new Date(r.at).getUTCHours();
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
    if (r.answered) answered++;
    const weak = r.answered && r.confidence < LOW_CONFIDENCE;
    if (weak) low++;
    // Greetings and off-topic chat are not gaps in the guidance.
    const conversational = r.intent === 'help' || r.intent === 'smalltalk' || r.intent === 'out_of_scope';
    if ((!r.answered && !conversational) || weak) {
      const key = wordingKey(r.question);
      const g = gaps.get(key) ?? { wording: r.question, count: 0, intents: new Set<string>() };
      g.count++;
      g.intents.add(r.intent);
      gaps.set(key, g);
    }
  }
  const perGuidance = new Map<string, { helpful: number; notHelpful: number }>();
  for (const f of feedback) {
    for (const g of f.guidance.length > 0 ? f.guidance : ['(none)']) {
      const v = perGuidance.get(g) ?? { helpful: 0, notHelpful: 0 };
      if (f.helpful) v.helpful++;
      else v.notHelpful++;
      perGuidance.set(g, v);
    }
  }
  const latencies = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    since: since.toISOString(),
    until: now.toISOString(),
    turns: rows.length,
    answered,
    notAnswered: rows.length - answered,
    lowConfidence: low,
    gaps: [...gaps.values()]
      .map((g) => ({ wording: g.wording, count: g.count, intents: [...g.intents].sort() }))
      .sort((a, b) => b.count - a.count || a.wording.localeCompare(b.wording)),
    intents: [...intents.entries()].map(([intent, count]) => ({ intent, count })).sort((a, b) => b.count - a.count || a.intent.localeCompare(b.intent)),
    helpful: [...perGuidance.entries()]
      .map(([guidance, v]) => ({ guidance, ...v, rate: Math.round((v.helpful / (v.helpful + v.notHelpful)) * 1000) / 1000 }))
      .sort((a, b) => b.helpful + b.notHelpful - (a.helpful + a.notHelpful) || a.guidance.localeCompare(b.guidance)),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    busiestHours: [...hours.entries()].map(([hour, count]) => ({ hour, count })).sort((a, b) => b.count - a.count || a.hour - b.hour).slice(0, 5),
  };
}

export function formatReport(r: Report, format: 'text' | 'json' | 'csv'): string {
  if (format === 'json') return JSON.stringify(r, null, 2);
  if (format === 'csv') {
    const rows: Array<Array<string | number>> = [['section', 'key', 'count', 'detail']];
    rows.push(['summary', 'turns', r.turns, '']);
    rows.push(['summary', 'answered', r.answered, '']);
    rows.push(['summary', 'not_answered', r.notAnswered, '']);
    rows.push(['summary', 'low_confidence', r.lowConfidence, '']);
    for (const g of r.gaps) rows.push(['gap', g.wording, g.count, g.intents.join(' ')]);
    for (const i of r.intents) rows.push(['intent', i.intent, i.count, '']);
    for (const h of r.helpful) rows.push(['helpful', h.guidance, h.helpful + h.notHelpful, `rate ${h.rate}`]);
    rows.push(['latency_ms', 'p50', r.latencyMs.p50, '']);
    rows.push(['latency_ms', 'p95', r.latencyMs.p95, '']);
    for (const h of r.busiestHours) rows.push(['hour_utc', h.hour, h.count, '']);
    // Questions are users' text: a leading = + - @ (or tab, CR) is escaped so a spreadsheet never
    // runs it as a formula; CR and LF inside a cell are quoted, never a new row.
    return stringify(rows, { escape_formulas: true, quoted_match: /[\r\n]/ }).trimEnd();
  }
  const out: string[] = [];
  out.push(`codebot report, ${r.since.slice(0, 16).replace('T', ' ')} to ${r.until.slice(0, 16).replace('T', ' ')} UTC`);
  out.push(`${r.turns} questions: ${r.answered} answered, ${r.notAnswered} not answered, ${r.lowConfidence} answered with low confidence`);
  out.push('', 'Not answered or low confidence (the guidance to add next), most frequent first:');
  if (r.gaps.length === 0) out.push('  none');
  for (const g of r.gaps.slice(0, 30)) out.push(`  ${String(g.count).padStart(4)}  ${g.wording}  [${g.intents.join(', ')}]`);
  out.push('', 'Intent mix:');
  for (const i of r.intents) out.push(`  ${String(i.count).padStart(4)}  ${i.intent}`);
  out.push('', 'Helpful rate per guidance:');
  if (r.helpful.length === 0) out.push('  no feedback yet');
  for (const h of r.helpful) out.push(`  ${h.guidance.padEnd(8)} ${(h.rate * 100).toFixed(0).padStart(3)}% helpful (${h.helpful} of ${h.helpful + h.notHelpful})`);
  out.push('', `Latency: p50 ${r.latencyMs.p50.toFixed(2)} ms, p95 ${r.latencyMs.p95.toFixed(2)} ms`);
  out.push(`Busiest hours (UTC): ${r.busiestHours.map((h) => `${String(h.hour).padStart(2, '0')}:00 (${h.count})`).join(', ') || 'none'}`);
  return out.join('\n');
}

// Searching codes and guidance by a few typed characters or words, for search boxes (the Teams
// messaging extension): "J12", "y53", "liver ablation". Every item carries its NICE citation.

import type { CodeMatch } from '../knowledge/codes.js';
import type { Knowledge, Occurrence } from '../knowledge/kb.js';
import type { LoadedEntry } from '../knowledge/load.js';
import type { Understanding } from '../nlu/understand.js';
import { citationOf, guidanceTitle } from './draft.js';
import type { Citation, ReplyCode } from './reply.js';

export interface LookupItem {
  /** Stable across calls: `code:J12.4@IPG327` or `guidance:IPG327`. */
  key: string;
  kind: 'code' | 'guidance';
  heading: string;
  detail: string;
  code: ReplyCode | null;
  guidance: string;
  citation: Citation;
}

function codeItem(kb: Knowledge, o: Occurrence): LookupItem {
  const le = kb.get(o.id)!;
  const c = o.code;
  return {
    key: `code:${c.code}@${o.id}`,
    kind: 'code',
    heading: `${c.code} ${c.title ?? '(no title in the guidance text)'}`,
    detail: `${c.system} · ${c.role} · ${o.id} ${guidanceTitle(le)}`,
    code: { system: c.system, code: c.code, title: c.title, role: c.role, guidance: o.id },
    guidance: o.id,
    citation: citationOf(le, c.start, c.end),
  };
}

function guidanceItem(le: LoadedEntry): LookupItem {
  const e = le.entry;
  return {
    key: `guidance:${e.id}`,
    kind: 'guidance',
    heading: `${e.id} ${guidanceTitle(le)}`,
    detail: `NICE interventional procedures guidance${e.version ? `, codes against ${e.version}` : ''}${e.complete ? '' : ' (loaded text incomplete)'}`,
    code: null,
    guidance: e.id,
    citation: citationOf(le, e.coding.start, e.coding.end),
  };
}

/** One occurrence per code, the first that gives a title. */
function distinct(os: Occurrence[]): Occurrence[] {
  const by = new Map<string, Occurrence>();
  for (const o of os) {
    const prev = by.get(o.code.code);
    if (!prev || (!prev.code.title && o.code.title)) by.set(o.code.code, o);
  }
  return [...by.values()];
}

export function lookupItems(kb: Knowledge, u: Understanding): LookupItem[] {
  const items: LookupItem[] = [];
  const seen = new Set<string>();
  const add = (i: LookupItem) => {
    if (!seen.has(i.key)) {
      seen.add(i.key);
      items.push(i);
    }
  };
  for (const id of u.guidanceIds) {
    const le = kb.get(id);
    if (le) add(guidanceItem(le));
  }
  for (const ref of u.codes as CodeMatch[]) {
    const l = kb.lookup(ref);
    const codes = distinct([...l.exact, ...l.inside]).sort((a, b) => (a.code.code < b.code.code ? -1 : a.code.code > b.code.code ? 1 : 0));
    for (const o of codes.length > 0 ? codes : distinct(l.coveredBy)) add(codeItem(kb, o));
  }
  if (u.terms.length > 0) {
    for (const x of kb.searchCodeTitles(u.terms)) add(codeItem(kb, x.o));
    for (const h of kb.index.search(u.terms).filter((h) => h.coverage >= 0.5)) add(guidanceItem(kb.get(h.id)!));
  }
  if (u.text.trim() === '') for (const le of kb.entries) add(guidanceItem(le));
  return items;
}

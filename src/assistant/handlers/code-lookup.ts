// code_lookup: what a code is called in the NICE text, which guidance uses it, the rules that
// mention it; or a search for codes by words ("liver ablation codes").

import { parseCode, type CodeRef } from '../../knowledge/codes.js';
import type { Occurrence } from '../../knowledge/kb.js';
import { queryTerms } from '../../knowledge/search.js';
import { midSentence, tidy } from '../draft.js';
import { bestMatch, hasTopic, type Turn } from '../turn.js';
import { NOT_COVERED, snomedBlocks } from './common.js';

const MAX_CODES = 8;
const MAX_LIST = 12;
/** Pages scoring this close to the best match are as much what the question names. */
const TOPIC_CLOSE = 0.8;

function ids(os: Occurrence[]): string[] {
  return [...new Set(os.map((o) => o.id))];
}

/** Put one occurrence's code into the reply, with a citation of where it is stated. */
function state(turn: Turn, o: Occurrence, role?: string) {
  const le = turn.kb.get(o.id)!;
  turn.draft.cite(le, o.code.start, o.code.end);
  return turn.draft.code(le, o.code, role);
}

function describe(turn: Turn, ref: CodeRef): boolean {
  const { kb, draft: d } = turn;
  const l = kb.lookup(ref);
  // A code listed in a group has its title there; one named in a note's sentence may carry the
  // sentence's next words ("Y53.4 if fluoroscopic control is used").
  const titled = l.exact.find((o) => o.where.type === 'group' && o.code.title !== null) ?? l.exact.find((o) => o.code.title !== null) ?? l.exact[0];
  if (titled) {
    const rc = state(turn, titled);
    const used = ids(l.exact);
    const line = rc.title
      ? `${rc.code} ${rc.title} (${rc.system}).`
      : `${rc.code} (${rc.system}): the guidance names this code without a title.`;
    d.text(line);
    d.text(`Used in ${used.join(', ')}${used.length > 1 ? '' : ''}, as ${[...new Set(l.exact.map((o) => o.code.role))].slice(0, 3).join('; ')}.`);
    if (ref.kind !== 'code' && l.inside.length > 0) {
      const inside = new Map<string, Occurrence>();
      for (const o of l.inside) if (!inside.has(o.code.code) || (!inside.get(o.code.code)!.code.title && o.code.title)) inside.set(o.code.code, o);
      const list = [...inside.values()].sort((a, b) => (a.code.code < b.code.code ? -1 : 1)).slice(0, MAX_LIST);
      d.codesBlock(`Codes in ${rc.code} that the loaded guidance states`, list.map((o) => state(turn, o)));
    }
    const rules = kb.rulesMentioning(ref).filter((x) => x.rule.kind !== 'diagnosis' || ref.kind !== 'code').slice(0, 2);
    for (const x of rules) d.rule(kb.get(x.id)!, x.rule);
    return true;
  }
  if (l.coveredBy.length > 0) {
    const cat = l.coveredBy.find((o) => o.code.title !== null) ?? l.coveredBy[0]!;
    const rc = state(turn, cat);
    d.text(
      `${ref.code} is not listed by itself in the loaded guidance. It falls under ${rc.code}${rc.title ? ` ${rc.title}` : ''}, which ${ids(l.coveredBy).join(', ')} use${ids(l.coveredBy).length > 1 ? '' : 's'}. The guidance does not give ${ref.code}'s own title: check it in the classification.`,
    );
    return true;
  }
  if (ref.kind !== 'code' && l.inside.length > 0) {
    d.text(`The loaded guidance does not state ${ref.code} itself, but it uses these codes within it:`);
    const seen = new Set<string>();
    const list = l.inside.filter((o) => !seen.has(o.code.code) && seen.add(o.code.code)).slice(0, MAX_LIST);
    d.codesBlock(`Codes in ${ref.code}`, list.map((o) => state(turn, o)));
    return true;
  }
  d.text(`${ref.code} does not appear in the loaded NICE guidance, so I can't tell you what it is.`);
  return false;
}

const SNOMED = /\bsnomed(?:[ -]?ct)?\b/i;

/**
 * "SNOMED term for intravesical chemotherapy": the SNOMED CT terms the guidance on it gives, or that
 * it gives none (only a few pages do), never its OPCS-4 codes instead.
 */
function snomedTerms(turn: Turn): boolean {
  const { kb, u, state, draft: d } = turn;
  const withTerms = kb.entries.filter((le) => le.entry.snomed.length > 0).map((le) => le.entry.id);
  const hit = bestMatch(kb, u.terms);
  // Named nothing ("SNOMED?"): the conversation's guidance.
  const named = u.terms.some((t) => !t.implied && t.category !== 'coding');
  const le = hit ? kb.get(hit.id) : !named && state.guidance ? kb.get(state.guidance) : undefined;
  if (!le) {
    d.title = 'SNOMED CT terms in the loaded guidance';
    d.text(`Which procedure? Only ${withTerms.length} loaded NICE guidance pages give SNOMED CT terms: ${withTerms.join(', ')}.`);
    return false;
  }
  d.use(le);
  if (le.entry.snomed.length === 0) {
    d.title = `No SNOMED CT term in ${le.entry.id}`;
    d.text(`${le.entry.id} (${tidy(le.entry.title.text)}) gives no SNOMED CT term, only classification codes. The loaded pages that give SNOMED CT terms are ${withTerms.join(', ')}.`);
    d.suggest(`How do I code ${tidy(le.entry.title.text)}?`);
    return true;
  }
  d.title = `SNOMED CT terms from ${le.entry.id}`;
  snomedBlocks(d, le);
  d.state = { guidance: le.entry.id, codes: [] };
  d.suggest(`How do I code ${tidy(le.entry.title.text)}?`);
  return true;
}

/** Codes whose titles carry the question's words. */
function searchCodes(turn: Turn): boolean {
  if (SNOMED.test(turn.u.text)) return snomedTerms(turn);
  const { kb, u, draft: d } = turn;
  const q = queryTerms(u.terms);
  if (q.required.length === 0 && q.optional.length === 0) {
    d.title = 'Which code?';
    d.text('Give me a code (e.g. "what is Y53.9?") or words to search code titles for (e.g. "which codes are there for liver ablation?").');
    return false;
  }
  const list = kb.searchCodeTitles(u.terms).slice(0, MAX_LIST);
  if (list.length === 0) {
    d.title = 'No matching codes';
    d.text(`No code title in the loaded NICE guidance matches "${u.text}". ${NOT_COVERED}`);
    return false;
  }
  d.title = `Codes in the loaded guidance matching "${tidy(u.text)}"`;
  d.codesBlock('Matching codes', list.map((x) => state(turn, x.o)));
  d.text('Each code is listed with the guidance that states it. Ask "how do I code ..." for the full set of codes for a procedure.');
  return true;
}

/**
 * "Y53.4 vs Y53.2 for SIRT?": the codes asked about as the guidance on what the question names gives
 * them (or that it does not), before what they are across the loaded guidance. Full matches only,
 * each page that fits as well as the best (SIRT for colorectal metastases, and for cholangiocarcinoma).
 */
function forTopic(turn: Turn, refs: CodeRef[]): string | null {
  const { kb, u, draft: d } = turn;
  if (!hasTopic(u.terms)) return null;
  const best = bestMatch(kb, u.terms);
  if (!best || best.missing.length > 0) return null;
  const pages = kb.index
    .search(u.terms)
    .filter((h) => h.missing.length === 0 && !h.contradicts && h.coverage >= best.coverage && h.score >= TOPIC_CLOSE * best.score)
    .slice(0, 3)
    .map((h) => kb.get(h.id)!);
  for (const le of pages) {
    const id = le.entry.id;
    d.use(le);
    const given = [];
    const absent: string[] = [];
    for (const ref of refs) {
      const l = kb.lookup(ref);
      const o = [...l.exact, ...l.coveredBy, ...l.inside].find((x) => x.id === id);
      if (o) given.push(state(turn, o));
      else absent.push(ref.code);
    }
    d.text(`For ${midSentence(le.entry.title.text)} (${id}):`);
    d.codesBlock(`${id} gives`, given);
    if (absent.length > 0) d.text(`${id} does not list ${absent.join(' or ')}.`);
  }
  d.text('Across the loaded guidance:');
  return pages.length === 1 ? pages[0]!.entry.id : null;
}

/** "which guidance uses it?" after a code: the conversation's codes. */
export const USES_IT =
  /\b(?:which|what)\s+(?:nice\s+)?(?:guidance|guidances|pages?|ipgs?|procedures?|operations?)\s+(?:uses?|lists?|gives?|has|have|mentions?|includes?|needs?)\s+(?:it|that(?:\s+code)?|this(?:\s+code)?|them|those(?:\s+codes)?)\b|\bwhere\s+(?:else\s+)?(?:is|are)\s+(?:it|that|this|they)\s+(?:also\s+)?used\b|\bwhat\s+(?:is|are)\s+(?:it|that|this|they)\s+used\s+for\b/i;

export function codeLookup(turn: Turn): void {
  const { u, state: conversation, draft: d } = turn;
  const asked: CodeRef[] = u.codes.length === 0 && USES_IT.test(u.text) ? conversation.codes.map((c) => parseCode(c)).filter((r) => r !== undefined) : u.codes;
  if (asked.length === 0) {
    d.answered = searchCodes(turn);
    return;
  }
  const refs = asked.slice(0, MAX_CODES);
  d.title = refs.length === 1 ? `Code ${refs[0]!.code}` : `Codes ${refs.map((r) => r.code).join(', ')}`;
  const topic = forTopic(turn, refs);
  let any = false;
  for (const ref of refs) any = describe(turn, ref) || any;
  if (asked.length > MAX_CODES) d.text(`...and ${asked.length - MAX_CODES} more codes: ask about them separately.`);
  d.answered = any;
  if (!any) {
    d.codes.length = 0;
    d.text(NOT_COVERED);
  }
  d.state = { ...(topic ? { guidance: topic } : {}), codes: refs.map((r) => r.code) };
  const first = d.codes[0];
  if (first) d.suggest(`Why is ${first.code} used?`);
}

// guidance_summary: what a guidance is about, what it replaces, its codes at a glance, a link.

import { tidy } from '../draft.js';
import { hasTopic, resolveGuidance, topicOf, wordsFor, type Turn } from '../turn.js';
import { askWhich, entryName, notFound } from './common.js';

const REPLACES = /\b(?:replace[sd]?|supersede[sd]?|previous|earlier|older|update[sd]?|instead of)\b/i;
/** Asking whether a page is still in force. */
/** When it was published: "when was IPG327 published", "what year is the TAVI guidance from". */
export const WHEN = /\bwhen\s+(?:was|were|did)\b.*\b(?:publish\w*|issu\w*|releas\w*|come out|came out|written|produced)\b|\b(?:publication|issue)\s+date\b|\bdate\s+of\s+(?:publication|issue)\b|\bwhat\s+year\b/i;
/** The sentence of a page that says when NICE issued it ("... has issued full guidance ... in January 2015."). */
const ISSUED = /[^.\n]*\bhas issued\b[^.\n]*?\bin ((?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b[^.\n]*\./;
const CURRENT = /\b(?:current|latest|newest|most\s+recent|up[- ]to[- ]date|still\s+valid|in\s+force|withdrawn|out\s+of\s+date|obsolete)\b/i;

function firstSentences(text: string, n: number): string {
  const t = tidy(text);
  const parts = t.match(/[^.!?]+[.!?]+(?:\s|$)/g) ?? [t];
  return parts.slice(0, n).join('').trim();
}

/** "Which guidance covers SIRT?" asks for a list, not for one guidance picked from several. */
const WHICH = /\b(?:which|what|any|is there)\b.*\b(?:guidance|ipgs?|guidelines?)\b|\bguidance (?:on|for|about)\b.*\?$/i;

function listGuidance(turn: Turn): boolean {
  const { kb, u, draft: d } = turn;
  if (u.guidanceIds.length > 0 || !WHICH.test(u.text) || !hasTopic(u.terms)) return false;
  const hits = kb.index.search(u.terms).filter((h) => h.coverage >= 0.5);
  if (hits.length < 2) return false;
  d.answered = true;
  d.title = `NICE guidance on "${topicOf(u)}"`;
  d.text(`${hits.length} loaded guidance pages match, best first:`);
  for (const h of hits.slice(0, 6)) {
    const le = kb.get(h.id)!;
    d.cite(le, le.entry.title.start, le.entry.title.end, 'Title');
    d.text(`  ${entryName(le)}: ${le.entry.url}`);
  }
  if (hits.length > 6) d.text(`...and ${hits.length - 6} more: ask with more detail to narrow it down.`);
  for (const h of hits.slice(0, 2)) d.suggest(`Summarise ${h.id}`);
  return true;
}

export function guidanceSummary(turn: Turn): void {
  const { kb, u, draft: d } = turn;
  if (listGuidance(turn)) return;
  // "What replaced IPG92?": an id that is not loaded, but that a loaded guidance says it replaces.
  const askedId = u.guidanceIds[0];
  if (askedId && !kb.get(askedId)) {
    const successor = kb.entries.find((le) => le.entry.replaces?.id === askedId);
    if (successor) {
      const e = successor.entry;
      d.answered = true;
      d.title = `${askedId} was replaced by ${e.id}`;
      d.state = { guidance: e.id, group: null, codes: [] };
      d.cite(successor, e.replaces!.start, e.replaces!.end, 'Introduction');
      d.text(`${askedId} is not loaded itself, but ${entryName(successor)} says: ${tidy(e.replaces!.text)}`);
      d.text(`Full guidance: ${e.url}`);
      d.suggest(`How do I code ${tidy(e.title.text)}?`);
      return;
    }
  }
  const r = resolveGuidance(turn);
  if (r.kind === 'ambiguous') return askWhich(turn, r.entries, (le) => `summarise ${le.entry.id}`);
  if (r.kind === 'none') {
    if (r.reason === 'no-topic') {
      d.answered = true;
      d.title = 'Guidance loaded';
      d.text(`I have ${kb.entries.length} NICE interventional procedures guidance pages loaded, for example:`);
      for (const le of kb.entries.slice(0, 8)) d.text(`  ${entryName(le)}`);
      d.text('Ask "summarise IPGnnn" or "what does NICE say about <procedure>".');
      return;
    }
    return notFound(turn, r, 'a summary');
  }
  const le = r.entry;
  const e = le.entry;
  d.answered = true;
  d.title = entryName(le);
  d.state = { guidance: e.id, group: null, codes: [] };
  d.use(le);
  if (r.hit && r.hit.missing.length > 0) d.partial(le, wordsFor(u, r.hit.missing));
  // "summary of SIRT guidance", two SIRT pages loaded: the other is named, not left out unsaid.
  if (r.alsoFor && r.alsoFor.length > 0) {
    d.notice(`The question does not say the condition. This is ${e.id}; other loaded guidance on the same procedure: ${r.alsoFor.map((o) => `${o.entry.id} (${tidy(o.entry.title.text)})`).join('; ')}.`);
    for (const o of r.alsoFor.slice(0, 2)) d.suggest(`Summarise ${o.entry.id}`);
  }

  const asksReplaces = REPLACES.test(u.text);
  const replaces = () => {
    if (e.replaces) {
      d.cite(le, e.replaces.start, e.replaces.end, 'Introduction');
      d.text(`${tidy(e.replaces.text)}${e.replaces.id ? ` (${e.replaces.id}${e.replaces.date ? `, ${e.replaces.date}` : ''})` : ''}`);
    } else if (asksReplaces) {
      d.text(`The loaded text of ${e.id} does not say that it replaces earlier guidance.`);
    }
  };
  if (asksReplaces) replaces();
  if (e.description) {
    d.cite(le, e.description.start, e.description.end, 'Description');
    d.text(firstSentences(e.description.text, 2));
  }
  if (!asksReplaces) replaces();

  const codes = e.groups.flatMap((g) => g.items.filter((i) => i.type === 'code'));
  const diagnosis = e.rules.flatMap((rule) => rule.codes.filter((c) => c.system === 'ICD-10'));
  if (codes.length > 0 || diagnosis.length > 0) {
    d.cite(le, e.coding.start, e.coding.end);
    d.codesBlock(`Codes at a glance (${e.version ?? 'OPCS-4'})`, codes.map((c) => d.code(le, c)));
    d.codesBlock('ICD-10', diagnosis.map((c) => d.code(le, c)));
  }
  // When NICE issued it: the page's own sentence, when it has one.
  if (WHEN.test(u.text)) {
    const issued = ISSUED.exec(le.page);
    if (issued) {
      d.cite(le, issued.index, issued.index + issued[0].length, 'Introduction');
      d.text(`${e.id} was issued in ${issued[1]}, as its page says.`);
    } else d.text(`The loaded text of ${e.id} does not say when it was issued; NICE's page for it does.`);
  }
  // Whether it is still in force is not in the page as it was captured: said, with where to check.
  if (CURRENT.test(u.text)) d.text(`Whether ${e.id} is still current, the loaded text cannot say: it is the page as it was captured, and NICE may have updated, replaced or withdrawn it since; the link below is to NICE's page for it.`);
  d.text(`Full guidance: ${e.url}`);
  d.suggest(`How do I code ${tidy(e.title.text)}?`);
  d.state.codes = d.codes.map((c) => c.code);
}

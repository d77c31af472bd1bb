// rule_explanation: why and when a coding rule applies, quoted from the guidance that says so.

import { chaptersAsked, covers, parseCode, sameCode, type CodeRef } from '../../knowledge/codes.js';
import type { LoadedEntry } from '../../knowledge/load.js';
import type { CodeItem, Rule } from '../../knowledge/schema.js';
import { keysOf } from '../../text/analyse.js';
import { operationTerm } from '../../text/operations.js';
import { tidy } from '../draft.js';
import type { Knowledge } from '../../knowledge/kb.js';
import { hasTopic, type Turn } from '../turn.js';
import { compare, comparesWith, imagingHint, NOT_COVERED } from './common.js';

interface Candidate {
  le: LoadedEntry;
  rule: Rule;
  score: number;
  /** Its place in the rule index. */
  at: number;
}

/** A question about the order of codes. */
const ORDER = /\b(?:first|order|sequenc\w*|before|after|goes? (?:first|second)|primary position)\b/i;
/** A rule that does speak of order. */
const ORDER_IN_RULE = /\b(?:first|order|sequenc\w*|before|after|followed by|precede\w*|(?:primary|secondary|subsidiary|supplementary) codes?)\b/i;

const EXPLAINED = new Set(['note', 'additional', 'diagnosis', 'limitation', 'instruction', 'advice']);
/** Plain words that ask about coding itself ("is the approach code mandatory"), not about a topic. */
const CODING_STEMS = new Set(['approach', 'method', 'order', 'sequenc', 'side', 'lateral']);
/** Concepts that are about coding itself (site, diagnosis code, image guided), not a topic ("recurrent"). */
const CODING_CATEGORIES = new Set(['coding', 'approach', 'imaging']);

const itemRules = new WeakMap<LoadedEntry, Rule[]>();
/** A listed code with a condition ("Y89.- Brachytherapy (where necessary)") is a rule too. */
function qualifiedItems(le: LoadedEntry): Rule[] {
  let rules = itemRules.get(le);
  if (!rules) {
    rules = le.entry.groups.flatMap((g) =>
      g.items
        .filter((i): i is CodeItem => i.type === 'code' && i.qualifier !== null)
        .map((i) => ({ kind: 'additional' as const, text: le.page.slice(i.start, i.end), start: i.start, end: i.end, codes: [i], truncated: false })),
    );
    itemRules.set(le, rules);
  }
  return rules;
}

interface RuleIndex {
  /** Every explained rule, in guidance order then rule order. */
  all: Array<{ le: LoadedEntry; id: string; rule: Rule; keys: Set<string>; number: number }>;
  /** Each rule's wording (see plain()) as a number, the same for the same wording; set when first needed. */
  wording: Int32Array;
  wordings: Map<string, number>;
  byStem: Map<string, number[]>;
  byKey: Map<string, number[]>;
  byEntry: Map<string, number[]>;
}

/** The three-character categories from `stem` to `last` ("K40", "K44": K40 ... K44). */
function stemsOf(stem: string, last?: string): string[] {
  const letter = stem[0]!;
  const lo = Number(stem.slice(1));
  const hi = Number((last ?? stem).slice(1));
  const out: string[] = [];
  for (let n = lo; n <= hi && n - lo < 100; n++) out.push(`${letter}${String(n).padStart(2, '0')}`);
  return out.length > 0 ? out : [stem];
}

const ruleIndexes = new WeakMap<Knowledge, RuleIndex>();
function ruleIndex(kb: Knowledge): RuleIndex {
  let index = ruleIndexes.get(kb);
  if (index) return index;
  const built: RuleIndex = { all: [], wording: new Int32Array(0), wordings: new Map(), byStem: new Map(), byKey: new Map(), byEntry: new Map() };
  const put = (map: Map<string, number[]>, key: string, at: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [at]);
    else if (list[list.length - 1] !== at) list.push(at);
  };
  for (const le of kb.entries) {
    for (const rule of [...le.entry.rules, ...qualifiedItems(le)]) {
      if (!EXPLAINED.has(rule.kind)) continue;
      const at = built.all.length;
      const keys = keysOf(rule.text);
      built.all.push({ le, id: le.entry.id, rule, keys, number: Number(le.entry.id.slice(3)) });
      put(built.byEntry, le.entry.id, at);
      for (const k of keys) put(built.byKey, k, at);
      // A range names every category in it (K40-K44 covers K42).
      for (const c of rule.codes) for (const stem of stemsOf(c.stem, c.last)) put(built.byStem, stem, at);
    }
  }
  built.wording = new Int32Array(built.all.length).fill(-1);
  ruleIndexes.set(kb, built);
  index = built;
  return index;
}

/** A rule's wording without layout or its "Note:" label, to spot the same rule on other pages. */
function plain(rule: Rule): string {
  return tidy(rule.text).replace(/^Note:?\s*/i, '');
}

/** The number of the index's rule `at`'s wording: equal numbers, equal wording. */
function wordingOf(index: RuleIndex, at: number): number {
  let n = index.wording[at]!;
  if (n < 0) {
    const text = plain(index.all[at]!.rule);
    n = index.wordings.get(text) ?? index.wordings.size;
    index.wordings.set(text, n);
    index.wording[at] = n;
  }
  return n;
}

function mentions(rule: Rule, ref: CodeRef): boolean {
  return rule.codes.some((c) => sameCode(c, ref) || covers(ref, c) || covers(c, ref));
}

/**
 * No rule names the code, but guidance lists it: say how it is listed (its role, under which
 * heading), quoting the lines, rather than nothing.
 */
function explainListing(turn: Turn, codes: CodeRef[], only?: string): boolean {
  const { kb, draft: d } = turn;
  const listed = codes.flatMap((c) => [...kb.lookup(c).exact, ...kb.lookup(c).inside].filter((o) => o.where.type === 'group' && (only === undefined || o.id === only)));
  if (listed.length === 0) return false;
  d.answered = true;
  d.title = `How NICE uses ${codes.map((c) => c.code).join(', ')}`;
  d.text(only === undefined ? 'No NICE note gives a rule for this code on its own; the guidance lists it as follows:' : `${only} has no note on ${codes.length > 1 ? 'these codes; it lists them' : 'this code; it lists it'} as follows:`);
  const seen = new Set<string>();
  for (const o of listed) {
    if (seen.has(o.id) || seen.size >= 4) continue;
    seen.add(o.id);
    const le = kb.get(o.id)!;
    const group = o.where.type === 'group' ? le.entry.groups[o.where.group] : undefined;
    d.cite(le, o.code.start, o.code.end);
    const rc = d.code(le, o.code);
    d.text(`${o.id} (${tidy(le.entry.title.text)})${group?.heading ? `, ${tidy(group.heading.text).replace(/:$/, '')}` : ''}: ${rc.code} ${rc.title ?? ''} as ${rc.role}.`);
    // The guidance's "or" beside it is part of the answer: "Y75.2 ... or Y75.4 Hand assisted ...".
    if (group && o.where.type === 'group') {
      const at = o.where.item;
      for (const [i, alt] of group.items.entries()) {
        if (alt.type !== 'code' || i === at) continue;
        const linked = alt.alternativeTo === at || (group.items[at]?.type === 'code' && (group.items[at] as CodeItem).alternativeTo === i);
        if (!linked) continue;
        d.cite(le, alt.start, alt.end);
        const ra = d.code(le, alt);
        d.text(`Or, as ${o.id} gives it: ${ra.code} ${ra.title ?? ''} (${ra.role}).`);
      }
    }
  }
  for (const id of [...seen].slice(0, 1)) d.suggest(`How do I code ${tidy(kb.get(id)!.entry.title.text)}?`);
  d.state = { guidance: [...seen][0] ?? null, codes: d.codes.map((c) => c.code) };
  return true;
}

/**
 * No note on it, but the conversation's guidance lists codes whose title or role answers the words
 * ("which Y code for the imaging?": Y53.4, approach under fluoroscopic control, as image control).
 */
function listedFor(turn: Turn, id: string, asked: string[]): boolean {
  const le = turn.kb.get(id);
  if (!le || asked.length === 0) return false;
  const items = le.entry.groups
    .flatMap((g) => g.items)
    .filter((i): i is CodeItem => i.type === 'code' && asked.some((k) => keysOf(`${i.title ?? ''}\n${i.role}`).has(k)));
  return items.length > 0 && explainListing(turn, items, id);
}

/**
 * A chapter asked about of one guidance ("is a Y code needed?", "any Z codes?"), which no note of it
 * names: how it lists such codes, or that it gives none, with the codes it does give. False when a
 * note names one (the rules answer), or the guidance gives no codes at all (its notes say why).
 */
function answerChapter(turn: Turn, id: string, chapters: string[]): boolean {
  const { kb, draft: d } = turn;
  const le = kb.get(id);
  if (!le) return false;
  const inChapter = (code: string) => chapters.includes(code[0]!);
  const rules = [...le.entry.rules, ...qualifiedItems(le)].filter((r) => EXPLAINED.has(r.kind));
  if (rules.some((r) => r.codes.some((c) => inChapter(c.code)))) return false;
  const items = le.entry.groups.flatMap((g) => g.items);
  const codeItems = items.filter((i): i is CodeItem => i.type === 'code');
  if (codeItems.length === 0) return false;
  const listed = codeItems.filter((i) => inChapter(i.code));
  if (listed.length > 0) return explainListing(turn, listed, id);
  const letters = chapters.join(' or ');
  const title = tidy(le.entry.title.text);
  d.answered = true;
  d.suggest(`How do I code ${title}?`);
  // A line that names the chapter and no code in it ("Chapter 'Z' code for site in lower respiratory tract").
  // (Any line of the section: a statement such as "Plus a Chapter 'Z' code ..." is no explained rule.)
  const lines = [...items.filter((i) => i.type === 'text'), ...le.entry.groups.flatMap((g) => [g.heading, g.instruction].filter((x) => x !== null)), ...le.entry.rules];
  const saying = lines.filter((x, i) => chaptersAsked(x.text).some((c) => chapters.includes(c)) && lines.findIndex((y) => y.start === x.start) === i);
  if (saying.length > 0) {
    d.title = `${letters} code in ${id}`;
    d.text(`${id} (${title}) says:`);
    for (const x of saying) d.rule(le, { kind: 'note', text: x.text, start: x.start, end: x.end, codes: [], truncated: false });
    d.text(`It gives no particular ${letters} code: the one to use is found in OPCS-4 for what this line describes. ${NOT_COVERED}`);
    d.state = { guidance: id, codes: [] };
    return true;
  }
  d.title = `No ${letters} code in ${id}`;
  d.text(`${id} (${title}) gives no ${letters} code. The codes it gives are:`);
  for (const i of codeItems) d.cite(le, i.start, i.end);
  d.codesBlock(`Codes in ${id}`, codeItems.map((i) => d.code(le, i)));
  d.text(`Whether the national coding standards call for a ${letters} code as well, NICE does not say here. ${NOT_COVERED}`);
  d.state = { guidance: id, codes: d.codes.map((c) => c.code) };
  return true;
}


export function ruleExplanation(turn: Turn): void {
  const { kb, u, state, draft: d } = turn;
  // A conversation about codes and no guidance ("what does Y53.2 mean", then "is it mandatory"):
  // the question is about those codes.
  const aboutCodes = u.codes.length === 0 && !state.guidance && u.guidanceIds.length === 0 && !hasTopic(u.terms);
  const codes: CodeRef[] = u.codes.length > 0 ? u.codes : aboutCodes ? state.codes.map((c) => parseCode(c)).filter((r) => r !== undefined) : [];
  // Words that find no guidance at all are not a topic of their own: the conversation's stays.
  // Words that only describe the code asked about ("why Y12.3? isn't that electrochemotherapy")
  // are not a new topic: the conversation's guidance stays.
  const namedTerms = u.terms.filter((t) => !t.implied && t.category && t.category !== 'coding');
  const describesCode = codes.length > 0 && namedTerms.length > 0 && namedTerms.every((t) => codes.some((c) => kb.codeTitleWords(c).has(t.key)));
  const found = hasTopic(u.terms) && !describesCode ? kb.index.search(u.terms) : [];
  const topical = found.length > 0;
  // A topic only partly like a guidance (hair transplant against corneal transplantation) is not it.
  const hits = found.filter((h) => h.coverage >= 0.5 && !h.contradicts);
  // Outside a conversation, a procedure, organ or condition that finds no guidance at all is not
  // covered either: another page's rule that shares a word with it ("aneurysm") is not about it.
  const namesConcept =
    hasTopic(u.terms) &&
    !describesCode &&
    u.terms.some((t) => !t.implied && !t.aside && (t.category === 'procedure' || t.category === 'organ' || t.category === 'condition' || operationTerm(u.text, t)));
  if ((topical || (namesConcept && !state.guidance)) && hits.length === 0 && codes.length === 0 && u.guidanceIds.length === 0) {
    d.answered = false;
    d.title = 'Not covered by the loaded NICE guidance';
    d.text(`None of the loaded NICE guidance is about that, so I have no rule to quote. ${NOT_COVERED}`);
    return;
  }
  // Compared with the conversation's guidance: both pages' codes, side by side.
  const otherHit = hits[0];
  if (comparesWith(turn, otherHit)) {
    const other = kb.get(otherHit!.id);
    const context = kb.get(state.guidance!);
    if (other && context) {
      compare(turn, other, context);
      return;
    }
  }
  const topScore = hits[0]?.score ?? 0;
  const entryScore = new Map(hits.map((h) => [h.id, h.score / (topScore || 1)]));
  const asked = u.terms.filter((t) => !t.implied);
  const askedKeys = new Set(asked.map((t) => t.key));
  const contextId = topical || u.guidanceIds.length > 0 ? (u.guidanceIds[0] ?? null) : state.guidance;
  const contextCodes = codes.length === 0 && !topical ? state.codes : [];

  // A chapter asked about ("is a Y code needed?"): the guidance's notes that name one, else how it
  // lists them, else that it gives none. Not another note of it: "The OPCS-4 code for ... is:" is
  // no answer to it.
  const chapters = codes.length === 0 ? chaptersAsked(u.text) : [];
  const chapterOf = u.guidanceIds[0] ?? hits[0]?.id ?? contextId;
  if (chapters.length > 0 && chapterOf && answerChapter(turn, chapterOf, chapters)) return;
  const inChapters = (rule: Rule) => chapters.length === 0 || !chapterOf || rule.codes.some((c) => chapters.includes(c.code[0]!));

  if (codes.length === 0 && askedKeys.size === 0 && !contextId) {
    d.answered = false;
    d.title = 'Which rule?';
    d.text('Which code or rule do you mean? For example: "why do I need a Y53 code?" or "which Y53 code if the imaging method is not recorded?"');
    return;
  }

  // With no code, guidance or conversation to go on, only the words about coding (concepts such as
  // site, image guided, diagnosis; "approach") find a rule: a topic word another page's note shares
  // ("episode" in "FMT for first episode of C diff", against the depression guidance) is not the topic.
  const wordsOnly = codes.length === 0 && u.guidanceIds.length === 0 && hits.length === 0 && !contextId;
  const aboutCoding = new Set(asked.filter((t) => (t.category ? CODING_CATEGORIES.has(t.category) : CODING_STEMS.has(t.key.slice(2)))).map((t) => t.key));
  const askedList = [...askedKeys].filter((k) => !wordsOnly || aboutCoding.has(k));
  // Between the rules on a code asked about, what the question's words entail counts for half
  // ("axillary clearance" is lymph node removal, which one note on B27 is about).
  const impliedList = codes.length === 0 ? [] : [...new Set(u.terms.filter((t) => t.implied && !askedKeys.has(t.key)).map((t) => t.key))];
  const candidates: Candidate[] = [];
  // Only rules that can score: those naming an asked or conversation code, having an asked word,
  // or belonging to a guidance found or in the conversation (an index, not every rule).
  const index = ruleIndex(kb);
  const seen = new Uint8Array(index.all.length);
  const picked: number[] = [];
  const addAll = (xs: number[] | undefined) => {
    for (const x of xs ?? []) {
      if (seen[x]) continue;
      seen[x] = 1;
      picked.push(x);
    }
  };
  // Guidance named, or found for the question's words: only their rules can be chosen (below).
  // A code asked about in a conversation is looked for in the conversation's guidance too ("they did
  // an axillary clearance too, is that included in B27?": the mastectomy page's note on B27, though
  // the words find the axillary clearance page).
  const withContext = (ids: string[]) => (state.guidance && codes.length > 0 && !ids.includes(state.guidance) ? [...ids, state.guidance] : ids);
  const only = u.guidanceIds.length > 0 ? u.guidanceIds.filter((id) => hits.length === 0 || entryScore.has(id)) : hits.length > 0 ? withContext([...entryScore.keys()]) : null;
  if (only) for (const id of only) addAll(index.byEntry.get(id));
  else {
    for (const c of codes) for (const stem of stemsOf(c.stem, c.last)) addAll(index.byStem.get(stem));
    for (const code of contextCodes) for (const stem of stemsOf(code.slice(0, 3), /-([A-Z]\d\d)$/.exec(code)?.[1])) addAll(index.byStem.get(stem));
    for (const k of askedList) addAll(index.byKey.get(k));
    for (const id of contextId ? [contextId] : []) addAll(index.byEntry.get(id));
  }
  // A rule can name a code only if it is filed under one of the code's categories: the rest are
  // not compared code by code.
  const filed = codes.map((c) => {
    const marks = new Uint8Array(index.all.length);
    for (const stem of stemsOf(c.stem, c.last)) for (const at of index.byStem.get(stem) ?? []) marks[at] = 1;
    return marks;
  });
  for (const at of Int32Array.from(picked).sort()) {
    // (Rules of other guidance than those named or found were never picked.)
    const { le, id, rule, keys: ruleKeys } = index.all[at]!;
    let score = 0;
    for (let i = 0; i < codes.length; i++) if (filed[i]![at] && mentions(rule, codes[i]!)) score += 3;
    // The conversation's codes say which guidance more than which of its rules: once, however
    // many, and less than a word of the question.
    if (contextCodes.length > 0 && contextCodes.some((c) => rule.codes.some((rc) => rc.code === c))) score += 0.5;
    for (const k of askedList) if (ruleKeys.has(k)) score += 1;
    for (const k of impliedList) if (ruleKeys.has(k)) score += 0.5;
    if (hits.length > 0) score += 2 * (entryScore.get(id) ?? 0);
    if (id === contextId) score += 1.5;
    if (score > 0 && inChapters(rule)) candidates.push({ le, rule, score, at });
  }
  // A follow-up with no topic of its own is about the conversation's guidance: its rules first,
  // and if it has none on this, how it lists the code, before any other guidance.
  if (contextId && !topical && u.guidanceIds.length === 0) {
    // A rule of the conversation's guidance that meets the question's words, when it has any ("why?"
    // has none, and the guidance's main rule answers it; "which goes first?" is about any of them).
    const meets = (c: Candidate) => askedList.length === 0 || ORDER.test(u.text) || askedList.some((k) => index.all[c.at]!.keys.has(k));
    const own = candidates.filter((c) => c.le.entry.id === contextId && (codes.length === 0 ? meets(c) : codes.some((x) => mentions(c.rule, x))));
    if (own.length > 0) candidates.splice(0, candidates.length, ...own);
    else if (codes.length === 0 && listedFor(turn, contextId, askedList)) return;
    else if (codes.length === 0) {
      // Another page's note ("which site code?" after a nephrectomy: a finger joint page's Z83) is
      // not about this procedure: say the conversation's guidance has none.
      const le = kb.get(contextId)!;
      d.answered = false;
      d.title = `No note on that in ${contextId}`;
      d.text(`${contextId} (${tidy(le.entry.title.text)}) has no note about that, so I have no rule to quote from it. ${NOT_COVERED}`);
      d.suggest(`Summarise ${contextId}`);
      return;
    } else if (codes.length > 0 && explainListing(turn, codes, contextId)) {
      // Another guidance's note on this code alone ("a fourth character must be selected from
      // M02.-") still answers the question, said as coming from there. A note that ties the code
      // to that guidance's other codes is about that procedure, not this one.
      const aboutOnly = (rule: Rule) => rule.codes.length > 0 && rule.codes.every((rc) => codes.some((x) => sameCode(rc, x) || covers(x, rc) || covers(rc, x)));
      // Only from guidance on the same procedure: the same primary procedure code.
      const primaries = (le: LoadedEntry) => le.entry.groups.flatMap((g) => g.items).filter((i): i is CodeItem => i.type === 'code' && i.role.startsWith('primary')).map((i) => i.code);
      const own = new Set(primaries(kb.get(contextId)!));
      const elsewhere = candidates.filter((c) => c.le.entry.id !== contextId && aboutOnly(c.rule) && primaries(c.le).some((p) => own.has(p))).sort((a, b) => b.score - a.score || Number(a.le.entry.id.slice(3)) - Number(b.le.entry.id.slice(3)) || a.rule.start - b.rule.start)[0];
      if (elsewhere) {
        d.text(`Another loaded guidance has a note on it: ${elsewhere.le.entry.id} (${tidy(elsewhere.le.entry.title.text)}) says:`);
        d.rule(elsewhere.le, elsewhere.rule);
      }
      return;
    }
  }
  // Between equally good rules, the wording most guidance shares is the general rule.
  const shared = new Map<number, number>();
  const wordings = candidates.map((c) => wordingOf(index, c.at));
  for (const w of wordings) shared.set(w, (shared.get(w) ?? 0) + 1);
  // Sort keys worked out once per candidate, not once per comparison.
  type Keyed = { c: Candidate; shared: number; id: number };
  const keyed: Keyed[] = candidates.map((c, i) => ({ c, shared: shared.get(wordings[i]!)!, id: index.all[c.at]!.number }));
  const order = (a: Keyed, b: Keyed) => b.c.score - a.c.score || b.shared - a.shared || a.id - b.id || a.c.rule.start - b.c.rule.start;
  // Only the best and the few shown beside it are put in order, not every candidate (thousands
  // with a code every guidance uses). The first of equals wins, as in a stable sort.
  const ranked = (keep: (c: Candidate) => boolean) =>
    keyed
      .filter((k) => keep(k.c))
      .sort(order)
      .map((k) => k.c);
  let top = keyed[0];
  for (const k of keyed) if (order(k, top!) < 0) top = k;
  const best = top?.c;
  // A rule must meet the question on a code it asks about, or on what the question names.
  const strongEnough = best && (codes.length === 0 ? best.score >= 1 : codes.some((c) => mentions(best.rule, c)) && best.score >= 2);
  // No rule: how the guidance the question is about lists the codes, else any guidance that does.
  if ((!best || !strongEnough) && codes.length > 0 && ((hits[0] && explainListing(turn, codes, hits[0].id)) || explainListing(turn, codes))) return;
  // Asked about a kind of code ("is the site code compulsory for ESD"), with no rule on it: the codes
  // the guidance lists whose title or role says it (Z27.2 as its site), not another of its notes
  // (on clips).
  if (codes.length === 0 && hits[0]) {
    const aspect = [...aboutCoding];
    const offTopic = !best || !strongEnough || aspect.every((k) => !index.all[best.at]!.keys.has(k));
    if (offTopic && aspect.length > 0 && listedFor(turn, hits[0].id, aspect)) return;
  }
  if (!best || !strongEnough) {
    d.answered = false;
    d.title = 'No rule found';
    d.text(`I couldn't find a NICE coding rule about that in the loaded guidance. ${NOT_COVERED}`);
    return;
  }
  d.answered = true;
  const { le, rule } = best;
  d.title = `Coding rule from ${le.entry.id}`;
  d.text(`${le.entry.id} (${tidy(le.entry.title.text)}) says:`);
  d.rule(le, rule);
  // Asked about order, and the rule says nothing of it: the guidance does not settle it.
  if (ORDER.test(u.text) && !ORDER_IN_RULE.test(rule.text)) {
    d.notice(`${le.entry.id} does not say in which order these codes are recorded: follow the national clinical coding standards for sequencing (NHS Classifications Service).`);
  }

  // Explain the codes the rule names with the titles and roles the same guidance gives them.
  const named = rule.codes.map((c) => {
    const titled = c.title ? c : kb.lookup(c).exact.find((o) => o.id === le.entry.id && o.code.title)?.code;
    return titled ?? c;
  });
  for (const c of named) {
    const rc = d.code(le, c);
    if (rc.title === null && c.title) rc.title = c.title;
  }
  const lines = d.codes.filter((c) => c.guidance === le.entry.id).map((c) => `${c.code}${c.title ? ` ${c.title}` : ''}: ${c.role}`);
  if (lines.length > 0) d.codesBlock('Codes this rule names', d.codes.filter((c) => c.guidance === le.entry.id));
  // "which Y53 under CT?": the code in the rule's category titled for that imaging, where a page titles one.
  imagingHint(turn, le, rule.codes);

  // The same wording in other guidance shows the rule is general, not one page's quirk.
  const wording = wordingOf(index, best.at);
  const wordingLength = plain(rule).length;
  const same = ranked((c) => c !== best && c.rule.text.length >= wordingLength && wordingOf(index, c.at) === wording).map((c) => c.le.entry.id);
  const also = [...new Set(same)];
  if (also.length > 0) d.text(`The same rule appears in ${also.slice(0, 6).join(', ')}${also.length > 6 ? ` and ${also.length - 6} more` : ''}.`);

  const otherRules = ranked((c) => c.le === le && c.rule !== rule && c.score >= best.score * 0.75).slice(0, 1);
  for (const o of otherRules) d.rule(le, o.rule);
  d.state = { guidance: le.entry.id, codes: d.codes.map((c) => c.code) };
  d.suggest(`How do I code ${tidy(le.entry.title.text)}?`);
}

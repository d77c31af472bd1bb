// Turns one NICE interventional procedures guidance page into a structured entry.
// Every piece keeps the offsets of the text it came from so answers can quote it exactly.

import { createHash } from 'node:crypto';
import { findPageCodes, type CodeMatch } from './codes.js';
import type { CodeItem, CodeSystem, Entry, Group, Rule, RuleCode, RuleKind, SnomedConcept, Span, TextItem } from './schema.js';

export class PageError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    message: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${message}`);
    this.name = 'PageError';
  }
}

export interface Header {
  url?: Span;
  ipg?: Span;
  title?: Span;
  complete?: Span;
  /** Offset where the page text starts (after `---`). */
  bodyStart: number;
}

interface Line {
  text: string;
  /** Offsets of the trimmed text. */
  start: number;
  end: number;
  indent: number;
  blank: boolean;
  /** 1-based line number in the file. */
  no: number;
}

function splitLines(text: string, from: number, to: number, firstNo: number): Line[] {
  const lines: Line[] = [];
  let pos = from;
  let no = firstNo;
  while (pos < to) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1 || nl > to) nl = to;
    const full = text.slice(pos, nl);
    const lead = full.length - full.trimStart().length;
    const trimmed = full.trim();
    lines.push({
      text: trimmed,
      start: pos + lead,
      end: pos + lead + trimmed.length,
      indent: lead,
      blank: trimmed.length === 0,
      no,
    });
    pos = nl + 1;
    no++;
  }
  return lines;
}

function lineNumberAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function span(text: string, start: number, end: number): Span {
  // Trim so quotes never start or end with white space.
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { text: text.slice(start, end), start, end };
}

export function parseHeader(text: string): Header | null {
  const m = /^((?:[a-z]+:[^\n]*\n)+)---[ \t]*\r?\n/.exec(text);
  if (!m) return null;
  const header: Header = { bodyStart: m[0].length };
  const re = /^([a-z]+):[ \t]*([^\n]*?)[ \t]*$/gm;
  const block = m[1]!;
  for (let f = re.exec(block); f; f = re.exec(block)) {
    const key = f[1]!;
    const value = f[2]!;
    if (value.length === 0) continue;
    const start = f.index + f[0].indexOf(value, key.length + 1);
    const s: Span = { text: value, start, end: start + value.length };
    if (key === 'url' || key === 'ipg' || key === 'title' || key === 'complete') header[key] = s;
  }
  return header;
}

const CODING_HEADING =
  /^[ \t]*(?:•[ \t]*)?((?:OPCS[- ]?4(?:\.\d+)?(?:[ \t]+and[ \t]+ICD[- ]?10)?[ \t]+(?:Code\(s\)|codes?)|Coding recommendations?|Clinical coding)[ \t]*:?)[ \t]*$/im;

/** Lines that close the coding section: the next page section or NICE boilerplate. */
const SECTION_END =
  /^(?:•\s*)?(?:Get involved|Your responsibility|Details|National Institute for Health and Care Excellence \(NICE\) accreditation logo|Information for the public|Recommendations|Evidence|History|Resources|Tools and resources|Contact details:?|Links:?)\b/;
const DEFINITIVE_SOURCE = /central\s+definitive\s+source|^All problems \(adverse events\)/;

const AUXILIARY =
  /^(?:is|are|was|were|would|should|can|could|may|might|must|will|has|have|need|needs|do|does)\b/;

/** Words that carry a sentence on straight after a code, so what follows is no title. */
const SENTENCE_GOES_ON = /^(?:and|or|plus|if|when|whenever|where|following|which|that|then)\b/;

/** Where a code's title stops inside a sentence. */
const TITLE_STOP = new RegExp(
  [
    String.raw`,?\s+(?:or|and|plus)\s+(?:an?\s+|the\s+)?(?:ICD-10\s+|OPCS-4\s+)?(?:codes?\b|categor)`,
    String.raw`,?\s*\bor\s*(?=[A-Z]\d\d)`,
    String.raw`,?\s*\bplus\s*(?=[A-Z]\d\d)`,
    String.raw`,?\s+(?:and|plus)\s+(?=[A-Z]\d\d)`,
    String.raw`,\s+(?:or|and)\b`,
    String.raw`\s+(?:is|are|was|were|would|should|can|could|may|might|must|will|has|have|do|does)\b`,
    String.raw`\s+below\b`,
    String.raw`\s+(?:when|whenever|if|where|to specify|to further|to identify|to indicate|in addition|depending on|dependent on|according to)\b`,
    String.raw`\s*\((?:if|where|depending|dependent|the delivery|fourth|Includes|see)\b`,
    String.raw`\s*[):;]`,
    String.raw`\.(?:\s|$)`,
    String.raw`\s*\n`,
  ].join('|'),
);

const SNOMED_HEADING = /^SNOMED CT preferred term \(concept ID\)\s*$/i;
const DIAGNOSIS_PART = /^Diagnosis or health condition\s*$/i;
/** A concept line: the preferred term, then its id in brackets, and nothing after. */
const SNOMED_CONCEPT = /^(\S.*?)\s*\((\d{6,18})\)\s*$/;
/** The paragraphs newer pages print about SNOMED CT itself, which are not coding guidance. */
const SNOMED_BOILERPLATE =
  /^(?:SNOMED CT provides clinical terms|The mandated classifications \(OPCS-4 or ICD-10\)|The UK Edition of SNOMED CT is managed|The (?:Clinical )?Classifications Service of the Health and Social Care Information Centre)/i;
const QUALIFIER = /\s*(\((?:if|where|depending|dependent|the delivery|fourth)\b[^)]*\))\.?\s*$/i;

function systemFor(paragraph: string, paragraphStart: number, code: CodeMatch): CodeSystem {
  const before = paragraph.slice(0, code.start - paragraphStart);
  const icd = before.lastIndexOf('ICD-10');
  const opcs = Math.max(before.lastIndexOf('OPCS-4'), before.lastIndexOf('OPCS4'));
  if (icd !== -1 && icd > opcs) return 'ICD-10';
  // OPCS-4 has no chapter I; and an "In addition ..." sentence that names no classification
  // adds the diagnosis (IPG301), unless it names a method or site code.
  if (code.stem[0] === 'I') return 'ICD-10';
  if (opcs === -1 && /^In addition\b/.test(paragraph) && !/^[YZO]/.test(code.stem)) return 'ICD-10';
  return 'OPCS-4';
}

/** The title after a code: stops where the sentence goes on, and never runs into the next code. */
function titleAfter(text: string, from: number, limit: number, scopeEnd: number): { title: string | null; end: number } {
  let pos = from;
  while (pos < limit && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\u00a0')) pos++;
  const scope = text.slice(pos, scopeEnd);
  // "... following Y53.4 if fluoroscopic control is used", "M61.1 and ...": the sentence goes on.
  if (AUXILIARY.test(scope) || SENTENCE_GOES_ON.test(scope)) return { title: null, end: from };
  const stop = TITLE_STOP.exec(scope);
  const cut = Math.min(stop ? stop.index : scope.length, limit - pos);
  const raw = scope.slice(0, Math.max(0, cut));
  const title = raw.trim().replace(/\.$/, '').trim();
  if (title.length === 0 || /^[-–—(),;:]/.test(title)) return { title: null, end: from };
  return { title, end: pos + raw.trimEnd().length };
}

function baseRole(system: CodeSystem, stem: string, title: string | null): string {
  if (system === 'ICD-10') return 'diagnosis';
  const chapter = stem[0];
  const t = (title ?? '').toLowerCase();
  if (chapter === 'Y') {
    // Y53 is approach to organ under image control, whether or not the page titles it there.
    if (stem === 'Y53' || /\bcontrol\b/.test(t)) return 'secondary: image control';
    if (/\bapproach\b/.test(t)) return 'secondary: approach';
    if (/\bstage|temporary\b/.test(t)) return 'secondary: staging';
    if (/\bdonor\b/.test(t)) return 'secondary: donor';
    return 'secondary: method';
  }
  // Chapter O holds both overflow sites and overflow procedures.
  if (chapter === 'Z' || (chapter === 'O' && !/\b(?:placement|insertion|excision|operation|repair|replacement|implant|stent|destruction|graft)/.test(t))) {
    return 'secondary: site';
  }
  return 'procedure';
}

function codeFrom(m: CodeMatch, system: CodeSystem, title: string | null, end: number): RuleCode {
  const c: RuleCode = {
    code: m.code,
    kind: m.kind,
    stem: m.stem,
    raw: m.raw.trim(),
    system,
    title,
    role: 'procedure',
    start: m.start,
    end: Math.max(end, m.end),
  };
  if (m.last !== undefined) c.last = m.last;
  return c;
}

function ruleKind(text: string, codes: number): RuleKind {
  if (/^Note\b/i.test(text)) return 'note';
  if (/\bICD-10\b/.test(text)) return 'diagnosis';
  if (/not possible to (?:capture|classify|identify|code)|cannot currently be/i.test(text)) return 'limitation';
  if (/advised NICE|most suitable OPCS-4 codes/i.test(text)) return 'advice';
  if (/:\s*$/.test(text)) return 'instruction';
  return codes > 0 ? 'additional' : 'statement';
}

function ruleCodes(text: string, start: number, end: number): RuleCode[] {
  const para = text.slice(start, end);
  const found = findPageCodes(text, start, end).filter((m) => m.end <= end);
  const out: RuleCode[] = [];
  found.forEach((m, i) => {
    const next = found[i + 1]?.start ?? end;
    const system = systemFor(para, start, m);
    const { title, end: tEnd } = titleAfter(text, m.end, Math.min(end, next), end);
    const dup = out.findIndex((c) => c.code === m.code);
    if (dup !== -1) {
      // A rule that names a code twice lists it once, with the title where the page gives one.
      if (out[dup]!.title === null && title !== null) out[dup] = codeFrom(m, system, title, tEnd);
      return;
    }
    out.push(codeFrom(m, system, title, tEnd));
  });
  return out;
}

/** Roles need titles; a code mentioned without one borrows its title from elsewhere on the page. */
function finishRoles(groups: Draft[], rules: Rule[]): void {
  const key = (c: { kind: string; code: string; stem: string }) => (c.kind === 'category' ? c.stem : c.code);
  const titles = new Map<string, string>();
  for (const g of groups) for (const i of g.items) if (i.type === 'code' && i.title) titles.set(key(i), i.title);
  for (const r of rules) for (const c of r.codes) if (c.title && !titles.has(key(c))) titles.set(key(c), c.title);
  for (const g of groups) assignRoles(g, (c) => titles.get(key(c)) ?? null);
  const listed = new Map<string, string>();
  for (const g of groups) for (const i of g.items) if (i.type === 'code' && !listed.has(key(i))) listed.set(key(i), i.role);
  for (const r of rules) {
    for (const c of r.codes) {
      // A code the list already gives keeps the role the list gives it.
      const asListed = listed.get(key(c));
      if (asListed !== undefined && c.system === 'OPCS-4') {
        c.role = asListed;
        continue;
      }
      let role = baseRole(c.system, c.stem, c.title ?? titles.get(key(c)) ?? null);
      if (c.kind === 'code' && /^Unspecified\b/.test(c.title ?? '') && /unspecified/i.test(r.text)) {
        role += ' (when the method is unspecified)';
      } else if (c.system === 'OPCS-4' && /\bif\b|\bwhen\b|may also|can be assigned|whenever/i.test(r.text)) {
        role += ' (if applicable, see note)';
      }
      c.role = role;
    }
  }
}

const HEADING_VERBS = /\b(?:is|are|be|selected|assigned|depends|following|used|added)\b/i;

function isHeading(line: Line): boolean {
  if (line.text.length > 90) return false;
  if (/^stage\s+\d+\s*:?$/i.test(line.text)) return true;
  if (!/:\s*$/.test(line.text)) return false;
  if (/^(?:Note|Includes)\b/i.test(line.text)) return false;
  return !HEADING_VERBS.test(line.text) || /\bare as\s+follows:\s*$/i.test(line.text);
}

function isTextItem(line: Line): boolean {
  return (
    /\bcodes?\b|\bcode\(s\)/i.test(line.text) &&
    !/[.:]\s*$/.test(line.text) &&
    line.text.split(/\s+/).length <= 12 &&
    !/^(?:Note|Includes|In addition|Plus|A |An |The |It |This |\()/i.test(line.text)
  );
}

function codeAtStart(text: string, line: Line): CodeMatch | undefined {
  const m = findPageCodes(text, line.start, line.end)[0];
  return m && m.start === line.start ? m : undefined;
}

interface Draft {
  heading: Span | null;
  instruction: Span | null;
  choice: 'all' | 'one-of';
  alternative: boolean;
  items: Array<CodeItem | TextItem>;
}

function parseCodeLine(text: string, line: Line, groupItems: number): CodeItem[] {
  const codes = findPageCodes(text, line.start, line.end);
  // A line lists several codes only as alternatives ("... NEC orY75.4 ..."); other codes on it
  // sit inside the title or a qualifier, e.g. "(C71-C74)".
  const heads: CodeMatch[] = [codes[0]!];
  for (const c of codes.slice(1)) {
    const before = text.slice(line.start, c.start);
    if (/(?:^|\s|[a-z])or\s*$/.test(before) && !/\([^)]*$/.test(before)) heads.push(c);
  }
  const items: CodeItem[] = [];
  heads.forEach((m, i) => {
    const next = heads[i + 1];
    let limit = line.end;
    if (next) {
      const orAt = text.slice(m.end, next.start).search(/\s*or\s*$/);
      limit = m.end + (orAt === -1 ? next.start - m.end : orAt);
    }
    let body = text.slice(m.end, limit);
    let qualifier: string | null = null;
    const q = QUALIFIER.exec(body);
    if (q) {
      qualifier = q[1]!;
      body = body.slice(0, q.index);
    }
    // "J12.4 - Percutaneous ..." and "J12.4: Percutaneous ...": the separator is not the title.
    const title = body.trim().replace(/^[-–—:]\s+/, '').replace(/\.$/, '').trim();
    const item: CodeItem = {
      type: 'code',
      code: m.code,
      kind: m.kind,
      stem: m.stem,
      raw: m.raw.trim(),
      system: 'OPCS-4',
      title: title.length > 0 ? title : null,
      role: 'procedure',
      start: m.start,
      end: span(text, m.start, limit).end,
      qualifier,
      includes: [],
      alternativeTo: i > 0 ? groupItems : null,
    };
    if (m.last !== undefined) item.last = m.last;
    items.push(item);
  });
  return items;
}

function assignRoles(group: Draft, titleOf: (c: CodeItem) => string | null): void {
  let primarySeen = false;
  for (const item of group.items) {
    if (item.type !== 'code') continue;
    if (item.system === 'ICD-10') {
      item.role = 'diagnosis';
      continue;
    }
    const base = baseRole(item.system, item.stem, item.title ?? titleOf(item));
    const alt = item.alternativeTo !== null ? group.items[item.alternativeTo] : undefined;
    if (alt && alt.type === 'code') {
      item.role = alt.role.replace(/ \(.*\)$/, '');
    } else if (base === 'procedure' && (!primarySeen || group.choice === 'one-of')) {
      item.role = group.choice === 'one-of' ? 'primary procedure (one of these)' : 'primary procedure';
      primarySeen = true;
    } else if (base === 'procedure') {
      item.role = 'additional procedure';
    } else {
      item.role = base;
    }
    if (item.qualifier) item.role += ` ${item.qualifier}`;
  }
}

/** On a page captured only in part, the last line stops mid-way: its title is not a title. */
function markCutOff(text: string, groups: Draft[], rules: Rule[]): void {
  const end = text.trimEnd().length;
  for (const g of groups) {
    for (const i of g.items) {
      if (i.type === 'code' && i.end >= end) i.title = null;
    }
  }
  for (const r of rules) {
    if (r.end >= end) {
      r.truncated = true;
      for (const c of r.codes) if (c.end >= end) c.title = null;
    }
  }
}

export interface ParsedPage {
  entry: Omit<Entry, 'id' | 'source' | 'url' | 'title' | 'complete'> & Partial<Pick<Entry, 'id' | 'url' | 'title' | 'complete'>>;
  header: Header | null;
}

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';

function findReplaces(text: string, from: number, to: number): Entry['replaces'] {
  const re = /^[ \t]*((?:It|This document|This guidance)(?: updates)? replaces\b[^\n]*)$/gm;
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m || m.index >= to) return null;
  const start = m.index + m[0].indexOf(m[1]!);
  const s = span(text, start, start + m[1]!.length);
  const num =
    /(?:guidance|procedures?)\s*(?:no\.?\s*|IPG\s*|IP\s*)?(\d+)|\bIPG?\s*(\d+)/i.exec(s.text) ?? undefined;
  const date = new RegExp(`(?:${MONTHS})\\s+\\d{4}`).exec(s.text);
  const n = num?.[1] ?? num?.[2];
  return { ...s, id: n ? `IPG${Number(n)}` : null, date: date ? date[0] : null };
}

const INTRO_BOILERPLATE =
  /issued full guidance|replaces|reassessment|NICE is updating|Published date|Register an interest|^Summary$|^Description$|interventional procedure guidance \[/i;

function findDescription(text: string, lines: Line[], title: string | undefined): Span | null {
  const headingAt = lines.findIndex((l) => /^(?:•\s*)?Description$/.test(l.text));
  let from: number;
  if (headingAt !== -1) from = headingAt + 1;
  else {
    from = lines.findIndex(
      (l) =>
        !l.blank &&
        !INTRO_BOILERPLATE.test(l.text) &&
        (title === undefined || l.text.toLowerCase() !== title.toLowerCase()) &&
        l.text.length > 60,
    );
    if (from === -1) return null;
  }
  const body = lines.slice(from).filter((l) => !l.blank && !/^•/.test(l.text));
  if (body.length === 0) return null;
  return span(text, body[0]!.start, body[body.length - 1]!.end);
}

/** Parse the page text. Throws PageError when the page has no coding section. */
export function parsePage(text: string, file: string): ParsedPage {
  const header = parseHeader(text);
  const bodyStart = header?.bodyStart ?? 0;
  const headingRe = new RegExp(CODING_HEADING.source, 'gim');
  headingRe.lastIndex = bodyStart;
  const hm = headingRe.exec(text);
  if (!hm) throw new PageError(file, null, 'no coding section ("Coding recommendations" or "OPCS4.6 Code(s)") found');
  const hStart = hm.index + hm[0].indexOf(hm[1]!);
  const heading = span(text, hStart, hStart + hm[1]!.length);
  const sectionStart = hm.index + hm[0].length;
  const headingLineNo = lineNumberAt(text, hm.index);

  const lines = splitLines(text, sectionStart + 1, text.length, headingLineNo + 1);
  let endIdx = lines.findIndex((l) => SECTION_END.test(l.text) || DEFINITIVE_SOURCE.test(l.text));
  if (endIdx === -1) endIdx = lines.length;
  const section = lines.slice(0, endIdx);
  const sectionEnd = section.filter((l) => !l.blank).at(-1)?.end ?? sectionStart;

  const groups: Draft[] = [];
  const rules: Rule[] = [];
  const snomed: SnomedConcept[] = [];
  // Inside "SNOMED CT preferred term (concept ID)": lines "Term (123456789)" are concepts.
  let snomedUse: SnomedConcept['use'] | null = null;
  let diagnosisPart = false;
  let current: Draft | null = null;
  let pendingHeading: Span | null = null;
  let pendingInstruction: Span | null = null;
  let pendingAlternative = false;
  let blanks = 0;
  let lastIncludes: { item: CodeItem; indent: number } | null = null;
  let lastRule: Rule | null = null;

  const startGroup = (): Draft => {
    const g: Draft = {
      heading: pendingHeading,
      instruction: pendingInstruction,
      choice:
        pendingInstruction && /\bone of\b|\bfrom (?:the following )?categor|\bA code from\b|\bselected\b|depend/i.test(pendingInstruction.text)
          ? 'one-of'
          : 'all',
      alternative: pendingAlternative,
      items: [],
    };
    pendingHeading = null;
    pendingAlternative = false;
    groups.push(g);
    return g;
  };

  for (const raw of section) {
    // A bulleted code line ("• J12.4 ...") is a code line; other bullets continue a note.
    const bullet = /^[•·*-][ \t]+/.exec(raw.text);
    const line = bullet && findPageCodes(text, raw.start + bullet[0].length, raw.end)[0]?.start === raw.start + bullet[0].length
      ? { ...raw, text: raw.text.slice(bullet[0].length), start: raw.start + bullet[0].length }
      : raw;
    if (line.blank) {
      blanks++;
      continue;
    }
    const gap = blanks;
    blanks = 0;

    if (SNOMED_HEADING.test(line.text)) {
      snomedUse = diagnosisPart ? 'diagnosis' : 'procedure';
      continue;
    }
    if (DIAGNOSIS_PART.test(line.text)) {
      diagnosisPart = true;
      snomedUse = null;
      continue;
    }
    if (SNOMED_BOILERPLATE.test(line.text)) continue;
    const concept = snomedUse ? SNOMED_CONCEPT.exec(line.text) : null;
    if (concept && snomedUse) {
      const s = span(text, line.start, line.end);
      snomed.push({ conceptId: concept[2]!, term: concept[1]!.trim(), use: snomedUse, text: s.text, start: s.start, end: s.end });
      continue;
    }
    snomedUse = null;

    // Continuation of an "Includes:" list, indented under it.
    if (lastIncludes && line.indent > lastIncludes.indent && gap <= 1 && !codeAtStart(text, line) && !/:\s*$/.test(line.text)) {
      lastIncludes.item.includes.push(span(text, line.start, line.end));
      continue;
    }
    lastIncludes = null;

    if (/^•/.test(line.text) && lastRule) {
      // A bullet under a note belongs to it.
      lastRule.text = text.slice(lastRule.start, line.end);
      lastRule.end = line.end;
      lastRule.codes = ruleCodes(text, lastRule.start, lastRule.end);
      continue;
    }
    lastRule = null;

    const includes = /^Includes:\s*(.*)$/.exec(line.text);
    if (includes) {
      const target = current?.items.filter((i): i is CodeItem => i.type === 'code').at(-1);
      if (target && includes[1]) {
        const s = line.start + line.text.indexOf(includes[1]);
        target.includes.push(span(text, s, line.end));
        lastIncludes = { item: target, indent: line.indent };
        continue;
      }
    }

    if (/^(?:or|plus|and)$/i.test(line.text)) {
      if (/^or$/i.test(line.text)) pendingAlternative = true;
      continue;
    }

    const head = codeAtStart(text, line);
    const afterCode = head ? text.slice(head.end, line.end).trim() : '';
    if (head && !AUXILIARY.test(afterCode)) {
      const codesSoFar = current?.items.filter((i): i is CodeItem => i.type === 'code') ?? [];
      const firstCode = codesSoFar[0];
      // Method and site codes (Y, Z) never open a list of their own: they qualify the procedure above.
      const opensList = !/^[YZ]/.test(head.stem);
      const newGroup =
        current === null ||
        pendingHeading !== null ||
        (pendingInstruction !== null && current.instruction !== pendingInstruction) ||
        // A blank gap starts a new set, except inside a "one of" list of bare procedure codes.
        (gap >= 2 && firstCode !== undefined && opensList &&
          (current.choice !== 'one-of' || current.items.some((i) => i.type === 'text' || /^[YZ]/.test(i.stem)))) ||
        (pendingAlternative && codesSoFar.length > 1 && firstCode!.stem[0] === head.stem[0]);
      if (newGroup) current = startGroup();
      else if (pendingAlternative) {
        // "or" between two codes of one list: the next code replaces the one before it.
        const items = parseCodeLine(text, line, current!.items.length);
        const prev = current!.items.length - 1;
        items[0]!.alternativeTo = prev >= 0 ? prev : null;
        current!.items.push(...items);
        pendingAlternative = false;
        continue;
      }
      pendingAlternative = false;
      current!.items.push(...parseCodeLine(text, line, current!.items.length));
      continue;
    }

    if (isHeading(line)) {
      pendingHeading = span(text, line.start, line.end);
      pendingInstruction = null;
      current = null;
      continue;
    }

    if (isTextItem(line)) {
      if (current === null) current = startGroup();
      current.items.push({ type: 'text', ...span(text, line.start, line.end) });
      continue;
    }

    const s = span(text, line.start, line.end);
    const codes = ruleCodes(text, s.start, s.end);
    const kind = ruleKind(s.text, codes.length);
    const rule: Rule = { kind, text: s.text, start: s.start, end: s.end, codes, truncated: false };
    rules.push(rule);
    lastRule = kind === 'note' ? rule : null;
    if (kind === 'instruction') {
      pendingInstruction = s;
      if (current && current.items.length > 0) current = null;
    }
  }

  if (header?.complete?.text.toLowerCase() === 'no') markCutOff(text, groups, rules);
  finishRoles(groups, rules);

  const bodyLines = splitLines(text, bodyStart, hm.index, lineNumberAt(text, bodyStart));
  const classificationMatch = /OPCS[- ]?4\.(\d+)/.exec(heading.text) ?? /OPCS[- ]?4\.(\d+)/.exec(text.slice(bodyStart));
  let classification: Span | null = null;
  if (classificationMatch) {
    const base = classificationMatch.input === heading.text ? heading.start : bodyStart;
    classification = {
      text: classificationMatch[0],
      start: base + classificationMatch.index,
      end: base + classificationMatch.index + classificationMatch[0].length,
    };
  }

  const finalGroups: Group[] = groups.filter((g) => g.items.length > 0);
  const entry: ParsedPage['entry'] = {
    schema: 1,
    sha256: createHash('sha256').update(text).digest('hex'),
    classification,
    version: classificationMatch ? `OPCS-4.${classificationMatch[1]}` : null,
    replaces: findReplaces(text, bodyStart, hm.index),
    description: findDescription(text, bodyLines, header?.title?.text),
    coding: { heading, start: heading.start, end: Math.max(sectionEnd, heading.end) },
    groups: finalGroups,
    rules,
    snomed,
    overrides: [],
  };
  if (finalGroups.length === 0 && rules.every((r) => r.codes.length === 0)) {
    // A coding section that names no code (IPG255) is still real guidance: it says what cannot be coded.
    if (rules.length === 0) throw new PageError(file, headingLineNo, 'the coding section is empty');
  }
  return { entry, header };
}

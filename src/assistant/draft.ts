// A reply under construction. Handlers add codes, rules and quotes through it, so every code
// that reaches the user carries the guidance that states it and a citation of the text.

import type { Knowledge } from '../knowledge/kb.js';
import type { LoadedEntry } from '../knowledge/load.js';
import type { CodeItem, Rule, RuleCode, SnomedConcept } from '../knowledge/schema.js';
import type { Intent } from '../nlu/intents.js';
import type { Block, CheckItem, Citation, Clarify, Reply, ReplyCode } from './reply.js';
import type { ConversationState } from '../shared/conversation.js';

export const CLASSIFICATIONS_SERVICE =
  'The NHS Classifications Service (NHS England) is the definitive source for clinical coding: check codes against the current OPCS-4 and ICD-10 and its coding standards.';

/** White space as a reader sees it; quotes keep the exact text and offsets. */
export function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A title in the middle of a sentence: tidied, its first letter small unless it starts an abbreviation ("TAVI ..."). */
export function midSentence(text: string): string {
  return tidy(text).replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
}

/** A guidance title as a heading: tidied, with a capital first letter (NICE titles vary). */
export function guidanceTitle(le: LoadedEntry): string {
  const t = tidy(le.entry.title.text);
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}`;
}

/** A quote of the page between two offsets, with where it comes from. */
export function citationOf(le: LoadedEntry, start: number, end: number, section?: string): Citation {
  return {
    guidance: le.entry.id,
    title: guidanceTitle(le),
    section: section ?? le.entry.coding.heading.text.replace(/:$/, ''),
    quote: le.page.slice(start, end),
    url: le.entry.url,
    start,
    end,
  };
}

export class ReplyDraft {
  answered = false;
  title = '';
  readonly blocks: Block[] = [];
  readonly codes: ReplyCode[] = [];
  readonly citations: Citation[] = [];
  readonly guidance: string[] = [];
  check: CheckItem[] | null = null;
  clarify: Clarify | null = null;
  readonly suggestions: string[] = [];
  readonly notices: string[] = [];
  state: Partial<ConversationState> = {};
  /** A list of guidance (what is loaded): each line says if its page is incomplete, so no notice per page. */
  listing = false;
  /** Words of the question the guidance answered from does not cover: a partial match. */
  readonly unmatched: string[] = [];

  /**
   * The guidance answers only part of the question: say what it does not cover, and trust the
   * answer less.
   */
  partial(le: LoadedEntry, words: string[]): void {
    const fresh = words.filter((w) => !this.unmatched.includes(w));
    if (fresh.length === 0) return;
    this.unmatched.push(...fresh);
    const list = fresh.map((w) => `"${w}"`).join(', ');
    this.notice(
      `Partial match: ${le.entry.id} is about ${midSentence(le.entry.title.text)}; it does not mention ${list}. Check that it fits the procedure performed before using its codes.`,
    );
    this.confidence = Math.min(this.confidence, 0.5);
  }

  /** The question also names a procedure no loaded guidance covers: said, with no codes for it. */
  notCovered(words: string): void {
    if (this.unmatched.includes(words)) return;
    this.unmatched.push(words);
    this.notice(`The question also names "${words}", which no loaded NICE guidance covers: no codes are given for it. Check it with the NHS Classifications Service's OPCS-4 and ICD-10 browsers and coding standards.`);
    this.confidence = Math.min(this.confidence, 0.5);
  }

  constructor(
    readonly kb: Knowledge,
    public intent: Intent,
    public confidence: number,
  ) {}

  text(t: string): void {
    this.blocks.push({ type: 'text', text: t });
  }

  notice(t: string): void {
    if (!this.notices.includes(t)) this.notices.push(t);
  }

  suggest(q: string): void {
    if (!this.suggestions.includes(q) && this.suggestions.length < 4) this.suggestions.push(q);
  }

  /** Record that the reply draws on a guidance; warns once when its loaded text is cut short. */
  use(le: LoadedEntry): void {
    const e = le.entry;
    if (this.guidance.includes(e.id)) return;
    this.guidance.push(e.id);
    if (!e.complete && !this.listing) {
      this.notice(
        `The loaded text of ${e.id} is incomplete (the capture stops part-way through the page), so its coding section may go on: check the full guidance at ${e.url}.`,
      );
    }
  }

  /** A known error in the published text that this code or quote carries: said on the answer. */
  private erratum(le: LoadedEntry, code: string | null, text: string): void {
    if (this.listing) return;
    for (const e of this.kb.errata.get(le.entry.id) ?? []) {
      const hit = e.code !== undefined ? code !== null && code.slice(0, 3) === e.code.slice(0, 3) : text.includes(e.span!);
      if (hit) this.notice(`Known error in the published text of ${e.id}: ${e.what} ${e.why}`);
    }
  }

  cite(le: LoadedEntry, start: number, end: number, section?: string): number {
    this.use(le);
    this.erratum(le, null, le.page.slice(start, end));
    const found = this.citations.findIndex((c) => c.guidance === le.entry.id && c.start === start && c.end === end);
    if (found !== -1) return found;
    this.citations.push(citationOf(le, start, end, section));
    return this.citations.length - 1;
  }

  /** Add a code as its guidance states it; returns the reply code (deduplicated per code). */
  code(le: LoadedEntry, c: CodeItem | RuleCode, role?: string): ReplyCode {
    this.use(le);
    const existing = this.codes.find((x) => x.code === c.code || (c.kind === 'category' && x.code.slice(0, 3) === c.stem && !/\.\d|\.X$|-[A-Z]/.test(x.code)));
    if (existing) {
      if (existing.title === null && c.title !== null) existing.title = c.title;
      return existing;
    }
    const rc: ReplyCode = { system: c.system, code: c.code, title: c.title, role: role ?? c.role, guidance: le.entry.id };
    this.codes.push(rc);
    this.erratum(le, c.code, c.title ?? '');
    return rc;
  }

  /** A SNOMED CT concept as the page gives it, with its line quoted. */
  snomed(le: LoadedEntry, c: SnomedConcept): ReplyCode {
    this.cite(le, c.start, c.end);
    const existing = this.codes.find((x) => x.system === 'SNOMED CT' && x.code === c.conceptId);
    if (existing) return existing;
    const rc: ReplyCode = { system: 'SNOMED CT', code: c.conceptId, title: c.term, role: c.use === 'procedure' ? 'SNOMED CT: procedure' : 'SNOMED CT: diagnosis', guidance: le.entry.id };
    this.codes.push(rc);
    return rc;
  }

  rule(le: LoadedEntry, r: Rule): void {
    const citation = this.cite(le, r.start, r.end);
    for (const c of r.codes) this.code(le, c);
    this.blocks.push({ type: 'rule', text: tidy(r.text) + (r.truncated ? ' [...]' : ''), guidance: le.entry.id, citation });
  }

  codesBlock(label: string, codes: ReplyCode[]): void {
    if (codes.length > 0) this.blocks.push({ type: 'codes', label, codes });
  }

  finish(): Reply {
    const footer: string[] = [];
    if (this.codes.length > 0) {
      const versions = this.guidance
        .map((id) => this.kb.get(id)?.entry)
        .filter((e) => e !== undefined)
        .map((e) => `${e.id}: ${e.version ?? 'OPCS-4 (version not stated on the page)'}`);
      footer.push(`Classification versions as NICE published them: ${versions.join('; ')}; diagnoses in ICD-10.`, CLASSIFICATIONS_SERVICE);
    }
    return {
      intent: this.intent,
      confidence: this.confidence,
      answered: this.answered,
      match: !this.answered ? 'none' : this.unmatched.length > 0 ? 'partial' : 'full',
      unmatched: [...this.unmatched],
      title: this.title,
      guidance: [...this.guidance],
      codes: this.codes.map((c) => ({ ...c })),
      citations: [...this.citations],
      check: this.check,
      clarify: this.clarify,
      suggestions: [...this.suggestions],
      ref: null,
      footer,
      context: { guidance: this.state.guidance ?? null, group: this.state.group ?? null },
      notices: [...this.notices],
      blocks: [...this.blocks],
    };
  }
}

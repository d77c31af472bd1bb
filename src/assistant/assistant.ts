// The pipeline: inbound message + conversation state -> one Reply. Platforms call handle();
// nothing here knows about Slack, Teams or a terminal.

import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chaptersAsked, findQueryCodes } from '../knowledge/codes.js';
import { Knowledge } from '../knowledge/kb.js';
import { CHAT_INTENTS, type Intent } from '../nlu/intents.js';
import { Nlu, type Understanding } from '../nlu/understand.js';
import { ReplyDraft } from './draft.js';
import { codeCheck } from './handlers/code-check.js';
import { codeLookup, USES_IT } from './handlers/code-lookup.js';
import { exampleList, examplesFor, help, outOfScope, smalltalk } from './handlers/conversation.js';
import { otherSideNotice, sideNotice } from './handlers/common.js';
import { coverage, COVERAGE } from './handlers/coverage.js';
import { guidanceSummary, WHEN } from './handlers/guidance-summary.js';
import { howToCode } from './handlers/how-to-code.js';
import { ruleExplanation } from './handlers/rule-explanation.js';
import { conversationKey, type InboundMessage } from './message.js';
import type { Reply } from './reply.js';
import { EMPTY_STATE, type ConversationState } from '../shared/conversation.js';
import { MemoryStore } from '../store/memory.js';
import { IDENTIFIER_REMINDER, redact, type Redacted } from '../store/redact.js';
import type { AuditRow, EventDedupe, FeedbackLink, Store } from '../store/types.js';
import { DEFAULT_LIMITS, RateLimiter, type RateLimits, type Verdict } from './limits.js';
import { lookupItems, type LookupItem } from './lookup.js';
import { bestMatch, hasTopic, tellsThePrimary, uniqueBest, type Turn } from './turn.js';
import type { Term } from '../text/analyse.js';
import { operationTerm } from '../text/operations.js';
import { asksClinically } from './clinical.js';

const HANDLERS: Record<Intent, (turn: Turn) => void> = {
  how_to_code: howToCode,
  code_lookup: codeLookup,
  rule_explanation: ruleExplanation,
  guidance_summary: guidanceSummary,
  code_check: codeCheck,
  help,
  smalltalk,
  out_of_scope: outOfScope,
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_KNOWLEDGE = path.join(ROOT, 'knowledge');
export const DEFAULT_INTENTS = path.join(ROOT, 'intents');

export interface AssistantOptions {
  knowledgeDir?: string;
  intentsDir?: string;
  /** Conversation state, retry de-duplication, audit log, feedback (default: in memory). */
  store?: Store;
  /** Called when the store fails; the answer still goes out. */
  onStoreError?: (err: Error, what: string) => void;
  /** Per-user and per-workspace limits; null turns them off (the terminal). */
  limits?: RateLimits | null;
  /** Audit rows kept in memory while the store is failing, before they count as lost. */
  auditQueueSize?: number;
  /** Below this confidence the reply is a fallback with suggestions, not a guess. */
  threshold?: number;
  /** Longer questions get a polite "please shorten". */
  maxQuestionLength?: number;
}

/**
 * Below this classifier confidence a reply is a fallback with suggestions. Chosen from the
 * reliability table `npm run eval` prints: under it the classifier is wrong as often as right.
 */
export const DEFAULT_THRESHOLD = 0.4;

/**
 * Menu commands (Teams' command list, Slack's /code): `help`, `code <code>`, `rule <topic>`,
 * `summary <guidance or procedure>`, `check <codes>`. Anything else is read as a question.
 */
export function parseCommand(text: string): { intent: Intent; text: string } | null {
  const m = /^\s*\/?(help|code|rule|summary|summarise|summarize|check)\b[\s:]*([\s\S]*)$/i.exec(text);
  if (!m) return null;
  const word = m[1]!.toLowerCase();
  const rest = m[2]!.trim();
  if (word === 'help') return rest === '' ? { intent: 'help', text: '' } : null;
  if (rest === '') return null;
  const hasCode = findQueryCodes(rest).length > 0;
  if (word === 'code') return hasCode ? { intent: 'code_lookup', text: rest } : null;
  if (word === 'check') return hasCode ? { intent: 'code_check', text: rest } : null;
  if (word === 'rule') return { intent: 'rule_explanation', text: rest };
  return { intent: 'guidance_summary', text: rest };
}

/**
 * Questions about codes whose shape says what is asked, whatever the classifier thinks: "X or Y
 * for <procedure>?" and "when do I use X" ask for the rule; "X vs Y", "what are X and Y", "which
 * pages use X" ask what codes are; "I coded X Y, ok?" asks for a check.
 */
function codeQuestionShape(u: Understanding): Intent | null {
  const n = u.codes.length;
  const t = u.text.toLowerCase();
  // "which Z code?", "which site code": which of a kind of code the guidance asks for is its rule.
  if (n === 0 && /\bwhich\s+(?:[a-z]|site|laterality|chapter\s+[a-z])\s+codes?\b/.test(t)) return 'rule_explanation';
  if (n === 0) return null;
  // (Not "must Y95 be coded for ...": whether a code is recorded is a rule.)
  if (/\b(?:i(?:'ve| have)? (?:coded|put|used|assigned|got)|(?<!\b(?:be|is|are|being|been|get|gets)\s)coded (?:as|it|this|them)?|my codes|check (?:my|these|this))\b/.test(t)) return 'code_check';
  if (/\bis it (?:still |really )?[a-z]\d{2}/.test(t)) return 'code_check';
  if (/\bwhen (?:am i|can i|do i|should i|would i|is it)\b|\bwhen to use\b|\ballowed to use\b/.test(t)) return 'rule_explanation';
  if (n >= 2 && /\b(?:vs\.?|versus|difference between|differ)\b/.test(t)) return 'code_lookup';
  // "which V55 (do I use)?", "do I still use Y75.2?", "do I need a Y53?": which variant, or whether, is a rule.
  if (n === 1 && /\bwhich\s+[a-z]\s?\d{2}\b|\b(?:do|should|would|can) i (?:still |also |then )?(?:use|need|add|assign|record|code)\b/.test(t) && !/\b(?:correct|right|ok|okay|mean|stand for)\b/.test(t)) return 'rule_explanation';
  if (/\bwhat (?:are|is|do|does)\b.*\b(?:mean|stand for|they)\b|\bwhat are\b|\bwhich (?:pages?|guidance|ipgs?) (?:use|uses|mention)\b/.test(t) && !/\b(?:correct|right|ok|okay)\b/.test(t)) return 'code_lookup';
  if (n === 2 && /\b[a-z]\d{2}\.?\w?\s*(?:or|\/)\s*[a-z]\d{2}/.test(t) && /\bfor\b|\?\s*$/.test(t) && !/\b(?:correct|right|ok|okay)\b/.test(t)) return 'rule_explanation';
  return null;
}

/**
 * "<procedure> codes", "codes for <procedure>", "TMS for OCD, codes?": a coder naming a procedure and
 * asking for its codes. Said with a search word ("list codes containing stent") it is a lookup instead.
 */
function procedureCodesShape(u: Understanding): Intent | null {
  if (u.codes.length > 0 || u.guidanceIds.length > 0) return null;
  const t = u.text.toLowerCase().trim();
  if (/\b(?:search|list|find|show|contain(?:s|ing)?|mentions?|with the word|titles?|all|any|exist|snomed|concepts?)\b/.test(t)) return null;
  if (/^(?:what|which|why|when|where|who|how|is|are|does|do|did|can|could|should|would|will|and|but|so)\b/.test(t)) return null;
  const ending = /\w[\w')]*\s*[-,:;/]?\s*(?:(?:the|opcs(?:-4)?|icd-?10|procedure|diagnosis)\s+)?codes?(?:\s+(?:please|pls|needed|required))?\s*[?.!]*$/;
  const leading = /^(?:(?:opcs(?:-4)?|icd-?10|procedure)\s+)?codes?\s*(?:for|:|-)\s*\w/;
  return ending.test(t) || leading.test(t) ? 'how_to_code' : null;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

/**
 * A choice named by number or place ("2", "option 3", "the second one", "the last"): its index
 * among `count` choices (perhaps out of range), whether it was a number, or null.
 */
function choiceAt(text: string, count: number): { at: number; number: boolean } | null {
  const t = text.trim().toLowerCase();
  const n = /^(?:no\.?|number|option|#)?\s*(\d{1,2})\s*[.)!]?$/.exec(t)?.[1];
  if (n !== undefined) return { at: Number(n) - 1, number: true };
  const word = /^(?:the\s+)?(first|second|third|fourth|fifth|sixth|last)(?:\s+(?:one|option|page|guidance))?\s*[.!]?$/.exec(t)?.[1];
  if (word === undefined) return null;
  return { at: word === 'last' ? count - 1 : ORDINALS.indexOf(word), number: false };
}

/** How follow-ups start or ask. */
const FOLLOW_UP = /^(?:and|but|so|also|what about|what if|if|which|what else|how about|does|do|is|was|would|should|can|then|no|nope|sorry|actually|oops|i meant|i mean|correction|my mistake|my bad)\b|\?\s*$|\b(?:this|that) (?:one|guidance|page|ipg)\b/i;
/** Chat, not a question about the guidance. */
const CHAT = /\b(?:thanks?|thank you|cheers|bye|hello|hi|hey|good (?:morning|afternoon|evening)|lol|great|brilliant|weather|joke)\b/i;

/** Words of chat that are too common to be terms of their own ("OMG thanks", "ASAP please"). */
const CHAT_WORDS = /\b(?:thanks?|thank you|cheers|please|pls|ok|okay|yes|yeah|hi|hello|hey|bye|lol)\b/i;

/** A question or a rule in so many words: a message without any is a case described. */
const ASKS = /\?|\b(?:why|when|which|what|whats|how|do|does|did|is|are|can|could|should|must|need|needs|needed|rule|rules|allowed|mandatory|required|order|first|sequence|sequencing|instead|or)\b/i;

/** What the codes are, asked in so many words ("what's the ICD-10?", "and the dx code"). */
const ASKS_CODES = /^\s*(?:(?:and|so|ok|okay)[,\s]+)?(?:what(?:'s|s| is| are| would be)?|which (?:is|are)|give me|list|and|any|is there(?: an?| any)?|are there(?: any)?)\b.*\b(?:codes?|icd-?10|opcs(?:-?4)?|diagnos[ie]s|dx)\b/i;

/** Words that make a message about clinical coding even when it names no procedure. */
const CODING_WORDS = /\b(?:codes?|coding|coded|opcs|icd|nice|guidance|ipg|classification|procedures?|diagnos[ie]s)\b/i;

/** The question read as `intent`, with the confidence the classifier gave that reading. */
function readAs(u: Understanding, intent: Intent): { intent: Intent; confidence: number; fallback: boolean } {
  return { intent, confidence: u.classification.ranked.find((r) => r.label === intent)?.p ?? 0, fallback: false };
}

/** A question understood: what it names, and the intent it is answered by. */
interface Understood {
  u: Understanding;
  aboutCoverage: boolean;
  intent: Intent;
  confidence: number;
  fallback: boolean;
}

/** One turn as it goes through the steps of Assistant.handle. */
export interface TurnInProgress {
  readonly msg: InboundMessage;
  readonly started: number;
  /** The conversation's key in the state store. */
  readonly key: string;
  /** The question after redaction of patient identifiers: what is answered, stored and logged. */
  redacted: Redacted;
  state: ConversationState;
  next: ConversationState;
  reply: Reply | undefined;
  /** What the understand step made of the question, for the handle step. */
  understood?: Understood;
  /** Set by a step that ends the turn (a flood's slow-down, or a dropped message). */
  settled: boolean;
}

/** The turn, step by step, in order: limit -> redact -> load state -> understand -> handle -> save state -> audit (the surface delivers and logs, deliver.ts). */
export const TURN_STEPS: ReadonlyArray<{ name: string; run(a: Assistant, t: TurnInProgress): void | Promise<void> }> = [
  { name: 'limit', run: (a, t) => a.limit(t) },
  // Patient identifiers go before anything else sees the text: nothing stores or logs them.
  { name: 'redact', run: (_a, t) => void (t.redacted = redact(t.msg.text)) },
  { name: 'load state', run: (a, t) => a.loadState(t) },
  { name: 'understand', run: (a, t) => a.understandStep(t) },
  { name: 'handle', run: (a, t) => a.handleStep(t) },
  { name: 'save state', run: (a, t) => a.saveState(t) },
  { name: 'audit', run: (a, t) => a.audit(t) },
];

/** What the core offers now, for /readyz: each part says whether it is ready. */
export interface Readiness {
  knowledge: { ok: boolean; entries: number; hash: string };
  classifier: { ok: boolean; intents: number };
  store: { ok: boolean; kind: Store['kind']; queued: number; lost: number };
}

/**
 * What a surface may use of the core: answer, credit feedback, look up, examples, what is loaded,
 * and de-duplication of its own platform's events. Never the store, the knowledge or the classifier.
 */
export type Core = Pick<Assistant, 'handle' | 'feedback' | 'lookup' | 'examples' | 'loaded' | 'events'>;

export class Assistant {
  readonly kb: Knowledge;
  readonly nlu: Nlu;
  readonly store: Store;
  private readonly onStoreError: (err: Error, what: string) => void;
  private readonly limiter: RateLimiter | null;
  private readonly limits: RateLimits;
  private readonly pending: AuditRow[] = [];
  private readonly queueSize: number;
  private lostRows = 0;
  private readonly threshold: number;
  /**
   * Words of the procedure part of guidance titles that no chat in intents/ uses ("falloposcopy",
   * "transcranial"): a message naming one is about a procedure, even when the lexicon has no concept
   * for it (a new page's title). What the procedure is for ("depression") is not enough.
   */
  private readonly topicStems: ReadonlySet<string>;
  /** Those of them in one or two titles ("falloposcopy", "clot"; not "balloon", in four): a name, not a kind. */
  private readonly ownStems: ReadonlySet<string>;
  /** Stems of the words chat uses (help, smalltalk and out-of-scope utterances in intents/). */
  private readonly chatStems: ReadonlySet<string>;
  /** Words of the guidance's coding text: titles, descriptions, code titles, rules. */
  private readonly pageWords: ReadonlySet<string>;
  private readonly maxLength: number;

  constructor(kb: Knowledge, nlu: Nlu, opts: AssistantOptions = {}) {
    this.kb = kb;
    this.nlu = nlu;
    this.chatStems = nlu.chatStems;
    const named = [...kb.index.procedureStems()].filter(([s]) => !this.chatStems.has(s));
    this.topicStems = new Set(named.map(([s]) => s));
    this.ownStems = new Set(named.filter(([, titles]) => titles <= 2).map(([s]) => s));
    this.pageWords = new Set(kb.vocabulary());
    this.store = opts.store ?? new MemoryStore();
    this.onStoreError = opts.onStoreError ?? (() => undefined);
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.limiter = opts.limits === null ? null : new RateLimiter(this.limits);
    this.queueSize = opts.auditQueueSize ?? 1000;
    this.threshold = opts.threshold ?? DEFAULT_THRESHOLD;
    this.maxLength = opts.maxQuestionLength ?? 2000;
  }

  /** Platform event ids (Slack retries), kept in the store so other instances and restarts see them. */
  get events(): EventDedupe {
    return this.store.events;
  }

  /** How much knowledge is loaded, and its hash. */
  loaded(): { entries: number; hash: string } {
    return { entries: this.kb.entries.length, hash: this.kb.hash };
  }

  async readiness(): Promise<Readiness> {
    const storeOk = await this.store.ping().catch(() => false);
    return {
      knowledge: { ok: this.kb.entries.length > 0, entries: this.kb.entries.length, hash: this.kb.hash },
      classifier: { ok: this.nlu.classifier.intents.length > 0, intents: this.nlu.classifier.intents.length },
      // Answers go out while the store is down; audit rows wait in a bounded queue, or are counted lost.
      store: { ok: storeOk, kind: this.store.kind, ...this.auditBacklog() },
    };
  }

  static create(opts: AssistantOptions = {}): Assistant {
    const kb = Knowledge.load(opts.knowledgeDir ?? DEFAULT_KNOWLEDGE);
    const nlu = Nlu.fromDir(opts.intentsDir ?? DEFAULT_INTENTS, kb.vocabulary()).useAbbreviations(kb.abbreviations, kb.titleAcronyms);
    return new Assistant(kb, nlu, opts);
  }

  /** Codes and guidance matching a few typed characters or words, a page at a time. */
  lookup(query: string, skip = 0, count = 10): { items: LookupItem[]; total: number } {
    const all = lookupItems(this.kb, this.nlu.understand(query.slice(0, 200)));
    const from = Math.max(0, skip);
    return { items: all.slice(from, from + Math.max(1, Math.min(count, 50))), total: all.length };
  }

  /** Helpful / Not helpful from any surface, linked to the conversation's last answered turn. */
  async feedback(f: { platform: string; channel: string; user: string; helpful: boolean; ref?: string | null }): Promise<FeedbackLink | null> {
    try {
      return await this.store.feedback({
        at: new Date().toISOString(),
        platform: f.platform,
        channel: f.channel,
        userHash: this.hashUser(f.platform, f.user),
        helpful: f.helpful,
        ref: f.ref ?? null,
      });
    } catch (err) {
      this.onStoreError(err as Error, 'feedback');
      return null;
    }
  }

  /** A user id as the audit log keeps it: salted and hashed, never raw. */
  hashUser(platform: string, user: string): string {
    if (this.salt === undefined) {
      try {
        this.salt = this.store.salt();
      } catch (err) {
        // The store is down: hash with a salt of this process's own rather than fail the answer.
        this.onStoreError(err as Error, 'salt');
        return createHash('sha256').update(`${this.fallbackSalt}:${platform}:${user}`).digest('hex').slice(0, 32);
      }
    }
    return createHash('sha256').update(`${this.salt}:${platform}:${user}`).digest('hex').slice(0, 32);
  }

  private salt: string | undefined;
  private readonly fallbackSalt = randomBytes(16).toString('hex');

  /** Example questions the loaded knowledge can answer, for welcomes and pages. */
  examples(): string[] {
    return exampleList(this.kb);
  }

  /** Answer one message in its conversation, and remember what follow-ups need. */
  /** Audit rows waiting for the store to come back, and rows lost because the queue overflowed. */
  auditBacklog(): { queued: number; lost: number } {
    return { queued: this.pending.length, lost: this.lostRows };
  }

  /**
   * Write an audit row, first any that waited; keep it in a bounded queue if the store fails.
   * Writes are chained, so rows reach the store one at a time and in the order of the turns.
   */
  private writeAudit(row: AuditRow): Promise<void> {
    this.pending.push(row);
    this.writing = this.writing.then(() => this.flushAudit());
    return this.writing;
  }

  private writing: Promise<void> = Promise.resolve();

  private async flushAudit(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        await this.store.audit(this.pending[0]!);
        this.pending.shift();
      }
    } catch (err) {
      if (this.pending.length > this.queueSize) {
        const dropped = this.pending.length - this.queueSize;
        this.pending.splice(0, dropped);
        this.lostRows += dropped;
      }
      this.onStoreError(err as Error, `audit (${this.pending.length} queued, ${this.lostRows} lost)`);
    }
  }

  /**
   * Answer one message in its conversation, and remember what follow-ups need. Null when a flood
   * is being dropped: the sender was already asked to slow down. The turn runs the steps below in
   * order; a step that settles the turn (a flood, a slow-down) ends it.
   */
  async handle(msg: InboundMessage): Promise<Reply | null> {
    const turn: TurnInProgress = { msg, started: performance.now(), key: conversationKey(msg.conversation), state: EMPTY_STATE, next: EMPTY_STATE, reply: undefined, redacted: { text: '', found: [] }, settled: false };
    for (const step of TURN_STEPS) {
      await step.run(this, turn);
      if (turn.settled) break;
    }
    return turn.reply ?? null;
  }

  /**
   * Step: the per-user and per-workspace limits; a flood gets one slow-down, then nothing. Counted
   * in the store when it shares limits across instances; by this instance if that store fails.
   */
  async limit(t: TurnInProgress): Promise<void> {
    if (!this.limiter) return;
    const user = `${t.msg.conversation.platform}:${t.msg.user}`;
    const workspace = `${t.msg.conversation.platform}:${t.msg.workspace ?? t.msg.conversation.channel}`;
    let verdict: Verdict;
    try {
      verdict = this.store.limiter ? await this.store.limiter.check(user, workspace, this.limits, Date.now()) : this.limiter.check(user, workspace);
    } catch (err) {
      this.onStoreError(err as Error, 'rate limits');
      verdict = this.limiter.check(user, workspace);
    }
    if (verdict === 'ok') return;
    t.settled = true;
    if (verdict === 'warn') {
      const d = new ReplyDraft(this.kb, 'help', 0);
      d.title = 'Slow down, please';
      d.text('You have asked a lot of questions in the last minute. Please wait a moment and ask again: I will not answer more until then.');
      t.reply = d.finish();
    }
  }

  /** Step: the conversation's state (a store that fails leaves the turn without it), and an old button's guidance. */
  async loadState(t: TurnInProgress): Promise<void> {
    try {
      t.state = (await this.store.conversations.get(t.key)) ?? EMPTY_STATE;
    } catch (err) {
      this.onStoreError(err as Error, 'conversation state');
    }
    // A button from an earlier answer asks about that answer's guidance.
    const about = t.msg.context?.guidance;
    if (about && this.kb.get(about) && about !== t.state.guidance) {
      t.state = { ...t.state, guidance: about, group: t.msg.context?.group ?? null, codes: [] };
    }
  }

  /** Step: what the question asks (a question too long or empty is answered here already). */
  understandStep(t: TurnInProgress): void {
    const read = this.understand(t.redacted, t.state);
    if ('reply' in read) {
      t.reply = read.reply;
      t.next = t.state;
    } else t.understood = read;
  }

  /** Step: the answer from the intent's handler, and the state follow-ups need. */
  handleStep(t: TurnInProgress): void {
    if (t.understood) {
      const { reply, next } = this.handleUnderstood(t.understood, t.redacted, t.state);
      t.reply = reply;
      t.next = next;
    }
    // Its feedback buttons carry this, so a press is credited to this answer, not the latest one.
    t.reply!.ref = randomBytes(9).toString('base64url');
  }

  /** Step: remember what follow-ups need. */
  async saveState(t: TurnInProgress): Promise<void> {
    try {
      await this.store.conversations.set(t.key, t.next);
    } catch (err) {
      this.onStoreError(err as Error, 'conversation state');
    }
  }

  /** Step: one audit row, the question as redacted. */
  async audit(t: TurnInProgress): Promise<void> {
    const reply = t.reply!;
    await this.writeAudit({
      ref: reply.ref,
      at: new Date().toISOString(),
      platform: t.msg.conversation.platform,
      userHash: this.hashUser(t.msg.conversation.platform, t.msg.user),
      channel: t.msg.conversation.channel,
      question: t.redacted.text.slice(0, this.maxLength),
      intent: reply.intent,
      confidence: reply.confidence,
      guidance: reply.guidance,
      codes: reply.codes.map((c) => c.code),
      answered: reply.answered,
      latencyMs: Math.round((performance.now() - t.started) * 1000) / 1000,
      knowledgeHash: this.kb.hash,
    });
  }

  /**
   * Pure: the same question and state give the same reply, byte for byte. Patient identifiers are
   * taken out here too, so no way into the core can read or echo one.
   */
  answer(raw: string, state: ConversationState = EMPTY_STATE): { reply: Reply; next: ConversationState } {
    return this.answerRedacted(redact(raw), state);
  }

  private answerRedacted(redacted: Redacted, state: ConversationState): { reply: Reply; next: ConversationState } {
    const read = this.understand(redacted, state);
    return 'reply' in read ? { reply: read.reply, next: state } : this.handleUnderstood(read, redacted, state);
  }

  /**
   * What the question asks: the intent (a command, a coverage question, or the classifier and the
   * rules around it) and what it names. A question too long or empty is answered here already.
   */
  private understand(redacted: Redacted, state: ConversationState): Understood | { reply: Reply } {
    // "2", "the second one" after a list of choices: that choice's question, as its button would ask;
    // a number out of range asks again.
    const options = state.options ?? [];
    const choice = options.length > 0 ? choiceAt(redacted.text, options.length) : null;
    const chosen = choice && choice.at >= 0 && choice.at < options.length ? options[choice.at]! : undefined;
    if (choice?.number && !chosen) {
      const d = new ReplyDraft(this.kb, 'help', 0);
      d.title = 'Which one?';
      d.text(`There ${options.length === 1 ? 'is 1 choice' : `are ${options.length} choices`}: pick a number from 1 to ${options.length}.`);
      d.clarify = { question: 'Which one?', options: [...options] };
      return { reply: d.finish() };
    }
    // A message that fits one of the choices only ("it's early stage", "the patient has essential
    // tremor") picks it too.
    const asWritten = !chosen && !choice && options.length > 0 && redacted.text.length <= this.maxLength ? this.nlu.understand(redacted.text) : undefined;
    const fitted = asWritten ? this.fitsOneOption(asWritten, options) : undefined;
    const question = (chosen ?? fitted)?.value ?? redacted.text;
    if (question.length > this.maxLength) {
      const d = new ReplyDraft(this.kb, 'help', 0);
      d.title = 'Please shorten your question';
      d.text(`Your message is ${question.length} characters long; I read questions of up to ${this.maxLength}. Please ask about one procedure or code at a time.`);
      return { reply: d.finish() };
    }
    const command = parseCommand(question);
    // (Understood once: the message as written, when it picked no choice and is no command.)
    const u = asWritten && !fitted && !command ? asWritten : this.nlu.understand(command?.text ?? question);
    if (u.text.length === 0 && command?.intent !== 'help') {
      const d = new ReplyDraft(this.kb, 'help', 0);
      d.title = 'Ask me a coding question';
      d.text('Your message was empty. Try one of these:');
      for (const q of exampleList(this.kb).slice(0, 3)) d.suggest(q);
      return { reply: d.finish() };
    }
    // "Which guidance do you know?" is about codebot's coverage, not one guidance: answered as a list.
    const aboutCoverage = !command && u.guidanceIds.length === 0 && u.codes.length === 0 && COVERAGE.test(u.text);
    const intent = command
      ? { intent: command.intent, confidence: 1, fallback: false }
      : aboutCoverage
        ? { intent: 'guidance_summary' as const, confidence: 1, fallback: false }
        : this.decide(u, state);
    return { u, aboutCoverage, ...intent };
  }

  /** The answer to an understood question, from the handler for its intent, and the state follow-ups need. */
  private handleUnderstood(read: Understood, redacted: Redacted, state: ConversationState): { reply: Reply; next: ConversationState } {
    const { u } = read;
    const d = new ReplyDraft(this.kb, read.intent, read.confidence);
    const turn: Turn = { kb: this.kb, u, state, draft: d };
    if (read.fallback) this.fallback(turn);
    else if (read.aboutCoverage) coverage(turn);
    else HANDLERS[read.intent](turn);
    sideNotice(d, u.text);
    otherSideNotice(d, this.kb, u.text);
    if (redacted.found.length > 0) d.notice(IDENTIFIER_REMINDER);
    const reply = d.finish();
    const next: ConversationState = {
      ...state,
      ...d.state,
      intent: reply.intent,
      question: u.text,
      options: reply.clarify ? [...reply.clarify.options] : undefined,
    };
    reply.context = { guidance: next.guidance ?? null, group: next.group ?? null };
    return { reply, next };
  }

  private decide(u: Understanding, state: ConversationState): { intent: Intent; confidence: number; fallback: boolean } {
    // Risks, outcomes, recovery: a clinical question, whatever procedure it names (no codes for it).
    if (u.codes.length === 0 && u.guidanceIds.length === 0 && asksClinically(u.text)) {
      return readAs(u, 'out_of_scope');
    }
    const shaped = codeQuestionShape(u) ?? procedureCodesShape(u);
    if (shaped) return { intent: shaped, confidence: Math.max(u.confidence, this.threshold), fallback: false };
    // "the primary is sigmoid" after liver metastases: the codes again, for that primary.
    if (tellsThePrimary({ kb: this.kb, u, state })) return readAs(u, 'how_to_code');
    // "when was the guidance on X issued": when a page was published is in its summary.
    if (u.codes.length === 0 && WHEN.test(u.text) && (u.guidanceIds.length > 0 || hasTopic(u.terms) || state.guidance)) return readAs(u, 'guidance_summary');
    // Read as a rule question in a conversation about a page, with no code or id:
    if (u.intent === 'rule_explanation' && state.guidance && u.codes.length === 0 && u.guidanceIds.length === 0) {
      // "is that the same for open?" after a laparoscopic page: an approach the page is not about,
      // and nothing else, asks for its codes done that way (the answer says it gives none for it).
      const named = u.terms.filter((t) => !t.implied && t.category !== 'coding');
      const approaches = named.filter((t) => t.category === 'approach' && t.concept?.id !== 'image guided');
      if (approaches.length > 0 && approaches.length === named.length && approaches.some((t) => !this.kb.index.isAbout(state.guidance!, t.key))) return readAs(u, 'how_to_code');
      // A detail of the case, told and not asked ("was bilateral", "under GA"): its codes again, for that.
      if (!ASKS.test(u.text) && u.text.trim().split(/\s+/).length <= 4) return readAs(u, 'how_to_code');
    }
    // "what's the ICD-10?", "what are the codes" in a conversation: its guidance's codes, not a code
    // search with nothing to search for (a rule question, "which site code?", was taken above).
    if (this.asksConversationCodes(u, state)) return readAs(u, 'how_to_code');
    // "IPG234 codes", "list the codes in IPG421", "IPG421 ICD10": that guidance's codes, not a code
    // search with no code, nor a summary.
    if (u.codes.length === 0 && u.guidanceIds.length > 0) {
      if (u.intent === 'code_lookup') return readAs(u, 'how_to_code');
      if (u.intent === 'guidance_summary' && /\b(?:icd-?10|diagnos[ie]s(?: codes?)?|dx|opcs(?:-?4)?(?: codes?)?|codes)\b/i.test(u.text) && !/\b(?:summar\w*|replace\w*|supersede\w*|link|url|about|complete|current|latest|overview)\b/i.test(u.text)) {
        return readAs(u, 'how_to_code');
      }
    }
    // "which guidance uses it?" after a code: that code looked up.
    if (u.codes.length === 0 && state.codes.length > 0 && USES_IT.test(u.text)) return readAs(u, 'code_lookup');
    // "any Y codes?", "is there a Z code" about a guidance: what it gives in that chapter, not a
    // code looked up or checked with no code to go on.
    if ((u.intent === 'code_lookup' || u.intent === 'code_check') && u.codes.length === 0 && chaptersAsked(u.text).length > 0 && (state.guidance || u.guidanceIds.length > 0 || hasTopic(u.terms))) {
      return readAs(u, 'rule_explanation');
    }
    // A case described, not asked ("coblation tonsillectomy bilateral in 6 yr old"): read as a rule
    // question for its laterality word, it wants the procedure's codes.
    if (u.intent === 'rule_explanation' && u.codes.length === 0 && u.guidanceIds.length === 0 && !ASKS.test(u.text) && this.namesKnownProcedure(u) && this.codedOrNotCovered(u)) {
      return readAs(u, 'how_to_code');
    }
    // Read as chat, off topic or unsure, a message that asks about a procedure by its abbreviation is
    // a coder's: "what is EVLA?" (three capitals or more, no word chat uses: its page, or "not
    // covered"), or one read off a title with nothing else of its page ("what is MIVAT", "PREN": the
    // answer offers what it may mean, and answers from nothing).
    const readAsChat = u.intent === null || CHAT_INTENTS.has(u.intent) || u.intent === 'out_of_scope' || u.confidence < this.threshold;
    if (readAsChat && u.codes.length === 0 && u.guidanceIds.length === 0 && (u.unread.length > 0 || this.asksAbbreviation(u.text))) {
      return readAs(u, 'how_to_code');
    }
    const intent: Intent = u.intent ?? 'out_of_scope';
    const confidence = u.confidence;
    const written = u.terms.filter((t) => !t.implied);
    const chatFree = written.length > 0 && !written.some((t) => !t.concept && this.chatStems.has(t.key.slice(2))) && !CHAT_WORDS.test(u.text);
    // So is one read as off topic that names a procedure a guidance matches, as a concept or in a
    // title's words ("fetal pillow at caesarean", "coblation tonsillectomy vs cold steel"): with no word
    // of a chat or office request in intents/ ("tell me a joke about TAVI" stays off topic).
    if (u.intent === 'out_of_scope' && chatFree && u.codes.length === 0 && u.guidanceIds.length === 0 && !ASKS.test(u.text) && u.terms.some((t) => !t.implied && !t.aside && (t.category === 'procedure' || (!t.category && (this.aboutCoding(t) || this.operationWord(u, t))))) && bestMatch(this.kb, u.terms)) {
      return readAs(u, 'how_to_code');
    }
    // An abbreviation alone ("TMS", "EVLA?") is how coders name a procedure; "OK" and "LOL" are chat.
    const bareAbbreviation = chatFree && /^[A-Z][A-Z0-9]{1,5}\s*\??$/.test(u.text.trim());
    const domain =
      bareAbbreviation ||
      u.codes.length > 0 ||
      u.guidanceIds.length > 0 ||
      written.some((t) => this.aboutCoding(t) || this.operationWord(u, t)) ||
      CODING_WORDS.test(u.text) ||
      this.abbreviationFor(u.text) ||
      // Coders' shorthand for a procedure ("EVLT to L GSV"), read as how to code with confidence
      // ("what does GMT mean" is no coding question).
      (chatFree && intent === 'how_to_code' && confidence >= this.threshold && this.hasAbbreviation(u.text));
    let conversational = CHAT_INTENTS.has(intent);
    // In a conversation about a guidance, a short question that is not chat ("which goes first?",
    // "and if it had been on pump?") is a follow-up: the best non-chat reading of it.
    // So is one about "it" in coding words ("how many times do I code it if they had two sessions").
    const aboutIt = /\b(?:it|this|that|they|them)\b/i.test(u.text) && CODING_WORDS.test(u.text);
    const followUp = state.guidance && intent !== 'help' && (FOLLOW_UP.test(u.text) || aboutIt) && !CHAT.test(u.text) && u.text.split(/\s+/).length <= 14;
    if (followUp && conversational) {
      const next = u.classification.ranked.find((r) => !CHAT_INTENTS.has(r.label));
      if (next) return { intent: next.label as Intent, confidence: next.p, fallback: false };
      conversational = false;
    }
    // "can you help me code a SILC please": asking for help with a named procedure's codes is asking for them.
    if (intent === 'help' && CODING_WORDS.test(u.text) && written.some((t) => t.category === 'procedure' && !t.aside)) {
      return readAs(u, 'how_to_code');
    }
    if (conversational && chatFree && this.procedureNamedAsChat(u, written, intent, bareAbbreviation)) {
      return readAs(u, 'how_to_code');
    }
    // With nothing about coding in it and no conversation to follow, it is not a coding question.
    // (A conversation about codes is one too: "is it mandatory" after "what does Y53.2 mean".)
    const about = state.guidance !== null || state.codes.length > 0;
    if (!domain && !conversational && !(about && (u.text.split(' ').length <= 4 || (FOLLOW_UP.test(u.text) && !CHAT.test(u.text) && u.text.split(' ').length <= 14)))) {
      return readAs(u, 'out_of_scope');
    }
    // Unsure, but the message names a procedure the knowledge has ("SIRT?", "LUNA for pelvic pain"):
    // a coder naming a procedure wants its codes, the one reading that cannot mislead.
    const unsure = u.intent === null || confidence < this.threshold;
    if (unsure && !conversational && u.codes.length === 0 && u.guidanceIds.length === 0 && (this.namesKnownProcedure(u) || (written.some((t) => this.operationWord(u, t)) && this.codedOrNotCovered(u)))) {
      return { intent: 'how_to_code', confidence: Math.min(confidence, this.threshold), fallback: false };
    }
    // Unsure, with a code and what it was for ("S07.1 for PDT of actinic keratosis on the face"): whether
    // the code goes with that, a rule question ("X72 for an inpatient chemo delivery?").
    if (unsure && u.codes.length === 1 && /^\s*[a-z]\d{2}(?:\.[0-9x-])?\s+(?:for|in|with)\b/i.test(u.text)) return { intent: 'rule_explanation', confidence, fallback: false };
    // Unsure between coding readings of a follow-up: the conversation says what it is about, so the best one.
    if (unsure && followUp && u.intent !== null) return { intent, confidence, fallback: false };
    if (u.intent === null) return { intent: domain ? 'how_to_code' : 'out_of_scope', confidence: 0, fallback: true };
    if (confidence < this.threshold) return { intent, confidence, fallback: true };
    return { intent, confidence, fallback: false };
  }

  /**
   * A message read as chat, with no word any chat in intents/ uses, that is a coder naming a
   * procedure, who wants its codes. Either it names one (an abbreviation alone, a procedure concept,
   * a word of one or two titles' procedure part: "nuss bar", "mechanical clot retrieval"), and is
   * coded if a guidance covers it fully, or told it is not covered if none does; covered only in
   * part ("stroke symptoms", "what causes glaucoma") it is chat about a condition. Or, read as a
   * greeting, it has a word of the guidance's coding text ("carpal tunnel release",
   * "haemorrhoidectomy"), and only "not covered" can come of it, never another guidance's codes
   * ("diabetes" and "heart failure" stay chat). Coding words ("OPCS or ICD-10?") and approaches ("is
   * DVLA open today") name no procedure.
   */
  private procedureNamedAsChat(u: Understanding, written: Term[], intent: Intent, bareAbbreviation: boolean): boolean {
    // An abbreviation and what it was for ("rTMS for treatment resistant depression") names a
    // procedure, however well a guidance matches it: the answer says how well.
    if (this.abbreviationFor(u.text)) return true;
    // So does an abbreviation a page defines for its own procedure, written in capitals ("VV ECMO").
    if ([...u.text.matchAll(/\b[A-Z][A-Z0-9]{1,9}\b/g)].some((m) => this.kb.abbreviations.has(m[0].toLowerCase()))) return true;
    const named = bareAbbreviation || written.some((t) => (t.concept ? t.category === 'procedure' : this.ownStems.has(t.key.slice(2)) || this.operationWord(u, t)));
    const pageWord = intent === 'smalltalk' && written.some((t) => !t.concept && this.pageWords.has(u.text.slice(t.start, t.end).toLowerCase()));
    if (!named && !pageWord) return false;
    return named ? this.codedOrNotCovered(u) : bestMatch(this.kb, u.terms) === undefined;
  }

  /** "what is EVLA?", "whats ECP": what an abbreviation in capitals is, that no chat in intents/ uses. */
  private asksAbbreviation(text: string): boolean {
    const m = /^\s*what(?:'s|s| is| are)\s+(?:an?\s+)?([A-Z][A-Z0-9]{2,6})s?\s*\??\s*$/.exec(text);
    return m !== null && !this.chatStems.has(m[1]!.toLowerCase());
  }

  /**
   * The one offered choice whose page has most of what the message names, when one does and the
   * message names no procedure, organ or condition that page is not about (then it is a new question).
   */
  private fitsOneOption(u: Understanding, options: ReadonlyArray<{ label: string; value: string }>): { label: string; value: string } | undefined {
    const ids = options.map((o) => /\((IPG\d+)\)\??$/.exec(o.value)?.[1] ?? '');
    const written = u.terms.filter((t) => !t.implied && !t.aside && t.category !== 'coding');
    if (u.codes.length > 0 || u.guidanceIds.length > 0 || written.length === 0) return undefined;
    const has = (id: string, k: string) => this.kb.index.isAbout(id, k) || this.kb.index.inTitle(id, k);
    const at = uniqueBest(ids.map((id, i) => ({ id, i })), ({ id }) => (id ? written.filter((t) => has(id, t.key)).length : 0));
    if (!at) return undefined;
    const named = (t: Term) => t.category === 'procedure' || t.category === 'organ' || t.category === 'condition';
    if (written.some((t) => named(t) && !has(at.id, t.key))) return undefined;
    return options[at.i];
  }

  /** Read as how to code, the message would get a guidance's codes for all it names, or "not covered": never a partial answer. */
  private codedOrNotCovered(u: Understanding): boolean {
    const best = bestMatch(this.kb, u.terms);
    return best === undefined || best.missing.length === 0;
  }

  /** "what's the ICD-10?", "what are the codes" in a conversation: asking for its guidance's codes. */
  private asksConversationCodes(u: Understanding, state: ConversationState): boolean {
    if (!state.guidance || u.codes.length > 0 || u.guidanceIds.length > 0) return false;
    // (Read as a rule question, it is one: "why the ICD-10 code?")
    if (u.intent === 'rule_explanation' || u.intent === 'code_check') return false;
    // (Nor is "any Y codes?": what it gives in that chapter.)
    if (chaptersAsked(u.text).length > 0) return false;
    const written = u.terms.filter((t) => !t.implied);
    return written.every((t) => t.category === 'coding' && t.concept?.id !== 'snomed') && ASKS_CODES.test(u.text);
  }

  /**
   * A word that puts a message about coding: a lexicon concept, or a word of a title's procedure part
   * that no chat uses. (Not any abbreviation in capitals: "ASAP", "BBC" and "DVLA" are chat.)
   */
  private aboutCoding(t: Term): boolean {
    return t.concept !== undefined || (t.key.startsWith('s:') && this.topicStems.has(t.key.slice(2)));
  }

  /** A word we have no concept for that names an operation ("trabeculectomy", "ACL reconstruction"). */
  private operationWord(u: Understanding, t: Term): boolean {
    return operationTerm(u.text, t);
  }

  /** An abbreviation in capitals ("EVLT", "rTMS") that is not a code and no chat uses ("ASAP"). */
  private hasAbbreviation(text: string): boolean {
    for (const m of text.matchAll(/\b[a-z]?[A-Z][A-Z0-9]{1,5}\b/g)) {
      if (/^[A-Z]\d/.test(m[0]) || !/[A-Z].*[A-Z]/.test(m[0])) continue;
      if (!this.chatStems.has(m[0].toLowerCase())) return true;
    }
    return false;
  }

  /**
   * An abbreviation in capitals, then what it was for ("UAE for fibroids", "PFO closure for
   * migraine"): how coders name a procedure, known to the knowledge or not. "OK for Friday?" is chat.
   */
  private abbreviationFor(text: string): boolean {
    for (const m of text.matchAll(/\b([a-z]?[A-Z][A-Z0-9]{1,5})(?:\s+[a-z]+)?\s+for\s+(?:a\s+|an\s+|the\s+)?(?:[a-z]|[A-Z][a-z]+'s\b|[A-Z]{2,}\d?\b)/g)) {
      if (!this.chatStems.has(m[1]!.toLowerCase())) return true;
    }
    return false;
  }

  /**
   * The message names a procedure a loaded guidance is about: through our vocabulary, or (words we
   * have no concept for, as on a newly imported page) by matching nearly all of a guidance's words.
   */
  private namesKnownProcedure(u: Understanding): boolean {
    const concept = u.terms.some((t) => !t.implied && (t.category === 'procedure' || t.category === 'condition'));
    const words = u.terms.filter((t) => !t.implied && t.category !== 'coding').length;
    return this.kb.index.search(u.terms).some((h) => !h.contradicts && (concept ? h.coverage >= 0.75 : words >= 2 && h.coverage >= 0.9));
  }

  private fallback(turn: Turn): void {
    const d = turn.draft;
    d.answered = false;
    d.title = "I'm not sure what you're asking";
    d.text('I could not tell what you want from that question, so I will not guess. Did you mean one of these?');
    const ranked = turn.u.classification.ranked.slice(0, 2).map((r) => r.label);
    const topic = turn.u.codes[0]?.code;
    const examples = examplesFor(this.kb);
    const suggestions: Record<string, string | undefined> = {
      how_to_code: examples.how_to_code,
      code_lookup: topic ? `What is ${topic}?` : examples.code_lookup,
      rule_explanation: topic ? `Why is ${topic} used?` : examples.rule_explanation,
      guidance_summary: examples.guidance_summary,
      code_check: examples.code_check,
    };
    for (const r of ranked) {
      const s = suggestions[r];
      if (s) d.suggest(s);
    }
    d.suggest('help');
  }
}

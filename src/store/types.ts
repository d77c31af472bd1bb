// The one store interface the assistant and the platforms use: conversation state, platform
// retry de-duplication, the audit log and feedback. In memory for unit tests, SQLite otherwise.
// Asynchronous throughout, so a store across the network can stand behind it.

import type { ConversationStore } from '../shared/conversation.js';
import type { RateLimits, Verdict } from '../shared/limits.js';

export interface AuditRow {
  at: string;
  platform: string;
  /** Salted hash of the platform user id: never the raw id. */
  userHash: string;
  channel: string;
  /** The question after redaction of patient identifiers. */
  question: string;
  intent: string;
  confidence: number;
  guidance: string[];
  codes: string[];
  answered: boolean;
  latencyMs: number;
  knowledgeHash: string;
  /** The answer's own reference, carried by its feedback buttons (null for rows written before it). */
  ref?: string | null;
}

export interface FeedbackRow {
  at: string;
  platform: string;
  channel: string;
  userHash: string;
  helpful: boolean;
  intent: string;
  guidance: string[];
}

/** Feedback as a surface reports it: which answer it is about is the store's to find, never the client's to say. */
export type FeedbackInput = Omit<FeedbackRow, 'intent' | 'guidance'> & {
  /** The pressed answer's reference: credit goes to that answer, else to the conversation's last. */
  ref?: string | null;
};

/** The answer feedback was credited to. */
export interface FeedbackLink {
  auditId: number | null;
  intent: string;
  guidance: string[];
}

export interface Expired {
  conversations: number;
  events: number;
}

export interface Purged {
  audit: number;
  feedback: number;
  conversations: number;
  events: number;
}

/** Claim an event id while answering it; remember it once answered; release it if answering failed. */
export interface EventDedupe {
  claim(id: string): Promise<boolean>;
  done(id: string): Promise<void>;
  release(id: string): Promise<void>;
}

/** Rate limits counted in the store, so every instance sees every instance's turns. */
export interface SharedLimiter {
  check(user: string, workspace: string, limits: RateLimits, now: number): Promise<Verdict>;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** Present when the store shares rate limits across instances (PostgreSQL); else each instance counts its own. */
  readonly limiter?: SharedLimiter;
  readonly conversations: ConversationStore;
  readonly events: EventDedupe;
  /** Writes one audit row; returns its id. */
  audit(row: AuditRow): Promise<number>;
  /**
   * Records feedback, linked to the conversation's latest audit row, with that row's intent and
   * guidance; returns that answer (auditId null when there is none).
   */
  feedback(row: FeedbackInput): Promise<FeedbackLink>;
  /** Deletes what is older than `before`. */
  purge(before: Date): Promise<Purged>;
  /** Deletes conversation state past its idle time and event ids past theirs. */
  expire(): Promise<Expired>;
  auditRows(since: Date): Promise<Array<AuditRow & { id: number }>>;
  /** Salt for hashing user ids (kept with the data, so hashes compare across restarts). */
  salt(): string;
  /** True when the store takes a write now (what /readyz reports). */
  ping(): Promise<boolean>;
  feedbackRows(since: Date): Promise<Array<FeedbackRow & { auditId: number | null }>>;
  close(): Promise<void>;
}

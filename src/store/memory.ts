// The store in memory: for unit tests and the command line, where nothing should outlive the process.

import { randomBytes } from 'node:crypto';
import { readState, type ConversationState, type ConversationStore } from '../shared/conversation.js';
import type { AuditRow, EventDedupe, Expired, FeedbackInput, FeedbackLink, FeedbackRow, Purged, Store } from './types.js';

class MemoryEvents implements EventDedupe {
  private readonly events = new Map<string, { done: boolean; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async claim(id: string): Promise<boolean> {
    const e = this.events.get(id);
    if (e && this.now() - e.at <= this.ttlMs) return false;
    this.events.set(id, { done: false, at: this.now() });
    if (this.events.size > 50_000) this.events.delete(this.events.keys().next().value!);
    return true;
  }

  async done(id: string): Promise<void> {
    this.events.set(id, { done: true, at: this.now() });
  }

  async release(id: string): Promise<void> {
    this.events.delete(id);
  }

  expire(): number {
    return this.purge(this.now() - this.ttlMs);
  }

  purge(before: number): number {
    let n = 0;
    for (const [id, e] of this.events) if (e.at < before && this.events.delete(id)) n++;
    return n;
  }
}

/** In-memory store with idle expiry; bounded so a flood of conversations cannot exhaust memory. */
export class MemoryConversationStore implements ConversationStore {
  private readonly map = new Map<string, { state: ConversationState; at: number }>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<ConversationState | undefined> {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    // Checked like a row from a database, so every store keeps the same promise.
    return readState(hit.state);
  }

  /** Forget every conversation idle past its time; returns how many. */
  expire(): number {
    let n = 0;
    const now = this.now();
    for (const [k, v] of this.map) if (now - v.at > this.ttlMs && this.map.delete(k)) n++;
    return n;
  }

  async set(key: string, state: ConversationState): Promise<void> {
    this.map.delete(key);
    this.map.set(key, { state, at: this.now() });
    if (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  readonly conversations: MemoryConversationStore;
  readonly events: MemoryEvents;
  private readonly audits: Array<AuditRow & { id: number }> = [];
  private readonly feedbacks: Array<FeedbackRow & { auditId: number | null }> = [];

  constructor(opts: { stateTtlMs?: number; eventTtlMs?: number; now?: () => number } = {}) {
    const now = opts.now ?? Date.now;
    this.conversations = new MemoryConversationStore(opts.stateTtlMs, 10_000, now);
    this.events = new MemoryEvents(opts.eventTtlMs ?? 10 * 60 * 1000, now);
  }

  async audit(row: AuditRow): Promise<number> {
    const id = this.audits.length + 1;
    this.audits.push({ ...row, id });
    if (this.audits.length > 100_000) this.audits.shift();
    return id;
  }

  async feedback(row: FeedbackInput): Promise<FeedbackLink> {
    const rev = [...this.audits].reverse();
    const last = (row.ref ? rev.find((a) => a.ref === row.ref && a.platform === row.platform) : undefined) ?? rev.find((a) => a.platform === row.platform && a.channel === row.channel);
    const link = { auditId: last?.id ?? null, intent: last?.intent ?? 'unknown', guidance: last?.guidance ?? [] };
    const { ref: _ref, ...fields } = row;
    this.feedbacks.push({ ...fields, ...link });
    return link;
  }

  async expire(): Promise<Expired> {
    return { conversations: this.conversations.expire(), events: this.events.expire() };
  }

  async purge(before: Date): Promise<Purged> {
    const iso = before.toISOString();
    const a = this.audits.length;
    const f = this.feedbacks.length;
    this.audits.splice(0, this.audits.length, ...this.audits.filter((r) => r.at >= iso));
    this.feedbacks.splice(0, this.feedbacks.length, ...this.feedbacks.filter((r) => r.at >= iso));
    return { audit: a - this.audits.length, feedback: f - this.feedbacks.length, conversations: 0, events: this.events.purge(before.getTime()) };
  }

  async auditRows(since: Date): Promise<Array<AuditRow & { id: number }>> {
    const iso = since.toISOString();
    return this.audits.filter((r) => r.at >= iso);
  }

  async feedbackRows(since: Date): Promise<Array<FeedbackRow & { auditId: number | null }>> {
    const iso = since.toISOString();
    return this.feedbacks.filter((r) => r.at >= iso);
  }

  private readonly saltValue = randomBytes(16).toString('hex');

  salt(): string {
    return this.saltValue;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

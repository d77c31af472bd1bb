// What a conversation remembers between turns, so follow-ups ("and laparoscopic?", "why Y53?")
// resolve. Behind an interface so a persistent store can replace the in-memory one.

export interface ConversationState {
  /** Guidance the last answer drew on. */
  guidance: string | null;
  /** Index of the code group last shown, when one was singled out. */
  group: number | null;
  /** Codes the last answer gave or checked. */
  codes: string[];
  intent: string | null;
  /** The last question, for "did you mean". */
  question: string | null;
}

export const EMPTY_STATE: ConversationState = { guidance: null, group: null, codes: [], intent: null, question: null };

export interface ConversationStore {
  get(key: string): Promise<ConversationState | undefined>;
  set(key: string, state: ConversationState): Promise<void>;
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
    return hit.state;
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

// What a conversation remembers between turns, so follow-ups ("and laparoscopic?", "why Y53?")
// resolve. Behind an interface so a persistent store can replace the in-memory one; the types live
// here, below both the assistant that uses them and the stores that keep them.

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
  /** The choices the last answer offered (what each says, the question it asks), so "2" or "the second one" picks one. */
  options?: Array<{ label: string; value: string }>;
}

export const EMPTY_STATE: ConversationState = { guidance: null, group: null, codes: [], intent: null, question: null };

export interface ConversationStore {
  get(key: string): Promise<ConversationState | undefined>;
  set(key: string, state: ConversationState): Promise<void>;
}

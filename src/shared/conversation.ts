// What a conversation remembers between turns, so follow-ups ("and laparoscopic?", "why Y53?")
// resolve. Behind an interface so a persistent store can replace the in-memory one; the types live
// here, below both the assistant that uses them and the stores that keep them.

import { z } from 'zod';

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

const ConversationStateSchema = z.object({
  guidance: z.string().nullable(),
  group: z.number().int().nonnegative().nullable(),
  codes: z.array(z.string()),
  intent: z.string().nullable(),
  question: z.string().nullable(),
  options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
});

/**
 * A state as a store gave it back, checked: a row that is not one (written by another version, or
 * damaged) is no conversation, not a crash. The turn is then answered on its own.
 */
export function readState(raw: unknown): ConversationState | undefined {
  const parsed = ConversationStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export interface ConversationStore {
  get(key: string): Promise<ConversationState | undefined>;
  set(key: string, state: ConversationState): Promise<void>;
}

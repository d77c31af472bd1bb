// What a button sends back when pressed, for every surface: one schema, validated where it comes
// in. An "ask" button carries the guidance (and group) of the answer it sits on, so pressing an
// old button answers about that answer, not whatever the conversation has moved on to.

import { z } from 'zod';
import type { Reply } from '../assistant/reply.js';

export const AskButtonSchema = z.object({
  codebot: z.literal('ask'),
  question: z.string().min(1).max(4000),
  guidance: z.string().regex(/^IPG\d+$/).nullable().optional(),
  group: z.number().int().min(0).max(100).nullable().optional(),
});
export type AskButton = z.infer<typeof AskButtonSchema>;

// Older cards also sent an intent and guidance with feedback: ignored (stripped), the store takes
// them from the audited answer.
export const FeedbackButtonSchema = z.object({ codebot: z.literal('feedback'), helpful: z.boolean(), ref: z.string().max(40).nullable().optional() });

/** Slack's feedback button value: the answer's reference. */
export function slackFeedbackValue(reply: Reply): string {
  return JSON.stringify({ ref: reply.ref });
}

/** The reference in a Slack feedback value, or null (older messages sent intent and guidance). */
export function parseSlackFeedback(value: string): string | null {
  try {
    const v = z.object({ ref: z.string().max(40) }).safeParse(JSON.parse(value));
    return v.success ? v.data.ref : null;
  } catch {
    return null;
  }
}

export const ButtonValueSchema = z.union([AskButtonSchema, FeedbackButtonSchema]);
export type ButtonValue = z.infer<typeof ButtonValueSchema>;

/** A follow-up button on this reply: the question, with what the reply was about. */
export function askButton(reply: Reply, question: string): AskButton {
  return { codebot: 'ask', question, guidance: reply.context.guidance, group: reply.context.group };
}

/** Slack button values are strings: the ask payload as compact JSON. */
export function slackAskValue(reply: Reply, question: string): string {
  const b = askButton(reply, question);
  return JSON.stringify({ q: b.question, g: b.guidance ?? null, gr: b.group ?? null });
}

const SlackAskSchema = z.object({ q: z.string().min(1).max(4000), g: z.string().regex(/^IPG\d+$/).nullable().optional(), gr: z.number().int().min(0).max(100).nullable().optional() });

/** A Slack ask button's value: our JSON, or (older messages) the plain question. */
export function parseSlackAsk(value: string): AskButton | null {
  if (value.startsWith('{')) {
    try {
      const v = SlackAskSchema.safeParse(JSON.parse(value));
      if (v.success) return { codebot: 'ask', question: v.data.q, guidance: v.data.g ?? null, group: v.data.gr ?? null };
    } catch {
      // not our JSON: fall through to the plain question
    }
  }
  const q = value.trim();
  return q.length > 0 && q.length <= 4000 ? { codebot: 'ask', question: q } : null;
}

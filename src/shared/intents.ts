// The intents codebot answers: names only, so the Reply model and the scorers need not import the
// module that reads training files.

import { z } from 'zod';

export const INTENTS = [
  'how_to_code',
  'code_lookup',
  'rule_explanation',
  'guidance_summary',
  'code_check',
  'help',
  'smalltalk',
  'out_of_scope',
] as const;
export const IntentSchema = z.enum(INTENTS);
/** Intents that are conversation, not a question about the guidance. */
export const CHAT_INTENTS: ReadonlySet<string> = new Set(['help', 'smalltalk', 'out_of_scope']);
export type Intent = z.infer<typeof IntentSchema>;

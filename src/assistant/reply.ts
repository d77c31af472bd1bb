// The one reply model every surface renders (render/: plain text, Block Kit, Adaptive Cards). Built
// by the assistant, validated in tests and printed as JSON by `codebot ask --json`.

import { z } from 'zod';
import { SystemSchema } from '../knowledge/schema.js';
import { IntentSchema } from '../shared/intents.js';

/** OPCS-4 and ICD-10 codes, and the SNOMED CT concepts some pages pair with them. */
export const ReplySystemSchema = z.enum([...SystemSchema.options, 'SNOMED CT']);

export const ReplyCodeSchema = z.object({
  system: ReplySystemSchema,
  /** Exactly as the knowledge writes it (canonical spacing): `J12.4`, `Y53.-`, `X70-X71`; a SNOMED CT concept id. */
  code: z.string(),
  /** As the NICE text titles it, or null when the text names the code without a title. */
  title: z.string().nullable(),
  role: z.string(),
  /** The guidance whose text states this code. */
  guidance: z.string(),
});
export type ReplyCode = z.infer<typeof ReplyCodeSchema>;

export const CitationSchema = z.object({
  guidance: z.string(),
  /** The guidance's title as published (first letter capitalised), for a sources list. */
  title: z.string(),
  /** The page section quoted, e.g. "Coding recommendations" or "OPCS4.6 Code(s)". */
  section: z.string(),
  /** Exactly `page.slice(start, end)`. */
  quote: z.string(),
  url: z.string(),
  start: z.number().int(),
  end: z.number().int(),
});
export type Citation = z.infer<typeof CitationSchema>;

export const CheckItemSchema = z.object({
  /** The code as the user gave it, canonical spelling. */
  code: z.string(),
  verdict: z.enum(['confirmed', 'covered', 'not_in_guidance', 'unknown']),
  /** The code or category in the guidance that matched it. */
  matched: z.string().nullable(),
  guidance: z.string().nullable(),
  note: z.string(),
});
export type CheckItem = z.infer<typeof CheckItemSchema>;

export const ClarifySchema = z.object({
  question: z.string(),
  /** `value` is the question to ask when the option is chosen. */
  options: z.array(z.object({ label: z.string(), value: z.string() })).min(2),
});
export type Clarify = z.infer<typeof ClarifySchema>;

/** Platform-neutral content, in reading order, for renderers that lay things out (cards, blocks). */
export const BlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('codes'), label: z.string(), codes: z.array(ReplyCodeSchema) }),
  z.object({ type: z.literal('rule'), text: z.string(), guidance: z.string(), citation: z.number().int() }),
  z.object({ type: z.literal('notice'), text: z.string() }),
]);
export type Block = z.infer<typeof BlockSchema>;

export const ReplySchema = z.object({
  intent: IntentSchema,
  confidence: z.number().min(0).max(1),
  /** True when the reply answers from the knowledge. */
  answered: z.boolean(),
  /**
   * How well the knowledge matched: `full`, `partial` (answered from the closest guidance, which
   * does not cover `unmatched`), or `none` (not answered from the knowledge).
   */
  match: z.enum(['full', 'partial', 'none']),
  /** For a partial match: the words of the question the guidance does not cover. */
  unmatched: z.array(z.string()),
  title: z.string(),
  guidance: z.array(z.string()),
  codes: z.array(ReplyCodeSchema),
  citations: z.array(CitationSchema),
  check: z.array(CheckItemSchema).nullable(),
  clarify: ClarifySchema.nullable(),
  suggestions: z.array(z.string()),
  /** The classification versions and the definitive-source line, as data for every renderer. */
  footer: z.array(z.string()),
  /** This answer's reference in the audit log, set when it is handled (null from the pure `answer`). */
  ref: z.string().nullable(),
  /** What this reply is about, for follow-ups and the buttons on it. */
  context: z.object({ guidance: z.string().nullable(), group: z.number().int().nullable() }),
  notices: z.array(z.string()),
  blocks: z.array(BlockSchema),
});
export type Reply = z.infer<typeof ReplySchema>;

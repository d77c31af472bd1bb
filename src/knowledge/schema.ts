import { z } from 'zod';

// Offsets are UTF-16 indices into the whole page file (header included), so that
// `page.slice(start, end) === text` for every span: the loader checks exactly that.
const offset = z.number().int().nonnegative();

export const SpanSchema = z
  .object({ text: z.string().min(1), start: offset, end: offset })
  .refine((s) => s.end > s.start, { message: 'end must be after start' });
export type Span = z.infer<typeof SpanSchema>;

export const SystemSchema = z.enum(['OPCS-4', 'ICD-10']);
export type CodeSystem = z.infer<typeof SystemSchema>;

const codeFields = {
  code: z.string().regex(/^[A-Z]\d\d(?:\.(?:\d{1,2}|X|-))?(?:-[A-Z]\d\d)?$/, 'not a code'),
  kind: z.enum(['code', 'category', 'range']),
  stem: z.string().regex(/^[A-Z]\d\d$/),
  last: z.string().regex(/^[A-Z]\d\d$/).optional(),
  /** As written on the page. */
  raw: z.string().min(1),
  system: SystemSchema,
  /** The title exactly as the page writes it after the code, or null when it gives none. */
  title: z.string().min(1).nullable(),
  /** How the code is used here, e.g. "primary procedure", "secondary: image control". */
  role: z.string().min(1),
  start: offset,
  end: offset,
};

export const CodeItemSchema = z.object({
  type: z.literal('code'),
  ...codeFields,
  /** "(if used)", "(where necessary)": when the page limits the code. */
  qualifier: z.string().min(1).nullable(),
  includes: z.array(SpanSchema),
  /** Index of the item in the same group this one is an alternative to ("or"). */
  alternativeTo: z.number().int().nonnegative().nullable(),
});
export type CodeItem = z.infer<typeof CodeItemSchema>;

/** A line in a code list that names no code, e.g. "Chapter ‘Z’ code to indicate site treated". */
export const TextItemSchema = z.object({
  type: z.literal('text'),
  text: z.string().min(1),
  start: offset,
  end: offset,
});
export type TextItem = z.infer<typeof TextItemSchema>;

export const GroupSchema = z.object({
  /** "Open procedure:", "For the recipient:", "Stage 1": what the codes below it are for. */
  heading: SpanSchema.nullable(),
  /** "One of the following OPCS-4 codes is selected:" and the like. */
  instruction: SpanSchema.nullable(),
  choice: z.enum(['all', 'one-of']),
  /** True when an "or" line offers this group instead of the one before it. */
  alternative: z.boolean(),
  items: z.array(z.discriminatedUnion('type', [CodeItemSchema, TextItemSchema])).min(1),
});
export type Group = z.infer<typeof GroupSchema>;

export const RuleCodeSchema = z.object({ ...codeFields });
export type RuleCode = z.infer<typeof RuleCodeSchema>;

export const RuleKindSchema = z.enum([
  'note',
  'diagnosis',
  'additional',
  'limitation',
  'advice',
  'instruction',
  'statement',
]);
export type RuleKind = z.infer<typeof RuleKindSchema>;

export const RuleSchema = z.object({
  kind: RuleKindSchema,
  text: z.string().min(1),
  start: offset,
  end: offset,
  codes: z.array(RuleCodeSchema),
  /** The page capture stops inside this rule. */
  truncated: z.boolean(),
});
export type Rule = z.infer<typeof RuleSchema>;

/** A SNOMED CT concept a page pairs with its codes: never an OPCS-4 or ICD-10 code. */
export const SnomedConceptSchema = z.object({
  conceptId: z.string().regex(/^\d{6,18}$/, 'a SNOMED CT concept id is 6 to 18 digits'),
  /** The preferred term as the page writes it. */
  term: z.string().min(1),
  /** Under the procedure, or under "Diagnosis or health condition". */
  use: z.enum(['procedure', 'diagnosis']),
  /** The whole line, "Term (123456789)". */
  text: z.string().min(1),
  start: offset,
  end: offset,
});
export type SnomedConcept = z.infer<typeof SnomedConceptSchema>;

export const EntrySchema = z.object({
  schema: z.literal(1),
  id: z.string().regex(/^IPG\d+$/, 'must look like IPG327'),
  /** Page file name inside knowledge/pages. */
  source: z.string().regex(/^[a-z0-9_-]+\.txt$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  url: z.string().url(),
  title: SpanSchema,
  complete: z.boolean(),
  classification: SpanSchema.nullable(),
  /** Normalised form of `classification`, e.g. "OPCS-4.6". */
  version: z.string().nullable(),
  replaces: z
    .object({
      text: z.string().min(1),
      start: offset,
      end: offset,
      id: z.string().regex(/^IPG\d+$/).nullable(),
      date: z.string().nullable(),
    })
    .nullable(),
  description: SpanSchema.nullable(),
  coding: z.object({ heading: SpanSchema, start: offset, end: offset }),
  groups: z.array(GroupSchema),
  rules: z.array(RuleSchema),
  /** SNOMED CT concepts the page gives beside its codes (newer layouts). */
  snomed: z.array(SnomedConceptSchema).default([]),
  /** Corrections from knowledge/overrides.json that were applied, by reason. */
  overrides: z.array(z.string()),
});
export type Entry = z.infer<typeof EntrySchema>;

export const OverrideSchema = z.object({
  id: z.string().regex(/^IPG\d+$/),
  reason: z.string().min(10),
  /** JSON pointer-like path into the entry, e.g. "groups.0.items.1.title". */
  path: z.string().min(1),
  value: z.unknown(),
});
export const OverridesFileSchema = z.object({ overrides: z.array(OverrideSchema) });
export type Override = z.infer<typeof OverrideSchema>;

// Training utterances: intents/<intent>.json, one file per intent, validated at load.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { lineOfPath, syntaxErrorLine } from '../text/jsonpos.js';
import { DataFileError } from '../shared/file-error.js';
import { INTENTS, IntentSchema } from '../shared/intents.js';
import type { Example } from './classifier.js';

export { CHAT_INTENTS, INTENTS, IntentSchema, type Intent } from '../shared/intents.js';

/** A training file refused at load. */
export class IntentFileError extends DataFileError {
  override name = 'IntentFileError';
}

export const IntentFileSchema = z.object({
  intent: IntentSchema,
  description: z.string().min(1),
  utterances: z
    .array(z.string().trim().min(1, 'an utterance is empty').max(500))
    .min(5, 'give at least 5 utterances')
    .refine((u) => new Set(u.map((x) => x.toLowerCase())).size === u.length, 'utterances repeat'),
});
export type IntentFile = z.infer<typeof IntentFileSchema>;

export function loadIntentFiles(dir: string): IntentFile[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  const files: IntentFile[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const text = readFileSync(file, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new IntentFileError(file, syntaxErrorLine(text), null, `not valid JSON (${(err as Error).message})`);
    }
    const parsed = IntentFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new IntentFileError(file, lineOfPath(text, issue.path), issue.path.join('.') || null, issue.message);
    }
    const other = seen.get(parsed.data.intent);
    if (other) throw new IntentFileError(file, lineOfPath(text, ['intent']), 'intent', `intent ${parsed.data.intent} is already defined in ${other}`);
    seen.set(parsed.data.intent, file);
    files.push(parsed.data);
  }
  const missing = INTENTS.filter((i) => !seen.has(i));
  if (missing.length > 0) throw new IntentFileError(dir, null, null, `no training file for intent(s): ${missing.join(', ')}`);
  return files;
}

export function examplesOf(files: IntentFile[]): Example[] {
  return files.flatMap((f) => f.utterances.map((text) => ({ text, label: f.intent })));
}

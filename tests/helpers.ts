import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Assistant } from '../src/assistant/assistant.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KNOWLEDGE = path.join(ROOT, 'knowledge');
export const INTENTS = path.join(ROOT, 'intents');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');

let shared: Assistant | undefined;
/** One assistant for the whole file: loading and training is the slow part. */
export function assistant(): Assistant {
  shared ??= Assistant.create();
  return shared;
}

/** A private copy of the knowledge folder to break or import into. */
export function knowledgeCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'codebot-kb-'));
  cpSync(KNOWLEDGE, dir, { recursive: true });
  return dir;
}

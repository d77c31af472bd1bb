import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Assistant, type AssistantOptions } from '../src/assistant/assistant.js';

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

/** An assistant with its own options (store, limits ...) on the file's one loaded knowledge and trained classifier. */
export function assistantWith(opts: AssistantOptions): Assistant {
  const { kb, nlu } = assistant();
  return new Assistant(kb, nlu, opts);
}

/** A copy of the knowledge folder to change; `only` keeps just those guidance ids' pages and entries (a small, quick folder). */
export function knowledgeCopy(only?: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'codebot-kb-'));
  const keep = only && new Set(only.map((id) => id.toLowerCase()));
  cpSync(KNOWLEDGE, dir, { recursive: true, filter: (src) => !keep || !/[\\/](pages|entries)[\\/][^\\/]+$/.test(src) || keep.has(path.basename(src).replace(/\.(txt|json)$/, '')) });
  return dir;
}

type Json = Record<string, unknown>;

/**
 * A recorded platform payload from tests/fixtures/<platform>/<name>.json, with the fields a test
 * changes merged in (objects merge key by key; anything else replaces).
 */
export function recorded(platform: 'slack' | 'teams', name: string, changes: Json = {}): Json {
  return merge(JSON.parse(readFileSync(path.join(ROOT, 'tests', 'fixtures', platform, `${name}.json`), 'utf8')) as Json, changes);
}

function merge(base: Json, changes: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b as Json, v as Json) : v;
  }
  return out;
}

/** `codebot ARGS` run in process, as bin/codebot.js runs it, with its own stdin and captured output. */
export async function runCli(args: string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../src/platforms/cli/main.js');
  const { Readable } = await import('node:stream');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdin: Readable.from([input]),
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
  });
  return { code, stdout, stderr };
}

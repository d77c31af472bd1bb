// Tests that start the server or the CLI run the compiled dist/: build it first when any source is
// newer, so `vitest` alone never tests stale code (`npm test` has just built it, and skips this).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir: string, ext: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  let built = 0;
  try {
    statSync(path.join(ROOT, 'dist', 'server', 'main.js'));
    built = newest(path.join(ROOT, 'dist'), '.js');
  } catch {
    built = 0;
  }
  if (newest(path.join(ROOT, 'src'), '.ts') > built) {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  }
}

// A source file generated from another (kernels.wat, WordNet): written, or with --check compared.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes `text` to `target`, or with --check exits 1 when `target` differs from it. */
export function writeOrCheck(target: string, text: string, command: string): void {
  const name = path.relative(process.cwd(), target);
  if (!process.argv.includes('--check')) {
    writeFileSync(target, text);
    console.log(`wrote ${name}`);
  } else if (readFileSync(target, 'utf8') !== text) {
    console.error(`${name} is stale: run ${command}`);
    process.exit(1);
  } else console.log(`${name} is up to date`);
}

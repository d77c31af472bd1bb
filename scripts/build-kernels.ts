// Compiles src/nlu/kernels.wat into src/nlu/kernels-wasm.ts (the binary as base64, so tsc and tsx
// both carry it without a copy step). `--check` exits 1 when the committed file is stale.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated.js';
import wabt from 'wabt';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KERNELS_WAT = path.join(root, 'src', 'nlu', 'kernels.wat');
export const KERNELS_TS = path.join(root, 'src', 'nlu', 'kernels-wasm.ts');

/** The text of kernels-wasm.ts for the current kernels.wat. */
export async function kernelsModuleText(): Promise<string> {
  const w = await wabt();
  const mod = w.parseWat('kernels.wat', readFileSync(KERNELS_WAT, 'utf8'), { simd: true, bulk_memory: true });
  try {
    mod.validate();
    const { buffer } = mod.toBinary({});
    const base64 = Buffer.from(buffer).toString('base64');
    const lines = base64.match(/.{1,100}/g) ?? [];
    return [
      '// Generated from kernels.wat by `npm run build:kernels`; do not edit.',
      'export const KERNELS_WASM_BASE64 =',
      ...lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`),
      '',
    ].join('\n');
  } finally {
    mod.destroy();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) writeOrCheck(KERNELS_TS, await kernelsModuleText(), 'npm run build:kernels');

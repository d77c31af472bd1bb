import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainSoftmax, type Row, type SoftmaxTraining } from '../src/nlu/kernels.js';
import { KERNELS_TS, kernelsModuleText } from '../scripts/build-kernels.js';

/** The scalar training the kernels replace: one label at a time, the same sums in the same order. */
function reference(t: SoftmaxTraining): { w: Float64Array; b: Float64Array } {
  const { rows, y, features: F, labels: L } = t;
  const n = rows.length;
  const w = new Float64Array(F * L);
  const b = new Float64Array(L);
  const [mw, vw, mb, vb] = [new Float64Array(F * L), new Float64Array(F * L), new Float64Array(L), new Float64Array(L)];
  const p = new Float64Array(L);
  const adam = (x: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, s: number, decay: number) => {
    const c1 = 1 - 0.9 ** s;
    const c2 = 1 - 0.999 ** s;
    for (let i = 0; i < x.length; i++) {
      const gi = g[i]! + decay * x[i]!;
      m[i] = 0.9 * m[i]! + 0.1 * gi;
      v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
      x[i] = x[i]! - (t.rate * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
    }
  };
  for (let s = 1; s <= t.steps; s++) {
    const gw = new Float64Array(F * L);
    const gb = new Float64Array(L);
    for (let r = 0; r < n; r++) {
      const { idx, val } = rows[r]!;
      for (let k = 0; k < L; k++) {
        let sum = b[k]!;
        for (let j = 0; j < idx.length; j++) sum += w[idx[j]! * L + k]! * val[j]!;
        p[k] = sum;
      }
      const max = Math.max(...p);
      let z = 0;
      for (let k = 0; k < L; k++) {
        p[k] = Math.exp(p[k]! - max);
        z += p[k]!;
      }
      for (let k = 0; k < L; k++) p[k]! /= z;
      p[y[r]!]! -= 1;
      for (let k = 0; k < L; k++) {
        p[k]! /= n;
        gb[k]! += p[k]!;
      }
      for (let j = 0; j < idx.length; j++) for (let k = 0; k < L; k++) gw[idx[j]! * L + k]! += p[k]! * val[j]!;
    }
    adam(w, gw, mw, vw, s, t.l2);
    adam(b, gb, mb, vb, s, 0);
  }
  return { w, b };
}

/** Rows of distinct features with uneven values, from a fixed linear congruential sequence. */
function problem(n: number, F: number, L: number, seed: number): SoftmaxTraining {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows: Row[] = [];
  const y: number[] = [];
  for (let r = 0; r < n; r++) {
    const label = r % L;
    const chosen = new Set<number>();
    const size = r % 7 === 6 ? 0 : Math.min(F, 1 + Math.floor(next() * 12));
    while (chosen.size < size) chosen.add(next() < 0.5 ? (label * 5 + Math.floor(next() * 5)) % F : Math.floor(next() * F));
    const idx = Int32Array.from(chosen);
    rows.push({ idx, val: Float64Array.from(idx, () => 0.05 + next()) });
    y.push(label);
  }
  return { rows, y, features: F, labels: L, steps: 25, rate: 0.3, l2: 0.0005 };
}

describe('the training kernels', () => {
  it('give the scalar reference weights bit for bit, for odd and even label counts', () => {
    for (const [n, F, L] of [[40, 17, 1], [60, 23, 3], [90, 41, 8], [50, 30, 5]] as const) {
      const t = problem(n, F, L, n + F + L);
      const got = trainSoftmax(t);
      const want = reference(t);
      expect([...got.w], `${L} labels`).toEqual([...want.w]);
      expect([...got.b], `${L} labels`).toEqual([...want.b]);
    }
  });

  it('start each training from zero, whatever the one before left in memory', () => {
    const small = problem(30, 11, 3, 7);
    const first = trainSoftmax(small);
    trainSoftmax(problem(400, 300, 8, 9));
    const again = trainSoftmax(small);
    expect([...again.w]).toEqual([...first.w]);
    expect([...again.b]).toEqual([...first.b]);
  });

  it('learn: a feature seen only with one label predicts that label', () => {
    const rows: Row[] = [0, 1, 2, 0, 1, 2].map((f) => ({ idx: Int32Array.of(f), val: Float64Array.of(1) }));
    const { w, b } = trainSoftmax({ rows, y: [0, 1, 2, 0, 1, 2], features: 3, labels: 3, steps: 40, rate: 0.3, l2: 0 });
    for (let f = 0; f < 3; f++) {
      const s = [0, 1, 2].map((k) => w[f * 3 + k]! + b[k]!);
      expect(s.indexOf(Math.max(...s))).toBe(f);
    }
  });

  it('are built from kernels.wat as committed (npm run build:kernels)', async () => {
    expect(readFileSync(KERNELS_TS, 'utf8')).toBe(await kernelsModuleText());
  });
});

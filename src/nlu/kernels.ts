// Training of the softmax model in WebAssembly (kernels.wat). A fresh process trains once, at
// start-up, before V8 has optimised any JavaScript loop; WebAssembly is compiled before it runs, and
// its f64x2 lanes take two labels at a time. Each lane does the scalar code's operations in the same
// order, so the weights are the same bit for bit (tests/kernels.test.ts holds a scalar reference).

import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** One training row: feature numbers and their values. */
export interface Row {
  idx: Int32Array;
  val: Float64Array;
}

export interface SoftmaxTraining {
  rows: readonly Row[];
  /** The label number of each row. */
  y: readonly number[];
  features: number;
  labels: number;
  steps: number;
  /** Adam's step size. */
  rate: number;
  /** L2 penalty on the feature weights (not the biases). */
  l2: number;
}

// Node has WebAssembly; TypeScript declares it only in the DOM lib, which this project leaves out.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
};

interface Kernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gradient(n: number, L: number, start: number, off: number, val: number, y: number, w: number, b: number, gw: number, gb: number, p: number, F: number): void;
  adam(x: number, g: number, m: number, v: number, len: number, c1: number, c2: number, rate: number, decay: number): void;
}

let kernels: Kernels | undefined;

function load(): Kernels {
  if (!kernels) {
    const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    // The same Math.exp as the scalar code's softmax, so the same probabilities.
    kernels = new WebAssembly.Instance(module, { math: { exp: Math.exp } }).exports as Kernels;
  }
  return kernels;
}

/**
 * Full-batch gradient descent with Adam on the mean log loss of a softmax over `labels`.
 * Returns the weights feature-major (w[feature * labels + label]) and the biases.
 */
export function trainSoftmax(t: SoftmaxTraining): { w: Float64Array<ArrayBuffer>; b: Float64Array<ArrayBuffer> } {
  const { rows, y, features: F, labels: L } = t;
  const n = rows.length;
  let nnz = 0;
  for (const r of rows) nnz += r.idx.length;
  // One region of linear memory per array, each 16-byte aligned for v128 loads.
  let end = 0;
  const place = (bytes: number): number => {
    const at = end;
    end = (end + bytes + 15) & ~15;
    return at;
  };
  const start = place((n + 1) * 4);
  const off = place(nnz * 4);
  const val = place(nnz * 8);
  const ys = place(n * 4);
  const w = place(F * L * 8);
  const b = place(L * 8);
  const gw = place(F * L * 8);
  const gb = place(L * 8);
  const mw = place(F * L * 8);
  const vw = place(F * L * 8);
  const mb = place(L * 8);
  const vb = place(L * 8);
  const p = place(L * 8);
  const k = load();
  const pages = Math.ceil(end / 65536) - k.memory.buffer.byteLength / 65536;
  if (pages > 0) k.memory.grow(pages);
  // Weights and moments start at zero; the memory may hold an earlier training's.
  new Uint8Array(k.memory.buffer, 0, end).fill(0);
  const i32 = new Int32Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  let q = 0;
  for (let r = 0; r < n; r++) {
    const { idx, val: v } = rows[r]!;
    i32[start / 4 + r] = q;
    for (let j = 0; j < idx.length; j++, q++) {
      // Byte offset of the feature's first weight: the kernel adds no multiply per feature.
      i32[off / 4 + q] = idx[j]! * L * 8;
      f64[val / 8 + q] = v[j]!;
    }
    i32[ys / 4 + r] = y[r]!;
  }
  i32[start / 4 + n] = q;
  for (let s = 1; s <= t.steps; s++) {
    const c1 = 1 - 0.9 ** s;
    const c2 = 1 - 0.999 ** s;
    k.gradient(n, L, start, off, val, ys, w, b, gw, gb, p, F);
    k.adam(w, gw, mw, vw, F * L, c1, c2, t.rate, t.l2);
    k.adam(b, gb, mb, vb, L, c1, c2, t.rate, 0);
  }
  // Copies: the memory is reused by the next training.
  return { w: new Float64Array(f64.subarray(w / 8, w / 8 + F * L)), b: new Float64Array(f64.subarray(b / 8, b / 8 + L)) };
}

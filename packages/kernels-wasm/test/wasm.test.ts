import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelsInfo, wasmKernels, type Kernels } from '@aekit/kernels-wasm';
// Internal, not part of the package's public API: one named tier, and how much memory the module holds.
import { wasmKernelsOfTier, wasmMemoryBytes } from '../src/wasm.js';
import { gemmLaw, randomArray } from './helpers/gemm-law.js';

const wasm = wasmKernels() as Kernels;
const simd128 = wasmKernelsOfTier('simd128');
const relaxed = wasmKernelsOfTier('relaxed-simd');

describe('tier selection', () => {
  it('selects relaxed SIMD exactly where this engine validates it, else SIMD128', () => {
    expect(simd128).not.toBeNull();
    expect(wasm.tier).toBe(relaxed ? 'relaxed-simd' : 'simd128');
    expect(kernelsInfo()).toEqual({ tier: wasm.tier, webAssembly: true });
  });
});

// The law on every tier this process can run (both, from Node 22).
for (const kernels of [simd128, relaxed]) {
  if (!kernels) continue;
  describe(`the kernel law (${kernels.tier}): WebAssembly gemm equals the reference`, () => {
    for (const property of gemmLaw(kernels)) it(property.name, property.run);
  });
}

describe.runIf(relaxed === null)('the kernel law (relaxed-simd) in a child process', () => {
  it('holds under node --experimental-wasm-relaxed-simd, which also selects that tier', () => {
    const child = spawnSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', '--import', 'tsx', fileURLToPath(new URL('./helpers/relaxed-child.ts', import.meta.url))],
      { encoding: 'utf8', timeout: 50_000 },
    );
    if (/bad option|not allowed|unknown/i.test(child.stderr) && child.status !== 0) {
      // A Node that neither validates relaxed SIMD nor takes the flag: nothing to run it on.
      console.warn(`relaxed-simd tier not testable on Node ${process.version}: ${child.stderr.trim()}`);
      return;
    }
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/selected relaxed-simd; 5 properties held on relaxed-simd/);
    expect(child.stdout).toMatch(/the convolution law held on relaxed-simd, Winograd's regime, the direct kernels and the fused layers included/);
    expect(child.stdout).toMatch(/8 fused-kernel properties held on relaxed-simd/);
    expect(child.stdout).toMatch(/2 pooling properties held on relaxed-simd/);
  });
});

describe('wasm gemm: fixed cases', () => {
  it('treats k = 0 as an empty product: C = beta * C', () => {
    const c = new Float32Array([1, 2, Number.NaN, 4]);
    wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0, c);
    expect([...c]).toEqual([0, 0, 0, 0]);
    const d = new Float32Array([1, 2, 3, 4]);
    wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0.5, d);
    expect([...d]).toEqual([0.5, 1, 1.5, 2]);
  });

  it('multiplies a 2x3 by a 3x2 matrix (hand-computed), plain and with both operands transposed', () => {
    const c = new Float32Array(4);
    wasm.gemm(false, false, 2, 2, 3, 1, new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([7, 8, 9, 10, 11, 12]), 0, c);
    expect([...c]).toEqual([58, 64, 139, 154]);
    // The same product from A^T (3x2) and B^T (2x3).
    wasm.gemm(true, true, 2, 2, 3, 1, new Float32Array([1, 4, 2, 5, 3, 6]), new Float32Array([7, 9, 11, 8, 10, 12]), 0, c);
    expect([...c]).toEqual([58, 64, 139, 154]);
  });

  it('leaves the rest of a longer C untouched', () => {
    const c = new Float32Array(7).fill(9);
    wasm.gemm(false, false, 2, 3, 1, 1, new Float32Array([1, 2]), new Float32Array([1, 1, 1]), 0, c);
    expect([...c]).toEqual([1, 1, 1, 2, 2, 2, 9]);
  });
});

describe('wasm gemm: errors', () => {
  const f32 = (n: number) => new Float32Array(n);
  it.each([
    ['A', [new Float64Array(1), f32(1), f32(1)]],
    ['B', [f32(1), new Float64Array(1), f32(1)]],
    ['C', [f32(1), f32(1), new Float64Array(1)]],
  ] as const)('names %s when it is not a Float32Array', (name, [a, b, c]) => {
    expect(() => wasm.gemm(false, false, 1, 1, 1, 1, a, b, 0, c)).toThrow(TypeError);
    expect(() => wasm.gemm(false, false, 1, 1, 1, 1, a, b, 0, c)).toThrow(
      new RegExp(`gemm: the WebAssembly kernels take Float32Array; ${name} is a Float64Array`),
    );
  });

  it('names the matrix and the sizes when a buffer is too short', () => {
    // m = 2, n = 3, k = 4.
    expect(() => wasm.gemm(false, false, 2, 3, 4, 1, f32(7), f32(12), 0, f32(6))).toThrow(/gemm: A \(m x k\) needs 2x4 = 8 elements, got 7/);
    expect(() => wasm.gemm(true, false, 2, 3, 4, 1, f32(7), f32(12), 0, f32(6))).toThrow(/gemm: A \(transposed, k x m\) needs 4x2 = 8 elements, got 7/);
    expect(() => wasm.gemm(false, true, 2, 3, 4, 1, f32(8), f32(11), 0, f32(6))).toThrow(/gemm: B \(transposed, n x k\) needs 3x4 = 12 elements, got 11/);
    expect(() => wasm.gemm(false, false, 2, 3, 4, 1, f32(8), f32(12), 0, f32(5))).toThrow(/gemm: C \(m x n\) needs 2x3 = 6 elements, got 5/);
    expect(() => wasm.gemm(false, false, 2, 3, 4, 1, f32(8), f32(12), 0, f32(5))).toThrow(RangeError);
  });

  it('rejects sizes that are not non-negative integers', () => {
    expect(() => wasm.gemm(false, false, 1.5, 1, 1, 1, f32(2), f32(2), 0, f32(2))).toThrow(/gemm: m must be a non-negative integer, got 1.5/);
    expect(() => wasm.gemm(false, false, 1, -1, 1, 1, f32(2), f32(2), 0, f32(2))).toThrow(/gemm: n must be a non-negative integer, got -1/);
  });
});

describe('wasm gemm: memory', () => {
  it('10,000 small calls and repeated large ones never grow memory past the first large call', () => {
    const big = 300;
    const a = randomArray(big * big, 1);
    const b = randomArray(big * big, 2);
    const c = new Float32Array(big * big);
    wasm.gemm(false, false, big, big, big, 1, a, b, 0, c);
    const after = wasmMemoryBytes();
    expect(after).toBeGreaterThanOrEqual(3 * big * big * 4);
    const small = [randomArray(16 * 16, 3), randomArray(16 * 16, 4), new Float32Array(16 * 16)] as const;
    for (let i = 0; i < 10_000; i++) {
      const s = 1 + (i % 16);
      wasm.gemm(i % 2 === 1, i % 3 === 1, s, 17 - s, s, 1, small[0], small[1], i % 5 === 0 ? 0 : 1, small[2]);
    }
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      wasm.gemm(ta, tb, big, big, big, 1, a, b, 1, c);
    }
    expect(wasmMemoryBytes()).toBe(after);
  });
});

describe('resident buffers: memory', () => {
  it('freed buffers give their memory back at once, without a collection, and the live ones keep their contents', () => {
    const kept = wasm.residentBuffer(777);
    kept.write(Float32Array.from({ length: 777 }, (_, i) => -i));
    const mb = 250_000;
    let afterFirst = 0;
    for (let round = 0; round < 200; round++) {
      // A training step's worth of buffers, of a few sizes, freed together as withStepMemory does: 1.2 GB if nothing came back.
      const step = [mb, 3 * mb + 1, 64, mb + 7, 2 * mb].map((n) => wasm.residentBuffer(n, 'any'));
      step.forEach((b, i) => b.write(new Float32Array(b.length).fill(round + i)));
      expect(step.every((b, i) => b.read()[b.length - 1] === round + i)).toBe(true);
      for (const b of step) b.free();
      if (round === 0) afterFirst = wasmMemoryBytes();
    }
    expect(wasmMemoryBytes()).toBe(afterFirst);
    expect([...kept.read()].every((v, i) => v === -i)).toBe(true);
  });

  it('dropped buffers give their memory back, and the live ones keep their contents', async () => {
    // The vitest config runs this package under --expose-gc.
    const collect = (globalThis as { gc?: () => void }).gc;
    expect(collect, 'the kernels tests must run with --expose-gc').toBeTypeOf('function');
    const settle = async () => {
      collect?.();
      // The finalizers that free the blocks run as tasks after the collection.
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    const kept = wasm.residentBuffer(1001);
    kept.write(Float32Array.from({ length: 1001 }, (_, i) => i));
    const mb = 250_000; // floats in a megabyte
    let afterFirst = 0;
    for (let round = 0; round < 30; round++) {
      // Ten dropped megabytes a round: 300 MB in all if nothing came back.
      for (let i = 0; i < 10; i++) wasm.residentBuffer(mb + (i % 3)).write(new Float32Array(mb + (i % 3)).fill(round));
      await settle();
      if (round === 0) afterFirst = wasmMemoryBytes();
    }
    expect(wasmMemoryBytes()).toBeLessThanOrEqual(afterFirst + 20 * 4 * mb);
    expect([...kept.read()].every((v, i) => v === i)).toBe(true);
    // Scratch still works above whatever the resident blocks hold.
    const c = new Float32Array(4);
    wasm.gemm(false, false, 2, 2, 2, 1, Float32Array.of(1, 2, 3, 4), Float32Array.of(1, 0, 0, 1), 0, c);
    expect([...c]).toEqual([1, 2, 3, 4]);
    expect([...kept.read()].every((v, i) => v === i)).toBe(true);
  });
});

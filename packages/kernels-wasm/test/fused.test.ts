import { describe, expect, it } from 'vitest';
import { isResidentBuffer, referenceKernels, type Kernels } from '@aekit/kernels-wasm';
// Internal: one named tier.
import { wasmKernelsOfTier } from '../src/wasm.js';
import { fusedLaw } from './helpers/fused-law.js';

const tiers = [wasmKernelsOfTier('simd128'), wasmKernelsOfTier('relaxed-simd')].filter((k): k is Kernels => k !== null);

// The relaxed tier under Node 20 runs in wasm.test.ts's child process (helpers/relaxed-child.ts).
for (const kernels of tiers) {
  describe(`the kernel law (${kernels.tier}): fused kernels equal the reference`, () => {
    for (const property of fusedLaw(kernels)) it(property.name, property.run);
  });
}

describe('adamMany and resident operands on the reference', () => {
  for (const property of fusedLaw(referenceKernels).filter((p) => p.name.startsWith('adamMany') || p.name.startsWith('resident'))) it(property.name, property.run);
});

describe('resident buffers', () => {
  for (const kernels of [referenceKernels, ...tiers]) {
    it(`${kernels.tier}: start at zero, read back what was written, refuse the wrong size`, () => {
      const buffer = kernels.residentBuffer(5);
      expect([...buffer.read()]).toEqual([0, 0, 0, 0, 0]);
      buffer.write([1, 2, 3, 4, 5]);
      const other = kernels.residentBuffer(3);
      other.write(new Float64Array([7, 8, 9]));
      expect([...buffer.read()]).toEqual([1, 2, 3, 4, 5]);
      expect([...other.read()]).toEqual([7, 8, 9]);
      expect(() => buffer.write([1, 2])).toThrow(/ResidentBuffer.write: the buffer holds 5 elements, got 2/);
      expect(() => kernels.residentBuffer(-1)).toThrow(/residentBuffer: length must be a non-negative integer, got -1/);
    });

    it(`${kernels.tier}: isResidentBuffer tells its buffers from arrays`, () => {
      const buffer = kernels.residentBuffer(3);
      expect(isResidentBuffer(buffer)).toBe(true);
      buffer.free();
      expect(isResidentBuffer(buffer)).toBe(true); // freed, but still not an array
      for (const x of [new Float32Array(3), new Float64Array(3), [1, 2, 3], { length: 3 }, null, undefined, 3]) expect(isResidentBuffer(x)).toBe(false);
    });

    it(`${kernels.tier}: a fused kernel names the short operand and the sizes it was given`, () => {
      const f32 = (n: number) => new Float32Array(n);
      expect(() => kernels.denseForward(2, 3, 4, f32(8), f32(11), null, 'relu', f32(6))).toThrow('denseForward: w needs 12 elements (m = 2, n = 3, k = 4), got 11');
      expect(() => kernels.biasActivation('sigmoid', 2, 5, f32(10), f32(4), f32(10))).toThrow('biasActivation: bias needs 5 elements (rows = 2, cols = 5), got 4');
    });

    it(`${kernels.tier}: adamMany names a mismatched update`, () => {
      const m = kernels.residentBuffer(3);
      const v = kernels.residentBuffer(3);
      expect(() => kernels.adamMany([{ w: new Float32Array(3), g: new Float32Array(2), m, v }], 1, 0.9, 0.999, 1e-7)).toThrow(
        /adamMany: update 0: w, g, m and v must have the same length, got 3, 2, 3 and 3/,
      );
      expect(() => kernels.adamMany([{ w: new Float32Array(3), g: new Float64Array(3) as unknown as Float32Array, m, v }], 1, 0.9, 0.999, 1e-7)).toThrow(
        /adamMany: update 0: g must be a Float32Array or a resident buffer, got Float64Array/,
      );
      expect(() => kernels.adamMany([{ w: [0, 0, 0] as unknown as Float32Array, g: new Float32Array(3), m, v }], 1, 0.9, 0.999, 1e-7)).toThrow(
        /adamMany: update 0: w must be a Float32Array or a resident buffer, got Array/,
      );
    });
  }

  for (const kernels of [referenceKernels, ...tiers]) {
    it(`${kernels.tier}: write from an offset, free at once, refuse every use after free`, () => {
      const buffer = kernels.residentBuffer(6, 'any');
      buffer.write([1, 2, 3, 4, 5, 6]);
      buffer.write([9, 8], 3);
      expect([...buffer.read()]).toEqual([1, 2, 3, 9, 8, 6]);
      const into = new Float32Array(6);
      expect(buffer.read(into)).toBe(into);
      expect([...into]).toEqual([1, 2, 3, 9, 8, 6]);
      expect(() => buffer.read(new Float32Array(5))).toThrow(/ResidentBuffer.read: the buffer holds 6 elements, the target 5/);
      expect(() => buffer.write([1, 2], 5)).toThrow(/ResidentBuffer.write: 2 elements at offset 5 do not fit a buffer of 6/);
      expect(() => buffer.write([1], -1)).toThrow(/at offset -1 do not fit/);
      expect(buffer.freed).toBe(false);
      buffer.free();
      buffer.free();
      expect(buffer.freed).toBe(true);
      expect(() => buffer.read()).toThrow(/ResidentBuffer\.\w+: the buffer of 6 elements was freed/);
      expect(() => buffer.write([1, 2, 3, 4, 5, 6])).toThrow(/was freed/);
      const y = new Float32Array(6);
      expect(() => kernels.denseForward(2, 3, 2, buffer, new Float32Array(6), null, 'linear', y)).toThrow(/was freed/);
    });
  }

  it('a resident operand of one tier is refused by another, naming the kernel and the operand', () => {
    for (const kernels of tiers) {
      const foreign = referenceKernels.residentBuffer(4);
      expect(() => kernels.denseForward(2, 2, 2, foreign, new Float32Array(4), null, 'relu', new Float32Array(4))).toThrow(
        new RegExp(`denseForward: x is not a resident buffer of these kernels \\(${kernels.tier}\\)`),
      );
      const own = kernels.residentBuffer(4);
      expect(() => referenceKernels.squaredErrorSum(4, new Float32Array(4), own, 1, null)).toThrow(/squaredErrorSum: t is a resident buffer of another kernel tier/);
    }
  });

  it('a buffer of one tier is refused by another', () => {
    for (const kernels of tiers) {
      const foreign = referenceKernels.residentBuffer(2);
      expect(() => kernels.adamMany([{ w: new Float32Array(2), g: new Float32Array(2), m: foreign, v: foreign }], 1, 0.9, 0.999, 1e-7)).toThrow(
        new RegExp(`adamMany: update 0: m is not a resident buffer of these kernels \\(${kernels.tier}\\)`),
      );
      const own = kernels.residentBuffer(2);
      expect(() => referenceKernels.adamMany([{ w: new Float32Array(2), g: new Float32Array(2), m: own, v: own }], 1, 0.9, 0.999, 1e-7)).toThrow(/another kernel tier/);
    }
  });
});

describe('fused kernels: fixed cases', () => {
  for (const kernels of [referenceKernels, ...tiers]) {
    it(`${kernels.tier}: relu and sigmoid of x + bias, by hand`, () => {
      const y = new Float32Array(6);
      kernels.biasActivation('relu', 2, 3, new Float32Array([-1, 0.5, 2, 3, -4, 0]), new Float32Array([0.5, 0.5, -1]), y);
      expect([...y]).toEqual([0, 1, 1, 3.5, 0, 0]);
      kernels.biasActivation('sigmoid', 1, 3, new Float32Array([0, 100, -100]), null, y);
      expect(y[0]).toBe(0.5);
      expect(y[1]).toBe(1);
      expect(y[2]).toBeLessThan(1e-37);
      kernels.biasActivation('relu', 1, 1, new Float32Array([Number.NaN]), null, y);
      expect(y[0]).toBeNaN();
    });

    it(`${kernels.tier}: the backward and the bias gradient, by hand`, () => {
      const dx = new Float32Array(4);
      const dBias = new Float32Array(2);
      // sigmoid outputs 0.5 and 0.25: derivatives 0.25 and 0.1875.
      kernels.biasActivationGrad('sigmoid', 2, 2, new Float32Array([0.5, 0.25, 0.5, 0.25]), new Float32Array([4, 16, 8, -16]), dx, dBias);
      expect([...dx]).toEqual([1, 3, 2, -3]);
      expect([...dBias]).toEqual([3, 0]);
      kernels.biasActivationGrad('relu', 1, 4, new Float32Array([0, 2, 0, 1]), new Float32Array([5, 6, 7, 8]), dx, null);
      expect([...dx]).toEqual([0, 6, 0, 8]);
    });

    it(`${kernels.tier}: binary cross-entropy and its gradient, by hand`, () => {
      const dp = new Float32Array(3);
      // -(log 0.5 + log(1 - 0.25) + log 0.8): the third prediction, 1.5, is clipped to 1 - 2^-10 and passes no gradient.
      const total = kernels.binaryCrossentropySum(3, new Float32Array([0.5, 0.25, 1.5]), new Float32Array([1, 0, 0.2]), 2 ** -10, 1, dp);
      const q = 1 - 2 ** -10;
      expect(total).toBeCloseTo(-(Math.log(0.5) + Math.log(0.75) + 0.2 * Math.log(q) + 0.8 * Math.log(1 - q)), 5);
      expect(dp[0]).toBeCloseTo(-2, 5); // -t / p
      expect(dp[1]).toBeCloseTo(1 / 0.75, 5); // (1 - t) / (1 - p)
      expect(dp[2]).toBe(0);
      expect(kernels.binaryCrossentropySum(1, new Float32Array([Number.NaN]), new Float32Array([1]), 1e-7, 1, null)).toBeNaN();
    });

    it(`${kernels.tier}: a dense layer forward and backward, by hand`, () => {
      // x = [[1, 2]], w = [[1, -1], [1, 1]], bias [0.5, -2]: x w + b = [3.5, -1], relu -> [3.5, 0].
      const x = new Float32Array([1, 2]);
      const w = new Float32Array([1, -1, 1, 1]);
      const y = new Float32Array(2);
      kernels.denseForward(1, 2, 2, x, w, new Float32Array([0.5, -2]), 'relu', y);
      expect([...y]).toEqual([3.5, 0]);
      const [dx, dW, dBias] = [new Float32Array(2), new Float32Array(4), new Float32Array(2)];
      kernels.denseBackward(1, 2, 2, x, w, y, new Float32Array([10, 20]), 'relu', dx, dW, dBias);
      // dz = [10, 0]: dW = xᵀ dz, dx = dz wᵀ, dBias = dz.
      expect([...dW]).toEqual([10, 0, 20, 0]);
      expect([...dx]).toEqual([10, 10]);
      expect([...dBias]).toEqual([10, 0]);
    });

    it(`${kernels.tier}: one Adam step from zero slots moves each weight by about lr against its gradient's sign`, () => {
      const w = new Float32Array([1, 1, 1, 1, 1]);
      const m = new Float32Array(5);
      const v = new Float32Array(5);
      // alpha = lr sqrt(1 - beta2) / (1 - beta1) for step 1, so the step is lr g / |g| (up to epsilon).
      const lr = 0.01;
      kernels.adam(5, w, new Float32Array([2, -3, 0.5, -0.25, 0]), m, v, (lr * Math.sqrt(0.001)) / 0.1, 0.9, 0.999, 1e-7);
      [0.99, 1.01, 0.99, 1.01, 1].forEach((want, i) => expect(w[i]).toBeCloseTo(want, 5));
      expect(m[0]).toBeCloseTo(0.2, 6);
      expect(v[1]).toBeCloseTo(0.009, 6);
    });
  }
});

describe('fused kernels: errors name the kernel and the sizes', () => {
  for (const kernels of [referenceKernels, ...tiers]) {
    const f32 = (n: number) => new Float32Array(n);
    it(`${kernels.tier}`, () => {
      expect(() => kernels.biasActivation('relu', 2, 3, f32(5), null, f32(6))).toThrow(/biasActivation: x needs 6 elements \(rows = 2, cols = 3\), got 5/);
      expect(() => kernels.biasActivation('relu', 2, 3, f32(6), f32(2), f32(6))).toThrow(/biasActivation: bias needs 3 elements \(rows = 2, cols = 3\), got 2/);
      expect(() => kernels.biasActivation('tanh' as 'relu', 1, 1, f32(1), null, f32(1))).toThrow(/biasActivation: activation must be 'linear', 'relu' or 'sigmoid', got 'tanh'/);
      expect(() => kernels.biasActivationGrad('sigmoid', 2, 2, f32(4), f32(4), f32(4), f32(1))).toThrow(/biasActivationGrad: dBias needs 2 elements \(rows = 2, cols = 2\), got 1/);
      expect(() => kernels.biasActivationGrad('sigmoid', 2, -2, f32(4), f32(4), f32(4), null)).toThrow(/biasActivationGrad: cols must be a non-negative integer, got -2/);
      expect(() => kernels.squaredErrorSum(4, f32(4), f32(3), 1, null)).toThrow(/squaredErrorSum: t needs 4 elements \(n = 4\), got 3/);
      expect(() => kernels.squaredErrorSum(4, f32(4), f32(4), 1, f32(2))).toThrow(/squaredErrorSum: dp needs 4 elements \(n = 4\), got 2/);
      expect(() => kernels.binaryCrossentropySum(4, f32(4), f32(4), 1e-7, 1, f32(3))).toThrow(/binaryCrossentropySum: dp needs 4 elements \(n = 4\), got 3/);
      expect(() => kernels.squaredErrorGrad(4, f32(4), f32(4), 1, f32(3))).toThrow(/squaredErrorGrad: dp needs 4 elements \(n = 4\), got 3/);
      expect(() => kernels.denseForward(2, 3, 4, f32(8), f32(11), null, 'relu', f32(6))).toThrow(/denseForward: w needs 12 elements \(m = 2, n = 3, k = 4\), got 11/);
      expect(() => kernels.denseBackward(2, 3, 4, f32(8), f32(12), f32(6), f32(6), 'relu', f32(7), null, null)).toThrow(
        /denseBackward: dx needs 8 elements \(m = 2, n = 3, k = 4\), got 7/,
      );
      expect(() => kernels.adam(3, f32(3), f32(3), f32(2), f32(3), 1, 0.9, 0.999, 1e-7)).toThrow(/adam: m needs 3 elements \(n = 3\), got 2/);
    });
  }

  it('the WebAssembly tiers name a buffer that is not a Float32Array', () => {
    for (const kernels of tiers) {
      expect(() => kernels.adam(1, new Float32Array(1), new Float64Array(1), new Float32Array(1), new Float32Array(1), 1, 0.9, 0.999, 1e-7)).toThrow(
        /adam: the WebAssembly kernels take Float32Array; g is a Float64Array/,
      );
    }
  });
});

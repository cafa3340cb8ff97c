import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceKernels, type Kernels, type PoolGeometry } from '@aekit/kernels-wasm';
// Internal: one named tier.
import { wasmKernelsOfTier } from '../src/wasm.js';
import { comparePool, poolCase, poolLaw } from './helpers/pool-law.js';

const tiers = [wasmKernelsOfTier('simd128'), wasmKernelsOfTier('relaxed-simd')].filter((k): k is Kernels => k !== null);

for (const kernels of tiers) {
  describe(`the kernel law (${kernels.tier}): pooling and upsampling equal the reference`, () => {
    for (const property of poolLaw(kernels)) it(property.name, property.run);
  });
}

describe('the reference\'s max pooling with resident operands (its held buffers)', () => {
  it('maxPool2d and its backward give what host arrays give', () =>
    fc.assert(fc.property(poolCase, fc.nat(), fc.integer({ min: 0, max: 15 }), (g, s, resident) => comparePool(referenceKernels, g, s + 1, resident)), { numRuns: 25 }));
});

describe('pooling and upsampling: by hand and errors', () => {
  // A 1 x 3 x 3 x 1 image, 2x2 windows, stride 2, same padding: windows cover
  // rows/cols {0,1} and {2}.
  const g: PoolGeometry = { n: 1, h: 3, w: 3, c: 1, kh: 2, kw: 2, sh: 2, sw: 2, oh: 2, ow: 2, padTop: 0, padLeft: 0 };
  for (const kernels of [referenceKernels, ...tiers]) {
    it(`${kernels.tier}: max pooling, its argmax and backward; upsampling and its backward`, () => {
      const y = new Float32Array(4);
      const argmax = new Int32Array(4);
      kernels.maxPool2d(g, new Float32Array([1, 5, 2, 5, 0, 7, -1, -2, -3]), y, argmax);
      expect([...y]).toEqual([5, 7, -1, -3]);
      expect([...argmax]).toEqual([1, 5, 6, 8]); // the first 5 wins the tie
      const dx = new Float32Array(9);
      kernels.maxPool2dBackprop(g, new Float32Array([1, 2, 3, 4]), argmax, dx);
      expect([...dx]).toEqual([0, 1, 0, 0, 0, 2, 3, 0, 4]);
      const up = new Float32Array(8);
      const u = { n: 1, h: 1, w: 2, c: 2, fy: 2, fx: 1 };
      kernels.upSampling2d(u, new Float32Array([1, 2, 3, 4]), up);
      expect([...up]).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
      const back = new Float32Array(4);
      kernels.upSampling2dBackprop(u, new Float32Array([1, 2, 3, 4, 10, 20, 30, 40]), back);
      expect([...back]).toEqual([11, 22, 33, 44]);
    });

    it(`${kernels.tier}: sizes that do not fit are named`, () => {
      expect(() => kernels.maxPool2d(g, new Float32Array(8), new Float32Array(4), new Int32Array(4))).toThrow(
        /maxPool2d: x needs 9 elements \(n = 1, h = 3, w = 3, c = 1, oh = 2, ow = 2\), got 8/,
      );
      expect(() => kernels.maxPool2d({ ...g, oh: 3 }, new Float32Array(9), new Float32Array(6), new Int32Array(6))).toThrow(
        /maxPool2d: an output of 3x2 with strides 2x2 and padding 0x0 has windows past a 3x3 input/,
      );
      expect(() => kernels.maxPool2dBackprop(g, new Float32Array(4), new Int32Array(3), new Float32Array(9))).toThrow(/maxPool2dBackprop: argmax needs 4 elements/);
      expect(() => kernels.upSampling2d({ n: 1, h: 1, w: 1, c: 1, fy: 0, fx: 1 }, new Float32Array(1), new Float32Array(1))).toThrow(
        /upSampling2d: the factors must be positive, got 0x1/,
      );
      expect(() => kernels.upSampling2dBackprop({ n: 1, h: 1, w: 2, c: 1, fy: 2, fx: 2 }, new Float32Array(7), new Float32Array(2))).toThrow(
        /upSampling2dBackprop: dy needs 8 elements/,
      );
    });
  }

  it('the WebAssembly tiers refuse an argmax that points outside the input', () => {
    for (const kernels of tiers) {
      expect(() => kernels.maxPool2dBackprop(g, new Float32Array(4), new Int32Array([0, 1, 2, 9]), new Float32Array(9))).toThrow(
        /maxPool2dBackprop: argmax\[3\] = 9 is outside the input's 9 elements/,
      );
    }
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { referenceKernels, type ConvGeometry, type Kernels } from '@aekit/kernels-wasm';
// Internal: one named tier, and the chunking of the im2col loop (varied so chunk edges are crossed).
import { convTuning, usesWinograd, wasmKernelsOfTier, wasmMemoryBytes } from '../src/wasm.js';
import { compareConv, compareConvLayer, convCase, convLayerCase, oneChannelCase, winogradCase, type ConvKernel } from './helpers/conv-law.js';

const kernelNames: ConvKernel[] = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'];
const tiers = [wasmKernelsOfTier('simd128'), wasmKernelsOfTier('relaxed-simd')].filter((k): k is Kernels => k !== null);

afterEach(() => {
  convTuning.rowsForward = convTuning.rowsBackpropInput = convTuning.rowsBackpropFilter = 0;
  convTuning.winogradTiles = 0;
  convTuning.streamFloats = 1 << 20;
});

for (const kernels of tiers) {
  describe(`the kernel law (${kernels.tier}): WebAssembly convolution equals the reference`, () => {
    for (const name of kernelNames) {
      it(`${name}: random geometries, strides, kernel sizes, both paddings`, () =>
        fc.assert(
          fc.property(convCase(13, 19), fc.integer(), (g, seed) => compareConv(kernels, name, g, seed)),
          { numRuns: 150 },
        ));

      it(`${name}: chunks of any number of output positions, 1 included`, () =>
        fc.assert(
          fc.property(convCase(9, 11), fc.integer({ min: 1, max: 40 }), fc.integer(), (g, rows, seed) => {
            convTuning.rowsForward = convTuning.rowsBackpropInput = convTuning.rowsBackpropFilter = rows;
            compareConv(kernels, name, g, seed);
          }),
          { numRuns: 60 },
        ));
    }

    it('3x3 stride 1 with whole vectors of channels (Winograd F(2x2, 3x3) and, for the filter gradient, F(3x3, 2x2)), chunks of any number of tiles', () =>
      fc.assert(
        fc.property(winogradCase(13), fc.integer({ min: 0, max: 9 }), fc.integer(), (g, tiles, seed) => {
          convTuning.winogradTiles = tiles;
          for (const name of kernelNames) compareConv(kernels, name, g, seed);
        }),
        { numRuns: 120 },
      ));

    it('one input channel (the direct kernels: stride 1, any kernel size, whole vectors of filters; and any stride), the batch in slices of any number of images', () =>
      fc.assert(
        fc.property(fc.oneof(oneChannelCase(13), convCase(13, 1)), fc.integer({ min: 0, max: 4 }), fc.integer(), (g, images, seed) => {
          // 0: the whole batch at once; else slices of `images` images (the last one shorter).
          const perImage = g.h * g.w * g.c + g.oh * g.ow * g.f;
          convTuning.streamFloats = images === 0 ? 1 << 20 : images * perImage;
          for (const name of kernelNames) compareConv(kernels, name, g, seed);
        }),
        { numRuns: 100 },
      ));

    it('convForward and convBackward (conv2d and Conv2DTranspose layers) are the kernels above plus the bias-activation sweeps, bit for bit', () =>
      fc.assert(fc.property(convLayerCase(9, 11), (c) => compareConvLayer(kernels, c)), { numRuns: 80 }));

    it("at the benchmark layer's channels and past gemm's KC and MC blocks (3x3 same, 32 -> 64 channels)", () => {
      const g: ConvGeometry = { n: 3, h: 14, w: 14, c: 32, kh: 3, kw: 3, sh: 1, sw: 1, oh: 14, ow: 14, padTop: 1, padLeft: 1, f: 64 };
      for (const name of kernelNames) compareConv(kernels, name, g, 11);
      const strided: ConvGeometry = { ...g, c: 29, f: 37, sh: 2, sw: 2, oh: 7, ow: 7, padTop: 0, padLeft: 0 };
      for (const name of kernelNames) compareConv(kernels, name, strided, 12);
    });
  });
}

describe('the reference\'s convolution layer with resident operands (its held buffers)', () => {
  it('convForward and convBackward give what host arrays give', () =>
    fc.assert(fc.property(convLayerCase(6, 5), (c) => compareConvLayer(referenceKernels, c)), { numRuns: 25 }));
});

describe('the choice of Winograd F(2x2, 3x3)', () => {
  const g: ConvGeometry = { n: 1, h: 14, w: 14, c: 32, kh: 3, kw: 3, sh: 1, sw: 1, oh: 14, ow: 14, padTop: 1, padLeft: 1, f: 64 };
  it('takes 3x3 stride-1 kernels with whole vectors of channels, 8 or more out for the forward and input gradient', () => {
    expect(usesWinograd('conv2d', g)).toBe(true);
    expect(usesWinograd('conv2dBackpropInput', g)).toBe(true);
    expect(usesWinograd('conv2dBackpropFilter', g)).toBe(true);
    expect(usesWinograd('conv2dBackpropFilter', { ...g, c: 4, f: 4 })).toBe(true);
    expect(usesWinograd('conv2dBackpropFilter', { ...g, c: 6 })).toBe(false);
    expect(usesWinograd('conv2d', { ...g, c: 4 })).toBe(true);
    expect(usesWinograd('conv2dBackpropInput', { ...g, c: 4 })).toBe(false);
    expect(usesWinograd('conv2d', { ...g, f: 30 })).toBe(false);
    expect(usesWinograd('conv2d', { ...g, sh: 2, oh: 7 })).toBe(false);
    expect(usesWinograd('conv2d', { ...g, kw: 5 })).toBe(false);
  });
});

describe('wasm convolution: fixed cases and errors', () => {
  const wasm = tiers[0];
  const g: ConvGeometry = { n: 1, h: 3, w: 3, c: 1, kh: 2, kw: 2, sh: 1, sw: 1, oh: 2, ow: 2, padTop: 0, padLeft: 0, f: 1 };

  it('convolves a 3x3 image with a 2x2 filter (hand-computed), and its two gradients', () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const w = new Float32Array([1, 0, 0, -1]);
    const y = new Float32Array(4);
    wasm.conv2d(g, x, w, y);
    expect([...y]).toEqual([-4, -4, -4, -4]);
    const dx = new Float32Array(9);
    wasm.conv2dBackpropInput(g, new Float32Array([1, 1, 1, 1]), w, dx);
    expect([...dx]).toEqual([1, 1, 0, 1, 0, -1, 0, -1, -1]);
    const dw = new Float32Array(4);
    wasm.conv2dBackpropFilter(g, x, new Float32Array([1, 1, 1, 1]), dw);
    expect([...dw]).toEqual([12, 16, 24, 28]);
  });

  it.each([wasm, referenceKernels])('names the kernel and the buffer when sizes disagree ($tier)', (k) => {
    const f32 = (n: number) => new Float32Array(n);
    expect(() => k.conv2d(g, f32(8), f32(4), f32(4))).toThrow(/conv2d: x \[1, 3, 3, 1\] needs 9 elements, got 8/);
    expect(() => k.conv2dBackpropInput(g, f32(4), f32(3), f32(9))).toThrow(/conv2dBackpropInput: filter \[2, 2, 1, 1\] needs 4 elements, got 3/);
    expect(() => k.conv2dBackpropFilter(g, f32(9), f32(3), f32(4))).toThrow(/conv2dBackpropFilter: dy \[1, 2, 2, 1\] needs 4 elements, got 3/);
    expect(() => k.conv2d({ ...g, sh: 0 }, f32(9), f32(4), f32(4))).toThrow(/conv2d: sh must be a positive integer, got 0/);
    expect(() => k.conv2d({ ...g, padTop: 2 }, f32(9), f32(4), f32(4))).toThrow(/conv2d: padding 2x0 must be smaller than the 2x2 window/);
  });

  it.each([wasm, referenceKernels])('the fused layer kernels name the buffer and the shape it should have ($tier)', (k) => {
    const f32 = (n: number) => new Float32Array(n);
    // g maps 3x3x1 to 2x2x1: a transposed layer reads the 2x2 side and writes the 3x3 one.
    expect(() => k.convForward(g, false, f32(9), f32(4), f32(0), 'relu', f32(4))).toThrow(/convForward: bias needs 1 elements/);
    expect(() => k.convForward(g, true, f32(3), f32(4), null, 'relu', f32(9))).toThrow(/convForward: x \[1, 2, 2, 1\] needs 4 elements, got 3/);
    expect(() => k.convForward(g, true, f32(4), f32(4), null, 'relu', f32(4))).toThrow(/convForward: y \[1, 3, 3, 1\] needs 9 elements, got 4/);
    expect(() => k.convForward(g, false, f32(9), f32(4), null, 'tanh' as 'relu', f32(4))).toThrow(/convForward: .*tanh/);
    expect(() => k.convBackward(g, false, f32(9), f32(4), f32(4), f32(3), 'relu', null, null, null)).toThrow(/convBackward: dy needs 4 elements/);
    expect(() => k.convBackward(g, true, f32(4), f32(4), f32(9), f32(9), 'relu', f32(3), null, null)).toThrow(/convBackward: dx needs 4 elements/);
  });

  it('takes Float32Array only, naming the buffer', () => {
    expect(() => wasm.conv2dBackpropFilter(g, new Float32Array(9), new Float32Array(4), new Float64Array(4))).toThrow(
      /conv2dBackpropFilter: the WebAssembly kernels take Float32Array; dFilter is a Float64Array/,
    );
  });

  it('repeated calls never grow memory past the first', () => {
    const big: ConvGeometry = { n: 8, h: 14, w: 14, c: 32, kh: 3, kw: 3, sh: 1, sw: 1, oh: 14, ow: 14, padTop: 1, padLeft: 1, f: 64 };
    const x = new Float32Array(8 * 14 * 14 * 32);
    const w = new Float32Array(9 * 32 * 64);
    const y = new Float32Array(8 * 14 * 14 * 64);
    for (const name of kernelNames) compareConv(wasm, name, big, 1);
    const after = wasmMemoryBytes();
    for (let i = 0; i < 200; i++) {
      wasm.conv2d(big, x, w, y);
      wasm.conv2dBackpropInput(big, y, w, x);
      wasm.conv2dBackpropFilter(big, x, y, w);
    }
    expect(wasmMemoryBytes()).toBe(after);
  });
});

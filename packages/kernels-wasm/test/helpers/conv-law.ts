// The convolution kernel law: each kernel equals the reference (float64) at
// random geometries, within the float32 error bound of its reduction length.
import fc from 'fast-check';
import { referenceKernels, type ConvGeometry, type Kernels } from '../../src/index.js';
import { usesWinograd } from '../../src/wasm.js';
import { randomArray } from './gemm-law.js';

const U32 = 2 ** -24;

/** TensorFlow's window rule, as core's windowGeometry applies it. */
function axis(n: number, k: number, s: number, padding: 'same' | 'valid'): { out: number; pad: number } {
  if (padding === 'valid') return { out: Math.floor((n - k) / s) + 1, pad: 0 };
  const out = Math.ceil(n / s);
  return { out, pad: Math.floor(Math.max((out - 1) * s + k - n, 0) / 2) };
}

export interface ConvCase extends ConvGeometry {
  padding: 'same' | 'valid';
}

/** Sizes with 1, primes and non-multiples of 4 and 8 well represented. */
const dim = (max: number) => fc.oneof(fc.constantFrom(1, 2, 3, 5, 7, 8, 9, 13), fc.integer({ min: 1, max }));

/** A geometry whose window fits the input under its padding. */
export const convCase = (maxSide: number, maxChannels: number): fc.Arbitrary<ConvCase> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 3 }),
      h: dim(maxSide),
      w: dim(maxSide),
      c: dim(maxChannels),
      f: dim(maxChannels),
      kh: fc.integer({ min: 1, max: 5 }),
      kw: fc.integer({ min: 1, max: 5 }),
      sh: fc.integer({ min: 1, max: 3 }),
      sw: fc.integer({ min: 1, max: 3 }),
      padding: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    })
    .filter((g) => g.padding === 'same' || (g.kh <= g.h && g.kw <= g.w))
    .map((g) => {
      const rows = axis(g.h, g.kh, g.sh, g.padding);
      const cols = axis(g.w, g.kw, g.sw, g.padding);
      return { ...g, oh: rows.out, ow: cols.out, padTop: rows.pad, padLeft: cols.pad };
    });

/**
 * 3x3 stride-1 geometries with channel counts in whole vectors, the regime of
 * Winograd's F(2x2, 3x3) (4 channels out: too few for it, so im2col, included).
 */
export const winogradCase = (maxSide: number): fc.Arbitrary<ConvCase> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 3 }),
      h: dim(maxSide),
      w: dim(maxSide),
      c: fc.integer({ min: 1, max: 10 }).map((q) => 4 * q),
      f: fc.integer({ min: 1, max: 10 }).map((q) => 4 * q),
      padding: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    })
    .filter((g) => g.padding === 'same' || (g.h >= 3 && g.w >= 3))
    .map((g) => {
      const rows = axis(g.h, 3, 1, g.padding);
      const cols = axis(g.w, 3, 1, g.padding);
      return { ...g, kh: 3, kw: 3, sh: 1, sw: 1, oh: rows.out, ow: cols.out, padTop: rows.pad, padLeft: cols.pad };
    });

export type ConvKernel = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/**
 * Runs one kernel of `kernels` and of the reference on the same float32 inputs
 * and checks every element against (L + 3) u (sum of |terms|), L the kernel's
 * reduction length, whatever the summation order or chunking; or, where the
 * WebAssembly kernels take Winograd's F(2x2, 3x3), against that algorithm's
 * bound (winogradMagnitude).
 */
export function compareConv(kernels: Kernels, kernel: ConvKernel, g: ConvGeometry, seed: number): void {
  const xSize = g.n * g.h * g.w * g.c;
  const fSize = g.kh * g.kw * g.c * g.f;
  const ySize = g.n * g.oh * g.ow * g.f;
  // The two operands and the result's size, in the kernel's argument order.
  const [aSize, bSize, outSize, length] =
    kernel === 'conv2d'
      ? [xSize, fSize, ySize, g.kh * g.kw * g.c]
      : kernel === 'conv2dBackpropInput'
        ? [ySize, fSize, xSize, g.kh * g.kw * g.f]
        : [xSize, ySize, fSize, g.n * g.oh * g.ow];
  const a = randomArray(aSize, seed);
  const b = randomArray(bSize, seed + 1);
  // The kernels overwrite their output: NaN in it must not survive.
  const got = new Float32Array(outSize).fill(Number.NaN);
  kernels[kernel](g, a, b, got);
  const want = new Float64Array(outSize);
  referenceKernels[kernel](g, Float64Array.from(a), Float64Array.from(b), want);
  const winograd = kernels.tier !== 'reference' && kernel !== 'conv2dBackpropFilter' && usesWinograd(kernel, g);
  const magnitude = new Float64Array(outSize);
  if (winograd) winogradMagnitude(kernel, g, a, b, magnitude);
  else referenceKernels[kernel](g, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), magnitude);
  for (let i = 0; i < outSize; i++) {
    const tolerance = (winograd ? 4 : 1) * (length + 3) * U32 * magnitude[i] + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tolerance)) {
      throw new Error(`${kernels.tier} ${kernel}: element ${i} = ${got[i]}, expected ${want[i]} within ${tolerance} (${JSON.stringify(g)})`);
    }
  }
}

/**
 * The magnitude that bounds F(2x2, 3x3)'s rounding, per output:
 * sum over input channels of (sum of |taps|) x (sum of |inputs| over the 4 x 4
 * patch of the output's tile). Why: each output is sum over ξ of a_ξ U_ξ V_ξ,
 * the transforms' coefficients 0, ±1, ±1/2, and expanded it weighs each
 * |tap| |input| pair of the patch by at most 2 x 2 = 4 (the 1-D F(2, 3) weight
 * is at most 2). The filter transform (two levels of 3-term sums), the input
 * transform (two of 2-term), the gemm over channels and the output transform
 * (two of 3-term) round at most c + 10 <= 9c = L times (c >= 4 on this path),
 * so 4 (L + 3) u times
 * this magnitude bounds the error to first order.
 */
function winogradMagnitude(kernel: 'conv2d' | 'conv2dBackpropInput', g: ConvGeometry, input: Float32Array, filter: Float32Array, out: Float64Array): void {
  const forward = kernel === 'conv2d';
  const [hIn, wIn, cIn] = forward ? [g.h, g.w, g.c] : [g.oh, g.ow, g.f];
  const [hOut, wOut, cOut] = forward ? [g.oh, g.ow, g.f] : [g.h, g.w, g.c];
  const top = forward ? g.padTop : 2 - g.padTop;
  const left = forward ? g.padLeft : 2 - g.padLeft;
  // taps[ci][co]: the sum of |taps| of one channel pair (a 180-degree turn does not change it).
  const taps = new Float64Array(cIn * cOut);
  for (let k = 0; k < 9; k++) {
    for (let ci = 0; ci < cIn; ci++) {
      for (let co = 0; co < cOut; co++) {
        taps[ci * cOut + co] += Math.abs(filter[k * cIn * cOut + (forward ? ci * cOut + co : co * cIn + ci)]);
      }
    }
  }
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < hOut; oy++) {
      for (let ox = 0; ox < wOut; ox++) {
        const patch = new Float64Array(cIn);
        for (let r = 0; r < 4; r++) {
          for (let s = 0; s < 4; s++) {
            const iy = oy - (oy % 2) - top + r;
            const ix = ox - (ox % 2) - left + s;
            if (iy < 0 || iy >= hIn || ix < 0 || ix >= wIn) continue;
            for (let ci = 0; ci < cIn; ci++) patch[ci] += Math.abs(input[((b * hIn + iy) * wIn + ix) * cIn + ci]);
          }
        }
        for (let co = 0; co < cOut; co++) {
          let sum = 0;
          for (let ci = 0; ci < cIn; ci++) sum += taps[ci * cOut + co] * patch[ci];
          out[((b * hOut + oy) * wOut + ox) * cOut + co] = sum;
        }
      }
    }
  }
}

// The convolution kernel law: each kernel equals the reference (float64) at
// random geometries, within the float32 error bound of its reduction length.
import fc from 'fast-check';
import { referenceKernels, type ConvGeometry, type Kernels } from '../../src/index.js';
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

export type ConvKernel = 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';

/**
 * Runs one kernel of `kernels` and of the reference on the same float32 inputs
 * and checks every element against (L + 3) u (sum of |terms|), L the kernel's
 * reduction length, whatever the summation order or chunking.
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
  const magnitude = new Float64Array(outSize);
  referenceKernels[kernel](g, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), magnitude);
  for (let i = 0; i < outSize; i++) {
    const tolerance = (length + 3) * U32 * magnitude[i] + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tolerance)) {
      throw new Error(`${kernels.tier} ${kernel}: element ${i} = ${got[i]}, expected ${want[i]} within ${tolerance} (${JSON.stringify(g)})`);
    }
  }
}

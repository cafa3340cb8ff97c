// The convolution kernel law: each kernel equals the reference (float64) at
// random geometries, within the float32 error bound of its reduction length.
import fc from 'fast-check';
import { referenceKernels, type ConvGeometry, type FusedActivation, type Kernels, type Operand } from '../../src/index.js';
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

/**
 * One input channel, stride 1, whole vectors of filters (4 to 40: 32 and more
 * fill conv.ts's eight accumulators, the rest its tail path), any kernel size,
 * and half of the time 3x3 (three taps a row take their own blocks in conv.ts,
 * with the row's end pixels): the regime of the direct gradients of conv.ts.
 */
export const oneChannelCase = (maxSide: number): fc.Arbitrary<ConvCase> =>
  fc.oneof(convCase(maxSide, 1), winogradCase(maxSide)).chain((g) =>
    fc.integer({ min: 1, max: 10 }).map((q) => ({ ...g, c: 1, f: 4 * q, sh: 1, sw: 1, ...stride1(g) })),
  );

/** The output size and padding of `g` recomputed for stride 1. */
function stride1(g: ConvCase): Pick<ConvCase, 'oh' | 'ow' | 'padTop' | 'padLeft'> {
  const rows = axis(g.h, g.kh, 1, g.padding);
  const cols = axis(g.w, g.kw, 1, g.padding);
  return { oh: rows.out, ow: cols.out, padTop: rows.pad, padLeft: cols.pad };
}

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
  const winograd = kernels.tier !== 'reference' && usesWinograd(kernel, g);
  const magnitude = new Float64Array(outSize);
  if (winograd) winogradMagnitude(kernel, g, a, b, magnitude);
  else referenceKernels[kernel](g, Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), magnitude);
  for (let i = 0; i < outSize; i++) {
    const tolerance = winograd ? 4 * (length + 11) * U32 * magnitude[i] + 1e-30 : (length + 3) * U32 * magnitude[i] + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tolerance)) {
      throw new Error(`${kernels.tier} ${kernel}: element ${i} = ${got[i]}, expected ${want[i]} within ${tolerance} (${JSON.stringify(g)})`);
    }
  }
}

/**
 * The magnitude that bounds Winograd's rounding, per output. Forward and input
 * gradient, F(2x2, 3x3): the sum over input channels of (sum of |taps|) x (sum
 * of |inputs| over the 4 x 4 patch of the output's tile). Why: each output is
 * the sum over ξ of a_ξ U_ξ V_ξ with the transforms' coefficients 0, ±1, ±1/2;
 * expanded, it weighs each |tap| |input| pair of the patch by at most 2 x 2 =
 * 4 (the 1-D F(2, 3) weight is at most 2). The transforms round at most 4 + 2
 * + 4 times and the gemm over the c channels c times: c + 10 <= 9c + 11 = L + 11.
 * Filter gradient, F(3x3, 2x2), the transposed algorithm: the sum over tiles
 * of (sum of |dy| over the tile's 2 x 2 outputs) x (sum of |x| over its 4 x 4
 * patch), the same weight of at most 4, and tiles + 8 <= L + 11 roundings (L
 * the output positions). So 4 (L + 11) u times this magnitude bounds the error
 * to first order on both paths.
 */
function winogradMagnitude(kernel: ConvKernel, g: ConvGeometry, a: Float32Array, b: Float32Array, out: Float64Array): void {
  if (kernel === 'conv2dBackpropFilter') return filterGradientMagnitude(g, a, b, out);
  const forward = kernel === 'conv2d';
  const [input, filter] = [a, b];
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
  for (let n = 0; n < g.n; n++) {
    for (let oy = 0; oy < hOut; oy++) {
      for (let ox = 0; ox < wOut; ox++) {
        const patch = patchSums(input, n, hIn, wIn, cIn, oy - (oy % 2) - top, ox - (ox % 2) - left);
        for (let co = 0; co < cOut; co++) {
          let sum = 0;
          for (let ci = 0; ci < cIn; ci++) sum += taps[ci * cOut + co] * patch[ci];
          out[((n * hOut + oy) * wOut + ox) * cOut + co] = sum;
        }
      }
    }
  }
}

/** The filter gradient's magnitude (see winogradMagnitude): the same for all nine taps of a channel pair. */
function filterGradientMagnitude(g: ConvGeometry, x: Float32Array, dy: Float32Array, out: Float64Array): void {
  const pair = new Float64Array(g.c * g.f);
  for (let n = 0; n < g.n; n++) {
    for (let ty = 0; ty < g.oh; ty += 2) {
      for (let tx = 0; tx < g.ow; tx += 2) {
        const patch = patchSums(x, n, g.h, g.w, g.c, ty - g.padTop, tx - g.padLeft);
        const tile = new Float64Array(g.f);
        for (let oy = ty; oy < Math.min(ty + 2, g.oh); oy++) {
          for (let ox = tx; ox < Math.min(tx + 2, g.ow); ox++) {
            for (let co = 0; co < g.f; co++) tile[co] += Math.abs(dy[((n * g.oh + oy) * g.ow + ox) * g.f + co]);
          }
        }
        for (let ci = 0; ci < g.c; ci++) for (let co = 0; co < g.f; co++) pair[ci * g.f + co] += patch[ci] * tile[co];
      }
    }
  }
  for (let k = 0; k < 9; k++) out.set(pair, k * g.c * g.f);
}

/** Per channel, the sum of |input| over the 4 x 4 patch at (iy0, ix0), zero outside the image. */
function patchSums(input: Float32Array, n: number, h: number, w: number, c: number, iy0: number, ix0: number): Float64Array {
  const sums = new Float64Array(c);
  for (let iy = Math.max(iy0, 0); iy < Math.min(iy0 + 4, h); iy++) {
    for (let ix = Math.max(ix0, 0); ix < Math.min(ix0 + 4, w); ix++) {
      for (let ci = 0; ci < c; ci++) sums[ci] += Math.abs(input[((n * h + iy) * w + ix) * c + ci]);
    }
  }
  return sums;
}

/** A convolution layer for the fused kernels: geometry, orientation, activation, bias, and which gradients. */
export const convLayerCase = (maxSide: number, maxChannels: number) =>
  fc.record({
    g: fc.oneof(convCase(maxSide, maxChannels), winogradCase(maxSide), oneChannelCase(maxSide)),
    transposed: fc.boolean(),
    act: fc.constantFrom<FusedActivation>('linear', 'relu', 'sigmoid'),
    withBias: fc.boolean(),
    withDx: fc.boolean(),
    withDFilter: fc.boolean(),
    seed: fc.integer(),
    /** Which operands go in as resident buffers, one bit each (9 of them). */
    resident: fc.integer({ min: 0, max: 2 ** 9 - 1 }),
  });

/**
 * convForward and convBackward are the tier's own convolution kernels and
 * bias-activation sweeps run back to back, bit for bit: fused, the
 * intermediates merely stay in the kernels' memory. (Those kernels are checked
 * against the float64 reference by the laws above and in fused-law.ts.)
 */
export function compareConvLayer(kernels: Kernels, c: typeof convLayerCase extends (...a: never[]) => fc.Arbitrary<infer T> ? T : never): void {
  const { g, transposed, act, withBias, withDx, withDFilter, seed } = c;
  const inSize = transposed ? g.n * g.oh * g.ow * g.f : g.n * g.h * g.w * g.c;
  const outSize = transposed ? g.n * g.h * g.w * g.c : g.n * g.oh * g.ow * g.f;
  const [rows, channels] = transposed ? [g.n * g.h * g.w, g.c] : [g.n * g.oh * g.ow, g.f];
  const x = randomArray(inSize, seed);
  const filter = randomArray(g.kh * g.kw * g.c * g.f, seed + 1);
  const bias = withBias ? randomArray(channels, seed + 2) : null;
  const y = new Float32Array(outSize).fill(Number.NaN);
  kernels.convForward(g, transposed, x, filter, bias, act, y);
  const want = new Float32Array(outSize);
  if (transposed) kernels.conv2dBackpropInput(g, x, filter, want);
  else kernels.conv2d(g, x, filter, want);
  kernels.biasActivation(act, rows, channels, want, bias, want);
  const where = `${kernels.tier} conv layer (${JSON.stringify({ ...g, transposed, act, withBias })})`;
  expectSame(`${where} forward`, y, want);

  const dy = randomArray(outSize, seed + 3);
  const dx = withDx ? new Float32Array(inSize).fill(Number.NaN) : null;
  const dFilter = withDFilter ? new Float32Array(filter.length).fill(Number.NaN) : null;
  const dBias = withBias ? new Float32Array(channels).fill(Number.NaN) : null;
  kernels.convBackward(g, transposed, x, filter, y, dy, act, dx, dFilter, dBias);
  const dz = new Float32Array(outSize);
  const wantDb = new Float32Array(channels);
  kernels.biasActivationGrad(act, rows, channels, y, dy, dz, wantDb);
  if (dBias !== null) expectSame(`${where} dBias`, dBias, wantDb);
  if (dx !== null) {
    const wantDx = new Float32Array(inSize);
    if (transposed) kernels.conv2d(g, dz, filter, wantDx);
    else kernels.conv2dBackpropInput(g, dz, filter, wantDx);
    expectSame(`${where} dx`, dx, wantDx);
  }
  if (dFilter !== null) {
    const wantDf = new Float32Array(filter.length);
    if (transposed) kernels.conv2dBackpropFilter(g, dz, x, wantDf);
    else kernels.conv2dBackpropFilter(g, x, dz, wantDf);
    expectSame(`${where} dFilter`, dFilter, wantDf);
  }

  // The same layer with some operands in resident buffers (a bit of c.resident each): read and written in place, nothing else changes.
  let bit = 0;
  const operand = (values: Float32Array): Operand => {
    if (((c.resident >> bit++) & 1) === 0) return Float32Array.from(values);
    const buffer = kernels.residentBuffer(values.length, 'any');
    buffer.write(values);
    return buffer;
  };
  const read = (o: Operand): Float32Array => (ArrayBuffer.isView(o) ? (o as Float32Array) : o.read());
  const [xOp, filterOp, biasOp, yOp] = [operand(x), operand(filter), bias === null ? null : operand(bias), operand(new Float32Array(outSize).fill(Number.NaN))];
  kernels.convForward(g, transposed, xOp, filterOp, biasOp, act, yOp);
  const resident = `${where} (resident mask ${c.resident})`;
  expectSame(`${resident} forward`, read(yOp), y);
  const dyOp = operand(dy);
  const [dxOp, dFilterOp, dBiasOp] = [dx, dFilter, dBias].map((d) => (d === null ? null : operand(new Float32Array(d.length).fill(Number.NaN))));
  kernels.convBackward(g, transposed, xOp, filterOp, yOp, dyOp, act, dxOp, dFilterOp, dBiasOp);
  expectSame(`${resident} dy, unchanged`, read(dyOp), dy);
  [[dxOp, dx, 'dx'], [dFilterOp, dFilter, 'dFilter'], [dBiasOp, dBias, 'dBias']].forEach(([got, want, name]) => {
    if (want !== null) expectSame(`${resident} ${name as string}`, read(got as Operand), want as Float32Array);
  });
}

function expectSame(where: string, got: Float32Array, want: Float32Array): void {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${where}: element ${i} = ${got[i]}, expected ${want[i]} bit for bit`);
  }
}

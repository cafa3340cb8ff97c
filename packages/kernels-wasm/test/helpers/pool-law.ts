// The kernel law of max pooling and nearest upsampling (assembly/pool.ts):
// the WebAssembly kernels equal the reference exactly (they only select, copy
// and add), at random geometries, strides and both paddings.
import fc from 'fast-check';
import { referenceKernels, type Kernels, type Operand, type PoolGeometry, type UpSamplingGeometry } from '../../src/index.js';
import { randomArray } from './gemm-law.js';

/** One axis under TensorFlow's `same` / `valid` rules: output length and padding before. */
function axis(n: number, k: number, s: number, same: boolean): [number, number] {
  if (!same) return [Math.floor((n - k) / s) + 1, 0];
  const out = Math.ceil(n / s);
  return [out, Math.floor(Math.max((out - 1) * s + k - n, 0) / 2)];
}

export const poolCase: fc.Arbitrary<PoolGeometry> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    c: fc.integer({ min: 1, max: 11 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    same: fc.boolean(),
  })
  .map(({ n, h, w, c, kh, kw, sh, sw, same }) => {
    // valid padding needs the window to fit: grow the image where it does not.
    const [H, W] = same ? [h, w] : [Math.max(h, kh), Math.max(w, kw)];
    const [oh, padTop] = axis(H, kh, sh, same);
    const [ow, padLeft] = axis(W, kw, sw, same);
    return { n, h: H, w: W, c, kh, kw, sh, sw, oh, ow, padTop, padLeft };
  });

export const upSamplingCase: fc.Arbitrary<UpSamplingGeometry> = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 7 }),
  w: fc.integer({ min: 1, max: 7 }),
  c: fc.integer({ min: 1, max: 11 }),
  fy: fc.integer({ min: 1, max: 3 }),
  fx: fc.integer({ min: 1, max: 3 }),
});

function same(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) throw new Error(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

export function comparePool(kernels: Kernels, g: PoolGeometry, seed: number, resident = 0): void {
  const x = randomArray(g.n * g.h * g.w * g.c, seed);
  // Ties (the first wins) and a NaN (it wins) in some draws.
  if (seed % 3 === 0) x.forEach((v, i) => (x[i] = Math.round(v * 4) / 4));
  if (seed % 5 === 0) x[seed % x.length] = Number.NaN;
  const out = g.n * g.oh * g.ow * g.c;
  const [y, argmax, wantY, wantArgmax] = [new Float32Array(out), new Int32Array(out), new Float32Array(out), new Int32Array(out)];
  kernels.maxPool2d(g, x, y, argmax);
  referenceKernels.maxPool2d(g, x, wantY, wantArgmax);
  const where = `${kernels.tier} maxPool2d ${JSON.stringify(g)}`;
  same(`${where} y`, y, wantY);
  same(`${where} argmax`, argmax, wantArgmax);
  const dy = randomArray(out, seed + 1);
  const dx = new Float32Array(x.length).fill(9);
  const wantDx = new Float32Array(x.length);
  kernels.maxPool2dBackprop(g, dy, argmax, dx);
  referenceKernels.maxPool2dBackprop(g, dy, wantArgmax, wantDx);
  same(`${where} backprop`, dx, wantDx);

  // x, y, dy and dx as resident buffers where a bit of `resident` says: the same results, in place.
  let bit = 0;
  const operand = (values: Float32Array): Operand => {
    if (((resident >> bit++) & 1) === 0) return Float32Array.from(values);
    const buffer = kernels.residentBuffer(values.length, 'any');
    buffer.write(values);
    return buffer;
  };
  const read = (o: Operand): Float32Array => (ArrayBuffer.isView(o) ? (o as Float32Array) : o.read());
  const [xOp, yOp, residentArgmax] = [operand(x), operand(new Float32Array(out).fill(7)), new Int32Array(out)];
  kernels.maxPool2d(g, xOp, yOp, residentArgmax);
  same(`${where} resident (mask ${resident}) y`, read(yOp), wantY);
  same(`${where} resident (mask ${resident}) argmax`, residentArgmax, wantArgmax);
  const dxOp = operand(new Float32Array(x.length).fill(9));
  kernels.maxPool2dBackprop(g, operand(dy), residentArgmax, dxOp);
  same(`${where} resident (mask ${resident}) backprop`, read(dxOp), wantDx);
}

export function compareUpSampling(kernels: Kernels, g: UpSamplingGeometry, seed: number): void {
  const small = g.n * g.h * g.w * g.c;
  const big = small * g.fy * g.fx;
  const x = randomArray(small, seed);
  const [y, wantY] = [new Float32Array(big), new Float32Array(big)];
  kernels.upSampling2d(g, x, y);
  referenceKernels.upSampling2d(g, x, wantY);
  same(`${kernels.tier} upSampling2d ${JSON.stringify(g)}`, y, wantY);
  const dy = randomArray(big, seed + 1);
  const [dx, wantDx] = [new Float32Array(small).fill(9), new Float32Array(small)];
  kernels.upSampling2dBackprop(g, dy, dx);
  referenceKernels.upSampling2dBackprop(g, dy, wantDx);
  // Both sum each block in the same order, in float32 for the WebAssembly tier: compare within the block's rounding.
  for (let i = 0; i < small; i++) {
    if (!(Math.abs(dx[i] - wantDx[i]) <= g.fy * g.fx * 2 ** -23 * 2)) {
      throw new Error(`${kernels.tier} upSampling2dBackprop ${JSON.stringify(g)}: element ${i} is ${dx[i]}, expected ${wantDx[i]}`);
    }
  }
}

export function poolLaw(kernels: Kernels, numRuns = 150): { name: string; run: () => void }[] {
  return [
    {
      name: 'maxPool2d and its backward equal the reference, with operands resident or not',
      run: () => fc.assert(fc.property(poolCase, fc.nat(), fc.integer({ min: 0, max: 15 }), (g, s, resident) => comparePool(kernels, g, s + 1, resident)), { numRuns }),
    },
    { name: 'upSampling2d and its backward equal the reference', run: () => fc.assert(fc.property(upSamplingCase, fc.nat(), (g, s) => compareUpSampling(kernels, g, s + 1)), { numRuns }) },
  ];
}

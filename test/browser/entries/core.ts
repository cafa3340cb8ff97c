// A representative part of @aekit/core's numerics in a page: the gradient law
// on a sample of ops, float32 (the WebAssembly kernels) against float64 (the
// reference) through core's ops, and a small training loop. Bundled from the
// sources with fast-check and the shared gradient-law helper.
import fc from 'fast-check';
import {
  adam,
  biasAdd,
  binaryCrossentropyFromLogits,
  conv2d,
  kernelsInfo,
  matmul,
  maxPool2d,
  meanSquaredError,
  mul,
  Random,
  sigmoid,
  softplus,
  sum,
  tanh,
  tensor,
  zeroGrad,
  zeros,
  type DType,
  type KernelsInfo,
  type Padding,
  type Tensor,
} from '@aekit/core';
import { gradientLaw, separatedTensorArb, shapeArb, tensorArb, unaryArb } from '../../../packages/core/test/helpers/gradient-law.js';

const small = (max: number) => fc.integer({ min: 1, max });
const padding = fc.constantFrom<Padding>('same', 'valid');
/** An NHWC batch and a window that fits it under the chosen padding. */
const windowCase = fc
  .record({ n: small(2), h: small(6), w: small(6), c: small(3), f: small(3), kh: small(3), kw: small(3), sh: small(2), sw: small(2), padding })
  .filter((g) => g.padding === 'same' || (g.kh <= g.h && g.kw <= g.w));
const dim = small(6);

/** The sampled ops, each a gradient-law property run `numRuns` times (nested properties draw fewer inner cases). */
const laws: Record<string, (numRuns: number) => void> = {
  'matmul, every transpose': (numRuns) =>
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (ta, tb) =>
        gradientLaw(
          (a, b) => matmul(a, b, ta, tb),
          fc.tuple(dim, dim, dim).chain(([m, n, k]) => fc.tuple(tensorArb(ta ? [k, m] : [m, k]), tensorArb(tb ? [n, k] : [k, n]))),
          3,
        ),
      ),
      { numRuns },
    ),
  sigmoid: (numRuns) => gradientLaw(sigmoid, unaryArb({ min: -10, max: 10 }), numRuns),
  softplus: (numRuns) => gradientLaw(softplus, unaryArb({ min: -20, max: 20 }), numRuns),
  'conv2d, any kernel, stride and padding': (numRuns) =>
    fc.assert(
      fc.property(windowCase, (g) =>
        gradientLaw(
          (x, k) => conv2d(x, k, { strides: [g.sh, g.sw], padding: g.padding }),
          fc.tuple(tensorArb([g.n, g.h, g.w, g.c]), tensorArb([g.kh, g.kw, g.c, g.f])),
          2,
        ),
      ),
      { numRuns },
    ),
  'maxPool2d (away from ties)': (numRuns) =>
    fc.assert(
      fc.property(windowCase, (g) =>
        gradientLaw(
          (x) => maxPool2d(x, { poolSize: [g.kh, g.kw], strides: [g.sh, g.sw], padding: g.padding }),
          separatedTensorArb([g.n, g.h, g.w, g.c]).map((x) => [x]),
          2,
        ),
      ),
      { numRuns },
    ),
  binaryCrossentropyFromLogits: (numRuns) =>
    gradientLaw(binaryCrossentropyFromLogits, shapeArb().chain((s) => fc.tuple(tensorArb(s, { min: -30, max: 30 }), tensorArb(s, { min: 0, max: 1 }))), numRuns),
};

/** Which kernels core runs on in this page. */
export function info(): KernelsInfo {
  return kernelsInfo();
}

/** The gradient law of one sampled op (float64, central differences), seeded. */
export function gradient(name: string, seed: number, numRuns: number): void {
  const law = laws[name];
  if (!law) throw new Error(`no gradient law named ${name} in test/browser/entries/core.ts`);
  fc.configureGlobal({ seed });
  try {
    law(numRuns);
  } catch (error) {
    const cause = (error as Error).cause;
    throw new Error(`gradient law of ${name}: ${(error as Error).message}${cause instanceof Error ? `\n${cause.message}` : ''}`);
  } finally {
    fc.resetConfigureGlobal();
  }
}

/** The value and the gradients of `<op(a, b), v>` for a fixed cotangent v, in one dtype. */
function valueAndGrads(op: (a: Tensor, b: Tensor) => Tensor, a: Tensor, b: Tensor, dtype: DType): number[][] {
  const x = tensor(a.values, a.shape, { dtype, requiresGrad: true });
  const y = tensor(b.values, b.shape, { dtype, requiresGrad: true });
  const out = op(x, y);
  const v = tensor(Array.from({ length: out.size }, (_, i) => Math.cos(i * 0.7)), out.shape, { dtype });
  sum(mul(out, v)).backward();
  return [out.toArray(), x.grad!.toArray(), y.grad!.toArray()];
}

/**
 * conv2d and matmul in float32 (the page's WebAssembly kernels, through core)
 * equal float64 (the reference) in value and both gradients: inputs exact in
 * float32, reductions of at most a few hundred terms of magnitude <= 1.
 */
export function float32MatchesFloat64(seed: number, numRuns: number): void {
  const exact = (shape: number[], phase: number) =>
    tensor(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.fround(Math.sin(phase + i))), shape, { dtype: 'float64' });
  const agree = (what: string, op: (a: Tensor, b: Tensor) => Tensor, a: Tensor, b: Tensor) => {
    const single = valueAndGrads(op, a, b, 'float32');
    const double = valueAndGrads(op, a, b, 'float64');
    ['value', 'first gradient', 'second gradient'].forEach((part, p) =>
      single[p].forEach((s, i) => {
        if (!(Math.abs(s - double[p][i]) < 1e-4)) throw new Error(`${what}: ${part}[${i}] is ${s} in float32, ${double[p][i]} in float64`);
      }),
    );
  };
  fc.assert(
    fc.property(windowCase, fc.integer(), (g, s) =>
      agree(
        `conv2d ${JSON.stringify(g)}`,
        (x, k) => conv2d(x, k, { strides: [g.sh, g.sw], padding: g.padding }),
        exact([g.n, g.h, g.w, g.c], s),
        exact([g.kh, g.kw, g.c, g.f], s * 3),
      ),
    ),
    { seed, numRuns },
  );
  fc.assert(
    fc.property(small(40), small(40), small(40), fc.boolean(), fc.boolean(), fc.integer(), (m, n, k, ta, tb, s) =>
      agree(`matmul m=${m} n=${n} k=${k} transposeA=${ta} transposeB=${tb}`, (a, b) => matmul(a, b, ta, tb), exact(ta ? [k, m] : [m, k], s), exact(tb ? [n, k] : [k, n], s * 3)),
    ),
    { seed, numRuns },
  );
}

/**
 * Trains a dense 16 -> 4 (tanh) -> 16 (sigmoid) autoencoder in float32 with
 * Adam on data of rank 3, which a 4-unit code can hold; returns the loss of
 * every step.
 */
export function train(seed: number, steps: number): number[] {
  const random = new Random(seed);
  const draw = (shape: number[], scale: number) =>
    tensor(Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => random.normal(0, scale)), shape, { requiresGrad: true });
  const codes = tensor(Array.from({ length: 64 * 3 }, () => random.normal()), [64, 3]);
  const mixing = tensor(Array.from({ length: 3 * 16 }, () => random.normal()), [3, 16]);
  const data = sigmoid(matmul(codes, mixing));
  const params = [draw([16, 4], 0.5), zeros([4], { requiresGrad: true }), draw([4, 16], 0.5), zeros([16], { requiresGrad: true })];
  const [w1, b1, w2, b2] = params;
  const optimizer = adam({ learningRate: 0.02 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    zeroGrad(params);
    const reconstruction = sigmoid(biasAdd(matmul(tanh(biasAdd(matmul(data, w1), b1)), w2), b2));
    const loss = meanSquaredError(reconstruction, data);
    loss.backward();
    optimizer.step(params);
    losses.push(loss.values[0]);
  }
  return losses;
}

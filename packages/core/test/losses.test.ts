import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossentropy,
  binaryCrossentropyFromLogits,
  gaussianKl,
  l1,
  l1l2,
  l2,
  meanAbsoluteError,
  meanSquaredError,
  sigmoid,
  sparsityKl,
  Tensor,
  tensor,
  valueAndGrad,
} from '@aekit/core';
import { gradientLaw, shapeArb, tensorArb, unaryArb } from './helpers/gradient-law.js';

const pairArb = (prediction = { min: -3, max: 3 }, target = { min: 0, max: 1 }) =>
  shapeArb().chain((s) => fc.tuple(tensorArb(s, prediction), tensorArb(s, target)));

describe('losses: the gradient law (with respect to the prediction and the target)', () => {
  it('meanSquaredError', () => gradientLaw(meanSquaredError, pairArb()));
  it('binaryCrossentropyFromLogits', () => gradientLaw(binaryCrossentropyFromLogits, pairArb({ min: -30, max: 30 })));
  it('binaryCrossentropy (probabilities inside the clip)', () =>
    gradientLaw(binaryCrossentropy, pairArb({ min: 0.01, max: 0.99 })));

  // The prediction is the target plus a difference kept 0.05 away from |x|'s kink.
  const maePairArb = shapeArb().chain((s) =>
    fc.tuple(tensorArb(s, { min: -2, max: 2, kinks: [0], margin: 0.05 }), tensorArb(s, { min: 0, max: 1 })).map(([d, t]) => [
      new Tensor(d.values.map((x, i) => x + t.values[i]), s),
      t,
    ]),
  );
  it('meanAbsoluteError (away from prediction = target)', () => gradientLaw(meanAbsoluteError, maePairArb, 30));

  // The VAE and sparsity terms need a batch axis: rank 1 to 3.
  const batchedShapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
  it('gaussianKl (with respect to the mean and the log-variance)', () =>
    gradientLaw(gaussianKl, batchedShapeArb.chain((s) => fc.tuple(tensorArb(s), tensorArb(s))), 30));
  it('sparsityKl (activations in (0, 1), rhoHat inside the clip)', () =>
    gradientLaw(
      (a) => sparsityKl(a, 0.1),
      batchedShapeArb.chain((s) => tensorArb(s, { min: 0.05, max: 0.95 }).map((a) => [a])),
      30,
    ));
  it('l1 (away from 0)', () => gradientLaw((x) => l1(x, 0.3), unaryArb({ min: -3, max: 3, kinks: [0], margin: 0.05 }), 30));
  it('l2', () => gradientLaw((x) => l2(x, 0.3), unaryArb(), 30));
  it('l1l2 (away from 0)', () => gradientLaw((x) => l1l2(x, 0.2, 0.3), unaryArb({ min: -3, max: 3, kinks: [0], margin: 0.05 }), 30));
});

describe('losses: hand-computed cases', () => {
  const f64 = (values: number[]) => tensor(values, [values.length], { dtype: 'float64' });

  it('MSE averages the squared differences', () => {
    expect(meanSquaredError(f64([1, 2, 3]), f64([1, 0, 0])).item()).toBeCloseTo((0 + 4 + 9) / 3, 14);
  });

  it('BCE from logits equals BCE from probabilities where both are finite', () => {
    const logits = f64([-4, -0.5, 0, 1.5, 6]);
    const target = f64([0, 1, 0.5, 1, 0]);
    expect(binaryCrossentropyFromLogits(logits, target).item()).toBeCloseTo(binaryCrossentropy(sigmoid(logits), target).item(), 6);
  });

  it('BCE from logits has the gradient sigmoid(x) - z / n, also at a logit of exactly 0', () => {
    const { grads } = valueAndGrad((x) => binaryCrossentropyFromLogits(x, f64([1, 0])))(f64([0, 0]));
    expect(grads[0].toArray()).toEqual([-0.25, 0.25]);
  });

  it('BCE from logits stays finite for any logit', () => {
    const loss = binaryCrossentropyFromLogits(f64([-1e4, 1e4]), f64([1, 0])).item();
    expect(loss).toBeCloseTo(1e4, 6);
  });

  it('BCE from probabilities clips a saturated prediction instead of returning Infinity', () => {
    const loss = binaryCrossentropy(f64([0, 1]), f64([1, 0])).item();
    expect(loss).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it('MAE averages the absolute differences', () => {
    expect(meanAbsoluteError(f64([1, 2, 3]), f64([1, 0, 4])).item()).toBeCloseTo(1, 14);
  });

  const rows = (values: number[][]) => tensor(values.flat(), [values.length, values[0].length], { dtype: 'float64' });

  it('gaussianKl is 0 for the standard normal and the closed form 0.5(s² + m² - 1 - log s²) otherwise', () => {
    expect(gaussianKl(rows([[0, 0], [0, 0]]), rows([[0, 0], [0, 0]])).item()).toBeCloseTo(0, 15);
    // One sample: (m, s²) = (1, 1) gives 0.5; (0, 2) gives 0.5 (1 - log 2). Sum over latent dims.
    expect(gaussianKl(rows([[1, 0]]), rows([[0, Math.log(2)]])).item()).toBeCloseTo(0.6534264097200273, 14);
  });

  it('gaussianKl sums over latent dimensions and averages over the batch', () => {
    // Per-sample sums 0.5 + 0.5 and 0: the batch mean is 0.5.
    expect(gaussianKl(rows([[1, 1], [0, 0]]), rows([[0, 0], [0, 0]])).item()).toBeCloseTo(0.5, 14);
  });

  it('gaussianKl has the gradient (mean, 0.5 (exp(logVar) - 1)) / batch', () => {
    const { grads } = valueAndGrad(gaussianKl)(rows([[1, -2], [0.5, 0]]), rows([[0, Math.log(3)], [1, 0]]));
    expect(grads[0].toArray()).toEqual([0.5, -1, 0.25, 0].map((x) => expect.closeTo(x, 14)));
    expect(grads[1].toArray()).toEqual([0, 0.5, 0.25 * (Math.E - 1), 0].map((x) => expect.closeTo(x, 14)));
  });

  it("sparsityKl is 0 when every unit's mean activation is the target", () => {
    expect(sparsityKl(rows([[0.05, 0.1], [0.15, 0.1]]), 0.1).item()).toBeCloseTo(0, 14);
  });

  it("sparsityKl sums the Bernoulli KL of each unit's batch mean", () => {
    // Unit 0: rhoHat 0.3, 0.1 log(0.1/0.3) + 0.9 log(0.9/0.7); unit 1 at the target.
    expect(sparsityKl(rows([[0.2, 0.1], [0.4, 0.1]]), 0.1).item()).toBeCloseTo(0.1163217565860046, 14);
  });

  it('sparsityKl stays finite for a dead unit, clipping rhoHat to epsilon', () => {
    const dead = rows([[0], [0]]);
    expect(sparsityKl(dead, 0.1).item()).toBeCloseTo(1.2867266817043883, 10);
    const { grads } = valueAndGrad((a) => sparsityKl(a, 0.1))(dead);
    expect(grads[0].toArray().every(Number.isFinite)).toBe(true);
  });

  it('l1 and l2 follow Keras: factor * sum(|x|) and factor * sum(x²), default factor 0.01', () => {
    const x = f64([1, -2, 0.5]);
    expect(l1(x, 0.1).item()).toBeCloseTo(0.35, 14);
    expect(l2(x, 0.1).item()).toBeCloseTo(0.525, 14);
    expect(l1(x).item()).toBeCloseTo(0.035, 14);
    expect(l2(x).item()).toBeCloseTo(0.0525, 14);
    expect(l1l2(x, 0.1, 0.1).item()).toBeCloseTo(0.875, 14);
    expect(valueAndGrad((w) => l1(w, 0.1))(x).grads[0].toArray()).toEqual([0.1, -0.1, 0.1].map((v) => expect.closeTo(v, 14)));
    expect(valueAndGrad((w) => l2(w, 0.1))(x).grads[0].toArray()).toEqual([0.2, -0.4, 0.1].map((v) => expect.closeTo(v, 14)));
  });

  it('names what is wrong with the VAE and sparsity inputs', () => {
    expect(() => gaussianKl(rows([[0, 0]]), rows([[0, 0, 0]]))).toThrow(/gaussianKl: the mean has shape \[1, 2\] but the log-variance has \[1, 3\]/);
    expect(() => gaussianKl(tensor([0], []), tensor([0], []))).toThrow(/gaussianKl: the mean must have a batch axis first, got shape \[\]/);
    expect(() => sparsityKl(rows([[0.1]]), 1)).toThrow(/sparsityKl: the target activation rho must lie in \(0, 1\), got 1/);
  });

  it('names the shapes when prediction and target differ', () => {
    expect(() => meanSquaredError(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/prediction has shape \[2\] but the target has \[3\]/);
  });
});

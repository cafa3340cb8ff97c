import { softplus } from './activations.js';
import { formatShape, sameShape } from './shape.js';
import { abs, add, addScalar, binaryCrossentropyMean, exp, log, maximumScalar, mean, minimumScalar, mul, mulScalar, squaredErrorMean, sub, sum } from './ops/index.js';
import type { Tensor } from './tensor.js';

function checkPair(loss: string, prediction: Tensor, target: Tensor): void {
  if (!sameShape(prediction.shape, target.shape)) {
    throw new RangeError(`${loss}: the prediction has shape ${formatShape(prediction.shape)} but the target has ${formatShape(target.shape)}`);
  }
}

/**
 * Mean squared error over every element: `mean((prediction - target)^2)`.
 *
 * @example
 * meanSquaredError(tensor([1, 2]), tensor([1, 0])).item(); // 2
 */
export function meanSquaredError(prediction: Tensor, target: Tensor): Tensor {
  checkPair('meanSquaredError', prediction, target);
  // mean((p - t)²) as one fused primitive: the composite's four full-size
  // temporaries and their backward cost more than the rest of a dense step's loss.
  return squaredErrorMean(prediction, target);
}

/**
 * Binary cross-entropy from logits, stable for any logit:
 * `-z log σ(x) - (1-z) log(1-σ(x)) = softplus(x) - x z`,
 * and softplus is computed without overflow.
 *
 * @example
 * binaryCrossentropyFromLogits(tensor([0]), tensor([1])).item(); // log 2
 */
export function binaryCrossentropyFromLogits(logits: Tensor, target: Tensor): Tensor {
  checkPair('binaryCrossentropyFromLogits', logits, target);
  return mean(sub(softplus(logits), mul(logits, target)));
}

/**
 * Binary cross-entropy from probabilities, as Keras computes it for a sigmoid
 * output: the probabilities are clipped to [ε, 1-ε] with ε = 1e-7, because
 * log(0) is -Infinity and one saturated pixel would make the loss infinite.
 * Prefer `binaryCrossentropyFromLogits` where the logits are at hand.
 *
 * @example
 * binaryCrossentropy(tensor([0.5]), tensor([1])).item(); // log 2
 */
export function binaryCrossentropy(probabilities: Tensor, target: Tensor, epsilon = 1e-7): Tensor {
  checkPair('binaryCrossentropy', probabilities, target);
  // One fused primitive (WebAssembly for float32): the composite of clips, logs and products was 50 ms of a 64 ms step.
  return binaryCrossentropyMean(probabilities, target, epsilon);
}

/**
 * Mean absolute error over every element: `mean(|prediction - target|)`, as
 * Keras's `mean_absolute_error` (subgradient 0 where they are equal).
 *
 * @example
 * meanAbsoluteError(tensor([1, 2, 3]), tensor([1, 0, 4])).item(); // 1
 */
export function meanAbsoluteError(prediction: Tensor, target: Tensor): Tensor {
  checkPair('meanAbsoluteError', prediction, target);
  return mean(abs(sub(prediction, target)));
}

function checkBatched(loss: string, what: string, x: Tensor): number {
  if (x.rank < 1 || x.shape[0] === 0) {
    throw new RangeError(`${loss}: ${what} must have a batch axis first, got shape ${formatShape(x.shape)}`);
  }
  return x.shape[0];
}

/**
 * The KL divergence of a VAE's diagonal Gaussian posterior from the standard
 * normal prior (Kingma and Welling, 2014, appendix B):
 * `-0.5 * sum(1 + logVar - mean² - exp(logVar))`, summed over the latent
 * dimensions (every axis after the first) and averaged over the batch (axis 0),
 * the reduction of the Keras VAE example (`mean(sum(kl, axis=1))`).
 *
 * @param mean the posterior means, `[batch, latent]`
 * @param logVar the posterior log-variances, the same shape
 * @example
 * gaussianKl(zeros([8, 2]), zeros([8, 2])).item(); // 0: the posterior is the prior
 */
export function gaussianKl(mean: Tensor, logVar: Tensor): Tensor {
  if (!sameShape(mean.shape, logVar.shape)) {
    throw new RangeError(`gaussianKl: the mean has shape ${formatShape(mean.shape)} but the log-variance has ${formatShape(logVar.shape)}`);
  }
  const batch = checkBatched('gaussianKl', 'the mean', mean);
  const terms = sub(sub(addScalar(logVar, 1), mul(mean, mean)), exp(logVar));
  // sum over everything / batch = the batch mean of the per-sample sums.
  return mulScalar(sum(terms), -0.5 / batch);
}

/**
 * The sparsity penalty of a sparse autoencoder (Ng, CS294A notes): the KL
 * divergence between Bernoulli(rho) and Bernoulli(rhoHat_j), summed over units,
 * `sum_j rho log(rho / rhoHat_j) + (1 - rho) log((1 - rho) / (1 - rhoHat_j))`,
 * where rhoHat_j is unit j's mean activation over the batch (axis 0).
 * Activations should lie in (0, 1), e.g. from a sigmoid.
 *
 * @param activations `[batch, units...]`
 * @param rho the target mean activation, in (0, 1), e.g. 0.05
 * @param epsilon rhoHat is clipped into [epsilon, 1 - epsilon]
 * @example
 * sparsityKl(full([4, 3], 0.05), 0.05).item(); // 0: every unit is at the target
 */
export function sparsityKl(activations: Tensor, rho: number, epsilon = 1e-7): Tensor {
  if (!(rho > 0 && rho < 1)) throw new RangeError(`sparsityKl: the target activation rho must lie in (0, 1), got ${rho}`);
  checkBatched('sparsityKl', 'the activations', activations);
  // A dead unit (rhoHat = 0) or a saturated one (rhoHat = 1) would make
  // log(rhoHat) or log(1 - rhoHat) infinite, and one such unit the whole loss
  // Infinity and its gradient NaN; clipped, it costs a large finite penalty.
  const rhoHat = minimumScalar(maximumScalar(mean(activations, 0), epsilon), 1 - epsilon);
  // rho log(rho/r) + (1-rho) log((1-rho)/(1-r)) = c - rho log r - (1-rho) log(1-r), c the constant terms.
  const c = rho * Math.log(rho) + (1 - rho) * Math.log(1 - rho);
  const perUnit = sub(c, add(mulScalar(log(rhoHat), rho), mulScalar(log(sub(1, rhoHat)), 1 - rho)));
  return sum(perUnit);
}

/**
 * The L1 penalty, as Keras's `regularizers.L1`: `factor * sum(|x|)`, on weights
 * or on activations (an activity regularizer). Subgradient 0 at x = 0.
 *
 * @param factor Keras's default 0.01
 * @example
 * l1(tensor([1, -2]), 0.1).item(); // 0.3
 */
export function l1(x: Tensor, factor = 0.01): Tensor {
  return mulScalar(sum(abs(x)), factor);
}

/**
 * The L2 penalty, as Keras's `regularizers.L2`: `factor * sum(x²)` (no 1/2),
 * on weights or on activations.
 *
 * @param factor Keras's default 0.01
 * @example
 * l2(tensor([1, -2]), 0.1).item(); // 0.5
 */
export function l2(x: Tensor, factor = 0.01): Tensor {
  return mulScalar(sum(mul(x, x)), factor);
}

/**
 * Both penalties, as Keras's `regularizers.L1L2`: `l1Factor * sum(|x|) + l2Factor * sum(x²)`
 * (both factors default to 0, as in Keras).
 *
 * @example
 * l1l2(tensor([1, -2]), 0.1, 0.1).item(); // 0.8
 */
export function l1l2(x: Tensor, l1Factor = 0, l2Factor = 0): Tensor {
  return add(l1(x, l1Factor), l2(x, l2Factor));
}

/** Losses by their Keras names. */
export const losses = {
  mse: meanSquaredError,
  meanSquaredError,
  mae: meanAbsoluteError,
  meanAbsoluteError,
  binaryCrossentropy,
  binaryCrossentropyFromLogits,
} as const;

export type LossName = keyof typeof losses;
export type LossFunction = (prediction: Tensor, target: Tensor) => Tensor;

/** Looks up a loss by name, with an error that lists the known ones. */
export function lossByName(name: LossName): LossFunction {
  const fn = (losses as Record<string, LossFunction>)[name];
  if (fn === undefined) throw new RangeError(`loss: unknown loss '${name}'; known: ${Object.keys(losses).join(', ')}`);
  return fn;
}


import { softplus } from './activations.js';
import { formatShape, sameShape } from './shape.js';
import { log, maximumScalar, mean, minimumScalar, mul, neg, sub, add } from './ops/index.js';
import type { Tensor } from './tensor.js';

function checkPair(loss: string, prediction: Tensor, target: Tensor): void {
  if (!sameShape(prediction.shape, target.shape)) {
    throw new RangeError(`${loss}: the prediction has shape ${formatShape(prediction.shape)} but the target has ${formatShape(target.shape)}`);
  }
}

/** Mean squared error over every element: `mean((prediction - target)^2)`. */
export function meanSquaredError(prediction: Tensor, target: Tensor): Tensor {
  checkPair('meanSquaredError', prediction, target);
  const d = sub(prediction, target);
  return mean(mul(d, d));
}

/**
 * Binary cross-entropy from logits, stable for any logit:
 * `-z log σ(x) - (1-z) log(1-σ(x)) = softplus(x) - x z`,
 * and softplus is computed without overflow.
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
 */
export function binaryCrossentropy(probabilities: Tensor, target: Tensor, epsilon = 1e-7): Tensor {
  checkPair('binaryCrossentropy', probabilities, target);
  const p = minimumScalar(maximumScalar(probabilities, epsilon), 1 - epsilon);
  const positive = mul(target, log(p));
  const negative = mul(sub(1, target), log(sub(1, p)));
  return neg(mean(add(positive, negative)));
}

/** Losses by their Keras names. */
export const losses = {
  mse: meanSquaredError,
  meanSquaredError,
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


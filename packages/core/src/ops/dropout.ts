import { isTraining } from '../autodiff.js';
import type { Random } from '../random.js';
import { allocate, Tensor } from '../tensor.js';
import { mul } from './elementwise.js';

/**
 * Inverted dropout: during training each value is zeroed with probability
 * `rate` and the survivors are scaled by 1 / (1 - rate), so nothing changes at
 * inference, where it is the identity. The mask is drawn from `rng`, so a seed
 * reproduces it; its gradient is the same mask (a composite: x times a constant).
 *
 * @example
 * const h = dropout(x, 0.5, rng); // inside fit; the identity under predict
 */
export function dropout(x: Tensor, rate: number, rng: Random, training = isTraining()): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1), got ${rate}`);
  if (!training || rate === 0) return x;
  const keep = 1 / (1 - rate);
  const mask = allocate(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < rate ? 0 : keep;
  return mul(x, new Tensor(mask, x.shape));
}

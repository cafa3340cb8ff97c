import { describe, expect, it } from 'vitest';
import { adamw } from '@aekit/core';
import { expectTrajectory } from './trajectory.js';

// Expected trajectories: the paper's Adam (bias-corrected moments, epsilon scaled
// by 1/sqrt(1 - beta2^t), Keras's placement), each step preceded by the decoupled
// decay w -= lr * weightDecay * w, computed independently in Python float64.
describe('AdamW', () => {
  it("has Keras's defaults", () => {
    const opt = adamw();
    expect([opt.name, opt.learningRate, opt.beta1, opt.beta2, opt.epsilon, opt.weightDecay]).toEqual(['AdamW', 1e-3, 0.9, 0.999, 1e-7, 0.004]);
  });

  it('defaults: three steps (Adam shifted by the decay lr * 0.004 * w)', () => {
    expectTrajectory(adamw(), [
      [0.9989960015811363, -2.0009919989459086],
      [0.997992033025136, -2.0019839942323707],
      [0.9969881120982576, -2.002975985687509],
    ]);
  });

  it('weight decay 0.1, lr 0.01: three steps', () => {
    expectTrajectory(adamw({ learningRate: 0.01, weightDecay: 0.1 }), [
      [0.9890000158113633, -2.0079999894590856],
      [0.9780140630011483, -2.015991982014208],
      [0.9670441884166239, -2.023975983943347],
    ]);
  });
});

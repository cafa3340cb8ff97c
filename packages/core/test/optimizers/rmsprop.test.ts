import { describe, expect, it } from 'vitest';
import { rmsprop } from '@aekit/core';
import { expectTrajectory } from './trajectory.js';

// Expected trajectories: Keras 3's rule (v = rho v + (1-rho) g², w -= lr g / sqrt(v + eps),
// epsilon inside the root; centered subtracts a², a = rho a + (1-rho) g; momentum
// m = momentum m + increment, w -= m) run by hand in Python float64.
describe('RMSprop', () => {
  it("has Keras's defaults", () => {
    const opt = rmsprop();
    expect([opt.learningRate, opt.rho, opt.momentum, opt.epsilon, opt.centered]).toEqual([1e-3, 0.9, 0, 1e-7, false]);
  });

  it('defaults: three steps', () => {
    expectTrajectory(rmsprop(), [
      [0.9968377227351163, -2.003162277484486],
      [0.9945470106076606, -2.0054564347561112],
      [0.992630674906927, -2.0073773815927196],
    ]);
  });

  it('centered with momentum 0.5, lr 0.01: three steps', () => {
    expectTrajectory(rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }), [
      [0.9666666712962954, -2.0333333312757205],
      [0.9249234848693108, -2.0754906330901366],
      [0.8824183767548824, -2.1190676811139557],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { sgd, SGD } from '@aekit/core';
import { expectTrajectory } from './trajectory.js';

// Expected trajectories: Keras's documented rule (v = momentum v - lr g; w += v,
// or w += momentum v - lr g with Nesterov) run by hand in Python float64.
describe('SGD', () => {
  it("has Keras's defaults", () => {
    const opt = sgd();
    expect(opt).toBeInstanceOf(SGD);
    expect([opt.learningRate, opt.momentum, opt.nesterov, opt.weightDecay, opt.clipnorm, opt.clipvalue]).toEqual([0.01, 0, false, null, null, null]);
  });

  it('plain: w -= lr g for three steps', () => {
    expectTrajectory(sgd(), [
      [0.98, -2.03],
      [0.9604, -2.06],
      [0.941192, -2.09],
    ]);
  });

  it('momentum 0.9, lr 0.1: v = 0.9 v - 0.1 g; w += v', () => {
    expectTrajectory(sgd({ learningRate: 0.1, momentum: 0.9 }), [
      [0.8, -2.3],
      [0.46, -2.87],
      [0.062, -3.683],
    ]);
  });

  it('Nesterov, momentum 0.9, lr 0.1: w += 0.9 v - 0.1 g', () => {
    expectTrajectory(sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }), [
      [0.62, -2.57],
      [0.2224, -3.383],
      [-0.108352, -4.4147],
    ]);
  });

  it('rejects a momentum outside [0, 1], naming the optimizer', () => {
    expect(() => sgd({ momentum: 1.5 })).toThrow(/SGD: momentum must lie in \[0, 1\], got 1.5/);
  });
});

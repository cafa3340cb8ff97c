import { describe, expect, it } from 'vitest';
import { adamw, Tensor, tensor } from '@aekit/core';
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

  it('takes the same steps in float32 (the decay inside the WebAssembly update) as in float64', () => {
    const start = Array.from({ length: 37 }, (_, i) => Math.sin(i) * 2);
    const w32 = tensor(start, [37], { requiresGrad: true });
    const w64 = tensor(start, [37], { dtype: 'float64', requiresGrad: true });
    const [opt32, opt64] = [adamw({ learningRate: 0.01, weightDecay: 0.5 }), adamw({ learningRate: 0.01, weightDecay: 0.5 })];
    for (let step = 0; step < 25; step++) {
      // The gradient of sum(w^3 / 3) - w: the decay and the update pull apart where w^2 < 1.
      for (const [w, opt] of [[w32, opt32], [w64, opt64]] as const) {
        w.grad = new Tensor(w.values.map((v) => v * v - 1), [37]);
        opt.step([w]);
      }
    }
    w32.values.forEach((v, i) => expect(v).toBeCloseTo(w64.values[i], 5));
    // Without the decay the same steps end elsewhere: it was applied.
    const plain = tensor(start, [37], { dtype: 'float64', requiresGrad: true });
    const withoutDecay = adamw({ learningRate: 0.01, weightDecay: 0 });
    for (let step = 0; step < 25; step++) {
      plain.grad = new Tensor(plain.values.map((v) => v * v - 1), [37]);
      withoutDecay.step([plain]);
    }
    expect(Math.abs(plain.values[5] - w64.values[5])).toBeGreaterThan(1e-3);
  });

  it('decays float32 weights where the update keeps them, without writing the host array', () => {
    const w = tensor(Array.from({ length: 300 }, (_, i) => Math.cos(i)), [300], { requiresGrad: true });
    const opt = adamw({ learningRate: 0.01, weightDecay: 0.1 });
    w.grad = new Tensor(new Float32Array(300).fill(0.5), [300]);
    opt.step([w]); // the first step moves the weights into the kernels' memory
    const held = w.values;
    const before = Float32Array.from(held);
    w.grad = new Tensor(new Float32Array(300).fill(0.5), [300]);
    opt.step([w]);
    // The array read before the step is as it was (the decay no longer runs on it); a fresh read has the step.
    expect([...held]).toEqual([...before]);
    expect(w.values[0]).toBeCloseTo(before[0] * (1 - 0.01 * 0.1) - 0.01, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { cosineDecay, exponentialDecay, piecewiseConstantDecay } from '@aekit/core';

describe('exponentialDecay', () => {
  it('is lr0 * rate^(step / decaySteps), floored with staircase', () => {
    const smooth = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const stairs = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(smooth(0)).toBe(0.1);
    expect(smooth(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
    expect(smooth(20)).toBeCloseTo(0.025, 15);
    expect(stairs(5)).toBe(0.1);
    expect(stairs(19)).toBeCloseTo(0.05, 15);
    expect(stairs(20)).toBeCloseTo(0.025, 15);
  });
});

describe('cosineDecay', () => {
  it('falls along half a cosine to alpha * lr0 and stays there', () => {
    const lr = cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 });
    expect(lr(0)).toBeCloseTo(0.1, 15);
    // 0.1 * (0.9 * 0.5 * (1 + cos(pi/4)) + 0.1)
    expect(lr(25)).toBeCloseTo(0.08681980515339464, 15);
    expect(lr(50)).toBeCloseTo(0.055, 15);
    expect(lr(100)).toBeCloseTo(0.01, 15);
    expect(lr(1000)).toBeCloseTo(0.01, 15);
  });

  it('warms up linearly to the target, then decays from it', () => {
    const lr = cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 });
    expect(lr(5)).toBeCloseTo(0.05, 15);
    expect(lr(10)).toBeCloseTo(0.1, 15);
    expect(lr(60)).toBeCloseTo(0.05, 15);
    expect(lr(500)).toBeCloseTo(0, 15);
  });
});

describe('piecewiseConstantDecay', () => {
  it('switches value just after each boundary', () => {
    const lr = piecewiseConstantDecay([2, 4], [1, 0.5, 0.25]);
    expect([0, 1, 2, 3, 4, 5, 100].map(lr)).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('names a mismatch of boundaries and values', () => {
    expect(() => piecewiseConstantDecay([2, 4], [1, 0.5])).toThrow(/2 boundaries need 3 values, got 2/);
    expect(() => piecewiseConstantDecay([4, 2], [1, 0.5, 0.25])).toThrow(/boundaries must increase/);
  });
});

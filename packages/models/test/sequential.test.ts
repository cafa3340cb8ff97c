import { describe, expect, it } from 'vitest';
import { tensor } from '@aekit/core';
import { dense, sequential } from '@aekit/models';

describe('sequential', () => {
  it('infers output shapes and counts parameters before any data flows', () => {
    const model = sequential([dense(64, { activation: 'relu' }), dense(784, { activation: 'sigmoid' })], { inputShape: [784] });
    expect(model.outputShape).toEqual([784]);
    expect(model.countParams()).toBe(784 * 64 + 64 + 64 * 784 + 784);
    const text = model.summary(null);
    expect(text).toContain('dense (Dense)');
    expect(text).toContain('dense_1 (Dense)');
    expect(text).toContain('Total params: 101,200');
  });

  it('names weights by layer index', () => {
    const model = sequential([dense(2), dense(3, { useBias: false })], { inputShape: [4] });
    expect(model.namedWeights().map(([k, t]) => [k, t.shape])).toEqual([
      ['0.kernel', [4, 2]],
      ['0.bias', [2]],
      ['1.kernel', [2, 3]],
    ]);
  });

  it('gives the same weights for the same seed and different ones otherwise', () => {
    const make = (seed: number) => sequential([dense(8)], { inputShape: [5], seed }).parameters()[0].toArray();
    expect(make(3)).toEqual(make(3));
    expect(make(3)).not.toEqual(make(4));
  });

  it('says what is missing when the input shape is unknown', () => {
    expect(() => sequential([dense(2)]).outputShape).toThrow(/input shape is unknown; pass \{ inputShape \}/);
  });

  it('names the model and both shapes when predict gets the wrong input', () => {
    const model = sequential([dense(2)], { inputShape: [4] });
    expect(() => model.predict(tensor(new Float32Array(6), [2, 3]))).toThrow(/predict \(sequential\): x has shape \[2, 3\], expected \[samples, 4\]/);
  });
});

import { describe, expect, it } from 'vitest';
import { binaryCrossentropy, l1, l2, noGrad, Random, Tensor, tensor } from '@aekit/core';
import { batchNormalization, convAutoencoder, dense, denseAutoencoder, sequential } from '@aekit/models';

describe('Model.summary', () => {
  it('counts the dense 784-64-784 autoencoder as Keras does: 101,200', () => {
    const text = denseAutoencoder({ inputDim: 784, codeDim: 64 }).summary(null);
    // 784 * 64 + 64 and 64 * 784 + 784.
    expect(text).toContain('Total params: 101,200');
    expect(text).toContain('Trainable params: 101,200');
    expect(text).toContain('Non-trainable params: 0');
  });

  it('counts the multilayer 784-256-128-32-128-256-784 autoencoder: 476,720', () => {
    const model = denseAutoencoder({ inputDim: 784, hidden: [256, 128], codeDim: 32 });
    expect(model.countParams()).toBe(476_720);
    expect(model.summary(null)).toContain('Total params: 476,720');
  });

  it("splits batch normalization's moving statistics off as non-trainable, counting them in the layer's row", () => {
    const model = sequential([dense(10), batchNormalization(), dense(2)], { inputShape: [4], name: 'bn' });
    // dense 4*10+10 = 50; batch norm gamma, beta (20, trained) and moving mean, variance (20, not); dense 10*2+2 = 22.
    expect(model.summaryRows().map((r) => r.params)).toEqual([50, 40, 22]);
    const text = model.summary(null);
    expect(text).toContain('Total params: 112');
    expect(text).toContain('Trainable params: 92');
    expect(text).toContain('Non-trainable params: 20');
    expect(model.countParams()).toBe(92);
    expect(model.namedState().map(([k, t]) => [k, t.size])).toEqual([
      ['1.moving_mean', 10],
      ['1.moving_variance', 10],
    ]);
  });

  it('prints through the given function', () => {
    const lines: string[] = [];
    const text = sequential([dense(3)], { inputShape: [2] }).summary((t) => lines.push(t));
    expect(lines).toEqual([text]);
    expect(text).toMatch(/dense \(Dense\)\s+\(None, 3\)\s+9/);
  });
});

describe('Model.regularizationLosses', () => {
  it('is empty for a model without penalties', () => {
    const model = denseAutoencoder({ inputDim: 4, codeDim: 2 });
    expect(model.regularizationLosses()).toEqual([]);
  });

  it("collects a Sequential's weight and activity penalties, layer by layer", () => {
    const model = sequential(
      [
        dense(2, { kernelRegularizer: (w) => l2(w, 0.5), kernelInitializer: 'ones' }),
        dense(1, { biasRegularizer: (b) => l1(b, 0.25), biasInitializer: 'ones' }),
      ],
      { inputShape: [3] },
    );
    // l2: 0.5 * (6 ones) = 3; l1 of the second bias: 0.25 * 1.
    expect(model.regularizationLosses().map((t) => t.item())).toEqual([3, 0.25]);
    const withActivity = sequential([dense(2, { activityRegularizer: (y) => l1(y, 0.1), kernelInitializer: 'ones' })], { inputShape: [3] });
    expect(withActivity.regularizationLosses()).toEqual([]);
    withActivity.call(new Tensor(new Float32Array([1, 2, 3, -1, -2, -3]), [2, 3]), { training: true });
    // Outputs [6, 6] and [-6, -6]: l1 = 0.1 * 24, divided by the batch of 2.
    expect(withActivity.regularizationLosses()[0].item()).toBeCloseTo(1.2, 6);
  });
});

describe('predict and evaluate', () => {
  it('run each batch in a step\'s memory and give bit for bit what the model gives over host arrays', () => {
    const rng = new Random(5);
    // 7 images in batches of 3 (the last one short); the first layer's outputs reach the resident size.
    const x = tensor(Float32Array.from({ length: 7 * 28 * 28 }, () => rng.next()), [7, 28, 28, 1]);
    const model = convAutoencoder({ seed: 3 });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    const direct = noGrad(() => model.call(x, { training: false }));
    expect([...model.predict(x, { batchSize: 3 }).values]).toEqual([...noGrad(() => model.call(x, { training: false })).values]);
    const perBatch = [0, 3, 6].map((start) => {
      const end = Math.min(start + 3, 7);
      const rows = (t: Tensor) => tensor(t.values.slice(start * 784, end * 784), [end - start, 28, 28, 1]);
      return [noGrad(() => binaryCrossentropy(rows(direct), rows(x))).item(), end - start];
    });
    const mean = perBatch.reduce((sum, [loss, count]) => sum + loss * count, 0) / 7;
    expect(model.evaluate(x, x, { batchSize: 3 })).toBe(mean);
  });
});

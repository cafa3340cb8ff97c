import { describe, expect, it } from 'vitest';
import { Tensor } from '@aekit/core';
import { conv2d, conv2dTranspose, cropping2d, maxPooling2d, sequential } from '@aekit/models';

// The seed's convolutional denoising autoencoder (TUTORIALS.md, walkthrough 2), as one Sequential.
function seedModel() {
  const conv = (filters: number) => conv2d(filters, [3, 3], { activation: 'relu', padding: 'same' });
  const pool = () => maxPooling2d([2, 2], { padding: 'same' });
  const up = (filters: number, strides: number, act: 'relu' | 'sigmoid' = 'relu') =>
    conv2dTranspose(filters, [3, 3], { strides, activation: act, padding: 'same' });
  return sequential(
    [conv(32), pool(), conv(64), pool(), conv(128), pool(), up(128, 2), up(64, 2), up(32, 1), up(1, 2, 'sigmoid'), cropping2d([[2, 2], [2, 2]])],
    { inputShape: [28, 28, 1], seed: 42 },
  );
}

describe("the seed's convolutional autoencoder", () => {
  it('has 332,801 parameters, as in Keras', () => {
    expect(seedModel().countParams()).toBe(332_801);
  });

  it('summarizes with Keras names, output shapes and parameter counts', () => {
    const rows = seedModel().summaryRows();
    expect(rows.map((r) => [r.layer, [...r.outputShape], r.params])).toEqual([
      ['conv2d (Conv2D)', [28, 28, 32], 320],
      ['max_pooling2d (MaxPooling2D)', [14, 14, 32], 0],
      ['conv2d_1 (Conv2D)', [14, 14, 64], 18_496],
      ['max_pooling2d_1 (MaxPooling2D)', [7, 7, 64], 0],
      ['conv2d_2 (Conv2D)', [7, 7, 128], 73_856],
      ['max_pooling2d_2 (MaxPooling2D)', [4, 4, 128], 0],
      ['conv2d_transpose (Conv2DTranspose)', [8, 8, 128], 147_584],
      ['conv2d_transpose_1 (Conv2DTranspose)', [16, 16, 64], 73_792],
      ['conv2d_transpose_2 (Conv2DTranspose)', [16, 16, 32], 18_464],
      ['conv2d_transpose_3 (Conv2DTranspose)', [32, 32, 1], 289],
      ['cropping2d (Cropping2D)', [28, 28, 1], 0],
    ]);
    const text = seedModel().summary(null);
    expect(text).toContain('conv2d_transpose_3 (Conv2DTranspose)');
    expect(text).toMatch(/max_pooling2d_2 \(MaxPooling2D\)\s+\(None, 4, 4, 128\)\s+0/);
    expect(text).toMatch(/cropping2d \(Cropping2D\)\s+\(None, 28, 28, 1\)\s+0/);
    expect(text).toContain('Total params: 332,801');
  });

  it('maps a batch of images to images of the same shape, in [0, 1]', () => {
    const model = seedModel();
    const x = new Tensor(Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => (i % 7) / 7), [2, 28, 28, 1]);
    const y = model.predict(x);
    expect(y.shape).toEqual([2, 28, 28, 1]);
    expect(y.toArray().every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

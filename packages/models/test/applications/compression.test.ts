import { describe, expect, it } from 'vitest';
import { Random, tensor, type Tensor } from '@aekit/core';
import { compressionReport, denseAutoencoder, fitPca, type Codec } from '@aekit/models';

/** Keeps the first two values of each 4-value sample; decodes by padding with 0.5. */
const firstTwo: Codec = {
  encode: (x: Tensor) => tensor(Array.from({ length: x.shape[0] }, (_, i) => [x.values[i * 4], x.values[i * 4 + 1]]).flat(), [x.shape[0], 2]),
  decode: (z: Tensor) => tensor(Array.from({ length: z.shape[0] }, (_, i) => [z.values[i * 2], z.values[i * 2 + 1], 0.5, 0.5]).flat(), [z.shape[0], 4]),
};

describe('compressionReport', () => {
  it('states bytes, ratio and error by hand', () => {
    const x = tensor([0.25, 0.75, 0.5, 1, 0, 1, 0.5, 0], [2, 4], { dtype: 'float64' });
    const report = compressionReport(firstTwo, x, { decoderParameters: 10 });
    // Only the last value of each sample is off, by 0.5 (1 -> 0.5, 0 -> 0.5): (0.25 + 0.25) / 8 values.
    expect(report).toMatchObject({ samples: 2, originalSize: 4, codeSize: 2, originalBytes: 4, codeBytes: 8, ratio: 0.5, decoderBytes: 40 });
    expect(report.mse).toBeCloseTo(0.5 / 8, 15);
    expect(report.psnr).toBeCloseTo(10 * Math.log10(8 / 0.5), 12);
    // The codes are bigger than 8-bit originals: the decoder never pays for itself.
    expect(report.breakEvenSamples).toBe(Infinity);
    const floats = compressionReport(firstTwo, x, { originalBytesPerValue: 4, codeBytesPerValue: 1, decoderParameters: 10 });
    expect(floats).toMatchObject({ originalBytes: 16, codeBytes: 2, ratio: 8, breakEvenSamples: 3 });
  });

  it('takes an autoencoder or a PCA, whose full-rank codes lose nothing', () => {
    const rng = new Random(1);
    const x = tensor(Float64Array.from({ length: 30 * 5 }, () => rng.next()), [30, 5]);
    expect(compressionReport(fitPca(x, 5), x).mse).toBeLessThan(1e-20);
    const ae = denseAutoencoder({ inputDim: 5, codeDim: 2 });
    const report = compressionReport(ae, tensor(Float32Array.from(x.values), [30, 5]), { decoderParameters: ae.decoder.countParams() });
    expect(report).toMatchObject({ originalBytes: 5, codeBytes: 8, decoderBytes: (2 * 5 + 5) * 4 });
    expect(report.mse).toBeGreaterThan(0);
  });

  it('names a codec that loses samples or values, and bad byte sizes', () => {
    const x = tensor(new Float32Array(8), [2, 4]);
    expect(() => compressionReport({ ...firstTwo, encode: () => tensor([1, 2], [1, 2]) }, x)).toThrow(/2 samples gave 1 codes/);
    expect(() => compressionReport({ ...firstTwo, decode: (z) => z }, x)).toThrow(/reconstruction has shape \[2, 2\], not the 4 values per sample/);
    expect(() => compressionReport(firstTwo, x, { codeBytesPerValue: 0 })).toThrow(/codeBytesPerValue must be > 0, got 0/);
    expect(() => compressionReport(firstTwo, tensor([1, 2]))).toThrow(/expected a non-empty batch/);
  });
});

import { describe, expect, it } from 'vitest';
import { Random, tensor, type Tensor } from '@aekit/core';
import { anomalyDetector, AnomalyDetector, auroc, denseAutoencoder, fitPca, percentileThreshold, reconstructionErrors, type Reconstructor } from '@aekit/models';

/** A "model" that reconstructs every sample as all halves. */
const halves: Reconstructor = { predict: (x: Tensor) => tensor(new Float32Array(x.size).fill(0.5), x.shape) };

/** Scores a sample by its first feature, to test thresholds with known scores. */
const firstFeature = (x: Tensor) => Array.from({ length: x.shape[0] }, (_, i) => x.values[i * (x.size / x.shape[0])]);

describe('reconstructionErrors', () => {
  it('gives per-sample MSE and per-feature squared errors, by hand', () => {
    const x = tensor([0.5, 1, 0, 0.5, 0.5, 0.5], [2, 3]);
    const { perSample, perFeature } = reconstructionErrors(halves, x, { perFeature: true });
    expect(Array.from(perSample)).toEqual([(0 + 0.25 + 0.25) / 3, 0]);
    expect(perFeature?.shape).toEqual([2, 3]);
    expect(perFeature?.toArray()).toEqual([0, 0.25, 0.25, 0, 0, 0]);
    expect(reconstructionErrors(halves, x).perFeature).toBeUndefined();
  });

  it('gives the same errors whatever the batch size', () => {
    const rng = new Random(2);
    const x = tensor(Float32Array.from({ length: 7 * 4 }, () => rng.next()), [7, 4]);
    const whole = reconstructionErrors(halves, x, { batchSize: 100 });
    const byTwo = reconstructionErrors(halves, x, { batchSize: 2, perFeature: true });
    expect(Array.from(byTwo.perSample)).toEqual(Array.from(whole.perSample));
  });

  it('names a model that does not reconstruct, NaN, and bad arguments', () => {
    const shrink: Reconstructor = { predict: (x: Tensor) => tensor(new Float32Array(x.shape[0]), [x.shape[0], 1]) };
    expect(() => reconstructionErrors(shrink, tensor([1, 2, 3, 4], [2, 2]))).toThrow(/maps input \[2, 2\] to \[2, 1\]/);
    const nan: Reconstructor = { predict: (x: Tensor) => tensor(new Float32Array(x.size).fill(NaN), x.shape) };
    expect(() => reconstructionErrors(nan, tensor([1, 2], [1, 2]))).toThrow(/sample 0 reconstructs to NaN/);
    expect(() => reconstructionErrors(halves, tensor([1, 2]))).toThrow(/samples first/);
    expect(() => reconstructionErrors(halves, tensor([1, 2], [1, 2]), { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });
});

describe('anomalyDetector', () => {
  const normal = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((v) => [v, 0]), [10, 2]);

  it('takes its threshold from a percentile of normal validation scores', () => {
    const detector = anomalyDetector(firstFeature, { threshold: { percentile: 90, normal } });
    expect(detector.threshold).toBeCloseTo(percentileThreshold([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 12);
    expect(detector.threshold).toBeCloseTo(9.1, 12);
    expect(detector.predict(tensor([9, 0, 9.5, 0, 20, 0], [3, 2]))).toEqual([false, true, true]);
  });

  it('takes the F1-best threshold from labelled validation data', () => {
    const x = tensor([0.1, 0, 0.2, 0, 0.3, 0, 0.7, 0, 0.9, 0], [5, 2], { dtype: 'float64' });
    const detector = anomalyDetector(firstFeature, { threshold: { labelled: [x, [0, 0, 1, 1, 1]] } });
    expect(detector.threshold).toBeCloseTo(0.25, 12);
    expect(detector.report(x, [0, 0, 1, 1, 1]).f1).toBe(1);
  });

  it('reports AUROC, average precision and the confusion summary at its threshold', () => {
    const detector = new AnomalyDetector(firstFeature, 0.5);
    const x = tensor([0.2, 0, 0.6, 0, 0.4, 0, 0.9, 0], [4, 2]);
    const report = detector.report(x, [0, 0, 1, 1]);
    // Ranking: 0.9 (anomaly), 0.6 (normal), 0.4 (anomaly), 0.2 (normal): 3 of 4 pairs in order.
    expect(report.auroc).toBe(0.75);
    expect(report.averagePrecision).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    expect(report).toMatchObject({ threshold: 0.5, truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('scores by reconstruction error: PCA fitted on a plane flags points off it', () => {
    const rng = new Random(7);
    const sample = (off: number) => {
      const [a, b] = [rng.normal(), rng.normal()];
      return [a, b, a + b + off * rng.normal()];
    };
    const train = tensor(Array.from({ length: 200 }, () => sample(0.01)).flat(), [200, 3], { dtype: 'float64' });
    const pca = fitPca(train, 2);
    const labels = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const test = tensor(labels.flatMap((l) => sample(l ? 3 : 0.01)), [100, 3], { dtype: 'float64' });
    const detector = anomalyDetector(pca, { threshold: { percentile: 99, normal: train } });
    const report = detector.report(test, labels);
    expect(report.auroc).toBeGreaterThan(0.95);
    expect(report.auroc).toBe(auroc(reconstructionErrors(pca, test).perSample, labels));
    expect(report.recall).toBeGreaterThan(0.8);
  });

  it('takes an Autoencoder as it is: its score is the per-sample reconstruction MSE', () => {
    const ae = denseAutoencoder({ inputDim: 6, codeDim: 2, seed: 3 });
    const rng = new Random(4);
    const x = tensor(Float32Array.from({ length: 9 * 6 }, () => rng.next()), [9, 6]);
    const reconstruction = ae.predict(x).values;
    const byHand = Array.from({ length: 9 }, (_, i) => {
      let sum = 0;
      for (let j = 0; j < 6; j++) sum += (x.values[i * 6 + j] - reconstruction[i * 6 + j]) ** 2;
      return sum / 6;
    });
    anomalyDetector(ae, { threshold: { value: 0 } }).score(x).forEach((s, i) => expect(s).toBeCloseTo(byHand[i], 12));
  });

  it('names a scorer that gives the wrong number of scores, and a NaN threshold', () => {
    expect(() => new AnomalyDetector(() => [1], 0).score(tensor([1, 2], [2, 1]))).toThrow(/gave 1 scores for 2 samples/);
    expect(() => new AnomalyDetector(firstFeature, NaN)).toThrow(/threshold is NaN/);
  });
});

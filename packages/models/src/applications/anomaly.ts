import { formatShape, Tensor } from '@aekit/core';
import {
  auroc,
  averagePrecision,
  bestF1Threshold,
  confusionSummary,
  percentileThreshold,
  scoreArray,
  type ConfusionSummary,
  type Labels,
} from './metrics.js';

/** Anything that reconstructs its input: an `Autoencoder`, any `Model`, a fitted `Pca`. */
export interface Reconstructor {
  predict(x: Tensor, options?: { batchSize?: number }): Tensor;
}

/** Options for {@link reconstructionErrors}. */
export interface ReconstructionErrorOptions {
  /** Also return the squared error of every feature, `[n, d]` (for tabular data: which sensor is off). */
  perFeature?: boolean;
  /** Samples reconstructed at a time, so memory stays flat on big inputs; default 1024. */
  batchSize?: number;
}

/** What {@link reconstructionErrors} returns. */
export interface ReconstructionErrors {
  /** Each sample's mean squared error over its features. */
  perSample: Float64Array;
  /** `(x − x̂)²` per sample and feature, `[n, d]` float64, when asked for. */
  perFeature?: Tensor;
}

/**
 * Reconstruction errors of `x` under `model`: per sample the mean of the squared
 * differences over its features (the usual anomaly score), and optionally the
 * whole `[n, d]` matrix of squared errors, to see which features went wrong.
 *
 * @example
 * const { perSample } = reconstructionErrors(autoencoder, xTest);
 * const { perFeature } = reconstructionErrors(autoencoder, sensors, { perFeature: true });
 */
export function reconstructionErrors(model: Reconstructor, x: Tensor, options: ReconstructionErrorOptions = {}): ReconstructionErrors {
  if (x.rank < 2) throw new RangeError(`reconstructionErrors: expected samples first, [n, ...features], got shape ${formatShape(x.shape)}`);
  const batchSize = options.batchSize ?? 1024;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`reconstructionErrors: batchSize must be a positive integer, got ${batchSize}`);
  const n = x.shape[0];
  const d = n === 0 ? 0 : x.size / n;
  const perSample = new Float64Array(n);
  const perFeature = options.perFeature ? new Float64Array(n * d) : null;
  const values = x.values;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const batch = new Tensor(values.subarray(start * d, end * d), [end - start, ...x.shape.slice(1)]);
    const reconstruction = model.predict(batch);
    if (reconstruction.size !== batch.size) {
      throw new RangeError(
        `reconstructionErrors: the model maps input ${formatShape(batch.shape)} to ${formatShape(reconstruction.shape)}, not a reconstruction of the same size`,
      );
    }
    const r = reconstruction.values;
    for (let i = start; i < end; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) {
        const e = (values[i * d + j] - r[(i - start) * d + j]) ** 2;
        sum += e;
        if (perFeature) perFeature[i * d + j] = e;
      }
      if (Number.isNaN(sum)) throw new RangeError(`reconstructionErrors: sample ${i} reconstructs to NaN`);
      perSample[i] = sum / d;
    }
  }
  return perFeature ? { perSample, perFeature: new Tensor(perFeature, [n, d]) } : { perSample };
}

/** A source of anomaly scores: a model whose reconstruction error is the score, or a function giving one score per sample. */
export type AnomalyScorer = Reconstructor | ((x: Tensor) => ArrayLike<number>);

/** How {@link anomalyDetector} picks its threshold. */
export type ThresholdRule =
  /** Flag scores above the `percentile`-th percentile of the scores of `normal` validation data. */
  | { percentile: number; normal: Tensor }
  /** The threshold that maximises F1 on labelled validation data (`[x, labels]`, 1 = anomaly). */
  | { labelled: readonly [Tensor, Labels] }
  /** A threshold chosen by hand. */
  | { value: number };

/** Everything {@link AnomalyDetector.report} measures on labelled data. */
export interface AnomalyReport extends ConfusionSummary {
  /** Threshold-free: how well the scores rank anomalies above normal data. */
  auroc: number;
  /** Threshold-free: area under the precision–recall curve. */
  averagePrecision: number;
}

/**
 * Scores samples, flags those above a threshold, and reports on labelled data.
 * Build one with {@link anomalyDetector}.
 */
export class AnomalyDetector {
  /** Scores strictly above this are anomalies. */
  readonly threshold: number;
  private readonly scorer: AnomalyScorer;

  constructor(scorer: AnomalyScorer, threshold: number) {
    if (Number.isNaN(threshold)) throw new RangeError('AnomalyDetector: the threshold is NaN');
    this.scorer = scorer;
    this.threshold = threshold;
  }

  /** One anomaly score per sample: higher is more anomalous. */
  score(x: Tensor): Float64Array {
    const scores = typeof this.scorer === 'function' ? this.scorer(x) : reconstructionErrors(this.scorer, x).perSample;
    const out = Float64Array.from(scoreArray('AnomalyDetector.score', scores));
    if (x.rank >= 1 && out.length !== x.shape[0]) {
      throw new RangeError(`AnomalyDetector.score: the scorer gave ${out.length} scores for ${x.shape[0]} samples`);
    }
    return out;
  }

  /** Whether each sample is an anomaly (score above the threshold). */
  predict(x: Tensor): boolean[] {
    return Array.from(this.score(x), (s) => s > this.threshold);
  }

  /** AUROC and average precision of the scores, and the confusion summary at the threshold, on labelled data (1 = anomaly). */
  report(x: Tensor, labels: Labels): AnomalyReport {
    const scores = this.score(x);
    return {
      ...confusionSummary(scores, labels, this.threshold),
      auroc: auroc(scores, labels),
      averagePrecision: averagePrecision(scores, labels),
    };
  }
}

/**
 * An anomaly detector from a model trained on normal data only (or any scoring
 * function), with its threshold picked from validation data: a percentile of
 * normal validation scores (no anomalies needed, but the false-positive rate is
 * what you choose), or the F1-maximising cut on labelled validation data.
 *
 * @example
 * const detector = anomalyDetector(autoencoder, { threshold: { percentile: 95, normal: xValidation } });
 * detector.predict(xNew);           // boolean per sample
 * detector.report(xTest, isAnomaly); // { auroc, averagePrecision, precision, recall, f1, threshold, ... }
 */
export function anomalyDetector(scorer: AnomalyScorer, options: { threshold: ThresholdRule }): AnomalyDetector {
  const rule = options.threshold;
  const unthresholded = new AnomalyDetector(scorer, 0);
  if ('value' in rule) return new AnomalyDetector(scorer, rule.value);
  if ('percentile' in rule) return new AnomalyDetector(scorer, percentileThreshold(unthresholded.score(rule.normal), rule.percentile));
  const [x, labels] = rule.labelled;
  return new AnomalyDetector(scorer, bestF1Threshold(unthresholded.score(x), labels).threshold);
}

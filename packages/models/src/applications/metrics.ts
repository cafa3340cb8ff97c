import { formatShape, Tensor } from '@aekit/core';

// Metrics a user can check by hand. Scores follow one convention throughout:
// a higher score means "more likely positive" (an anomaly), and a label is
// 1 / true for a positive, 0 / false for a negative.

/** Scores: one number per sample, as an array or a tensor of any shape (read flat). */
export type Scores = ArrayLike<number> | Tensor;
/** Labels: one per sample, 1 or `true` for a positive (an anomaly), 0 or `false` for a negative. */
export type Labels = ArrayLike<number | boolean>;

/** The scores as a flat array, refusing NaN (it has no place in a ranking). */
export function scoreArray(where: string, scores: Scores): ArrayLike<number> {
  const values = scores instanceof Tensor ? scores.values : scores;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`${where}: score ${i} is NaN`);
  }
  return values;
}

/** The labels as 0/1, checked against the number of scores. */
function labelArray(where: string, labels: Labels, count: number): Uint8Array {
  if (labels.length !== count) throw new RangeError(`${where}: ${count} scores but ${labels.length} labels`);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    if (label === true || label === 1) out[i] = 1;
    else if (label !== false && label !== 0) throw new RangeError(`${where}: label ${i} is ${String(label)}, expected 0, 1, true or false`);
  }
  return out;
}

function checkedPair(where: string, scores: Scores, labels: Labels): { s: ArrayLike<number>; y: Uint8Array; positives: number } {
  const s = scoreArray(where, scores);
  const y = labelArray(where, labels, s.length);
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  return { s, y, positives };
}

/** Indices of `s` ordered by score, ascending (or descending), stable. */
function order(s: ArrayLike<number>, descending = false): Int32Array {
  const idx = Int32Array.from({ length: s.length }, (_, i) => i);
  return idx.sort((a, b) => (descending ? s[b] - s[a] : s[a] - s[b]) || a - b);
}

/**
 * The area under the ROC curve: the probability that a random positive scores
 * above a random negative, ties counting one half. Computed exactly as the
 * Mann–Whitney U statistic over average ranks, in O(n log n).
 *
 * @throws {RangeError} when there are no positives or no negatives (the area is undefined), or on NaN scores.
 * @example
 * auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 */
export function auroc(scores: Scores, labels: Labels): number {
  const { s, y, positives } = checkedPair('auroc', scores, labels);
  const negatives = s.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`auroc: needs both classes, got ${positives} positives and ${negatives} negatives`);
  }
  const idx = order(s);
  let positiveRankSum = 0;
  for (let start = 0; start < idx.length; ) {
    let end = start + 1;
    while (end < idx.length && s[idx[end]] === s[idx[start]]) end++;
    // Ranks start..end-1 (0-based) are tied: each gets their average, 1-based.
    const averageRank = (start + end + 1) / 2;
    for (let j = start; j < end; j++) if (y[idx[j]]) positiveRankSum += averageRank;
    start = end;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/**
 * Average precision: the area under the precision–recall curve as a step sum,
 * `Σ (Rₖ − Rₖ₋₁) Pₖ` over the distinct score thresholds from high to low (tied
 * scores enter together, as in scikit-learn's `average_precision_score`).
 * A random ranking scores about the positive fraction; a perfect one scores 1.
 *
 * @throws {RangeError} when there are no positives, or on NaN scores.
 * @example
 * averagePrecision([0.9, 0.8, 0.7], [1, 0, 1]); // (1/2)·1 + (1/2)·(2/3) = 0.8333…
 */
export function averagePrecision(scores: Scores, labels: Labels): number {
  const { s, y, positives } = checkedPair('averagePrecision', scores, labels);
  if (positives === 0) throw new RangeError('averagePrecision: needs at least one positive, got none');
  const idx = order(s, true);
  let truePositives = 0;
  let ap = 0;
  for (let start = 0; start < idx.length; ) {
    let end = start;
    let gained = 0;
    while (end < idx.length && s[idx[end]] === s[idx[start]]) gained += y[idx[end++]];
    truePositives += gained;
    // Recall rises by gained/positives at this threshold, where precision is truePositives/end.
    ap += (gained / positives) * (truePositives / end);
    start = end;
  }
  return ap;
}

/** Counts and rates of a thresholded classifier: positive when `score > threshold`. */
export interface ConfusionSummary {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  /** TP / (TP + FP); 0 when nothing is flagged. */
  precision: number;
  /** TP / (TP + FN), the true-positive rate; 0 when there are no positives. */
  recall: number;
  /** The harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** FP / (FP + TN); 0 when there are no negatives. */
  falsePositiveRate: number;
  /** (TP + TN) / n. */
  accuracy: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function summarize(threshold: number, tp: number, fp: number, tn: number, fn: number): ConfusionSummary {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    falsePositiveRate: ratio(fp, fp + tn),
    accuracy: ratio(tp + tn, tp + fp + tn + fn),
  };
}

/**
 * The confusion matrix of flagging `score > threshold` as positive, with
 * precision, recall, F1, false-positive rate and accuracy. A zero denominator
 * gives 0 (scikit-learn's `zero_division=0`), never NaN.
 *
 * @example
 * const c = confusionSummary([0.2, 0.6, 0.9], [0, 1, 0], 0.5);
 * c.truePositives; // 1
 * c.falsePositives; // 1
 * c.precision; // 0.5
 */
export function confusionSummary(scores: Scores, labels: Labels, threshold: number): ConfusionSummary {
  if (Number.isNaN(threshold)) throw new RangeError('confusionSummary: the threshold is NaN');
  const { s, y } = checkedPair('confusionSummary', scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < s.length; i++) {
    const flagged = s[i] > threshold;
    if (y[i]) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  return summarize(threshold, tp, fp, tn, fn);
}

/**
 * Precision, recall and F1 of flagging `score > threshold` (with the counts
 * behind them: the same summary as {@link confusionSummary}).
 *
 * @example
 * const { precision, recall, f1 } = precisionRecallF1([0.1, 0.7, 0.8, 0.3], [0, 1, 1, 1], 0.5);
 * // precision 1, recall 2/3, f1 0.8
 */
export function precisionRecallF1(scores: Scores, labels: Labels, threshold: number): ConfusionSummary {
  return confusionSummary(scores, labels, threshold);
}

/**
 * The threshold that maximises F1 on labelled scores, and the summary there.
 * Candidate cuts lie halfway between consecutive distinct scores (so new data
 * is split where the evidence is), plus one below all (flag everything); the
 * first best cut from the top wins ties, the stricter one.
 *
 * @example
 * bestF1Threshold([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]).threshold; // 0.5
 */
export function bestF1Threshold(scores: Scores, labels: Labels): ConfusionSummary {
  const { s, y, positives } = checkedPair('bestF1Threshold', scores, labels);
  if (positives === 0) throw new RangeError('bestF1Threshold: needs at least one positive, got none');
  const idx = order(s, true);
  const n = s.length;
  let best = { f1: -1, flagged: 0, tp: 0 };
  let tp = 0;
  for (let end = 0; end < n; ) {
    const value = s[idx[end]];
    while (end < n && s[idx[end]] === value) tp += y[idx[end++]];
    const f1 = ratio(2 * tp, end + positives);
    if (f1 > best.f1) best = { f1, flagged: end, tp };
  }
  const lowestFlagged = s[idx[best.flagged - 1]];
  const threshold = best.flagged === n ? -Infinity : cutBetween(s[idx[best.flagged]], lowestFlagged);
  return summarize(threshold, best.tp, best.flagged - best.tp, n - positives - (best.flagged - best.tp), positives - best.tp);
}

/** A threshold t with low <= t < high: the midpoint, or `low` when rounding puts the midpoint on `high`. */
function cutBetween(low: number, high: number): number {
  const mid = low + (high - low) / 2;
  return Number.isFinite(mid) && mid >= low && mid < high ? mid : low;
}

/**
 * The `q`-th percentile (0–100) of scores, by linear interpolation between
 * order statistics (NumPy's default). Fitted on normal validation scores,
 * `score > percentileThreshold(normal, 95)` flags about 5% of normal data.
 *
 * @example
 * percentileThreshold([1, 2, 3, 4, 5], 50); // 3
 * percentileThreshold([1, 2, 3, 4], 90); // 3.7
 */
export function percentileThreshold(normalScores: Scores, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentileThreshold: q must be in [0, 100], got ${q}`);
  const s = scoreArray('percentileThreshold', normalScores);
  if (s.length === 0) throw new RangeError('percentileThreshold: no scores');
  const sorted = Float64Array.from(s).sort();
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return fraction === 0 ? sorted[below] : sorted[below] + fraction * (sorted[above] - sorted[below]);
}

function sameSize(where: string, a: Tensor, b: Tensor): void {
  if (a.size !== b.size || a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${where}: the images differ in shape: ${formatShape(a.shape)} vs ${formatShape(b.shape)}`);
  }
  if (a.size === 0) throw new RangeError(`${where}: the images are empty`);
}

/**
 * Peak signal-to-noise ratio in decibels, `10·log10(maxValue² / MSE)`, over
 * every value of `a` against `b` (for a batch, the PSNR of the pooled MSE).
 * Identical inputs give `Infinity`.
 *
 * @param maxValue - The data range: 1 for images in [0, 1], 255 for bytes.
 * @example
 * psnr(tensor([0, 0, 0, 0]), tensor([0.1, 0.1, 0.1, 0.1])); // 20 (MSE 0.01)
 */
export function psnr(a: Tensor, b: Tensor, maxValue = 1): number {
  sameSize('psnr', a, b);
  if (!(maxValue > 0)) throw new RangeError(`psnr: maxValue must be > 0, got ${maxValue}`);
  const av = a.values;
  const bv = b.values;
  let sum = 0;
  for (let i = 0; i < av.length; i++) sum += (av[i] - bv[i]) ** 2;
  const mse = sum / av.length;
  if (Number.isNaN(mse)) throw new RangeError('psnr: the images hold NaN');
  return 10 * Math.log10((maxValue * maxValue) / mse);
}

/** Options for {@link ssim}. */
export interface SsimOptions {
  /**
   * The shape of one image, `[height, width]` or `[height, width, channels]`,
   * for a batch whose samples are flattened (e.g. `[n, 784]` MNIST rows).
   */
  imageShape?: readonly number[];
  /** The data range L; default 1, for images in [0, 1]. */
  dataRange?: number;
}

const SSIM_WINDOW = 11;
const SSIM_SIGMA = 1.5;
const SSIM_K1 = 0.01;
const SSIM_K2 = 0.03;

/** The normalised 1-D Gaussian of the SSIM window; the 2-D window is its outer product. */
function gaussianWindow(): Float64Array {
  const half = (SSIM_WINDOW - 1) / 2;
  const w = Float64Array.from({ length: SSIM_WINDOW }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * SSIM_SIGMA * SSIM_SIGMA)));
  const total = w.reduce((acc, v) => acc + v, 0);
  return w.map((v) => v / total);
}

/**
 * Structural similarity (Wang, Bovik, Sheikh and Simoncelli, 2004): local
 * means, variances and covariance under an 11×11 Gaussian window (σ = 1.5),
 * `((2μaμb + C1)(2σab + C2)) / ((μa² + μb² + C1)(σa² + σb² + C2))` with
 * C1 = (0.01 L)², C2 = (0.03 L)², averaged over every window that fits inside
 * the image ("valid", as in the authors' reference code), then over channels
 * and images. 1 means identical.
 *
 * Shapes: `[h, w]` is one image; `[n, h, w, c]` a batch (as `loadMnist` gives);
 * any other layout needs `imageShape`. Images must be at least 11×11.
 *
 * @example
 * ssim(test.images, denoised); // mean SSIM over the batch, both [n, 28, 28, 1]
 * ssim(xTest, reconstructions, { imageShape: [28, 28] }); // flattened [n, 784] rows
 */
export function ssim(a: Tensor, b: Tensor, options: SsimOptions = {}): number {
  sameSize('ssim', a, b);
  const L = options.dataRange ?? 1;
  if (!(L > 0)) throw new RangeError(`ssim: dataRange must be > 0, got ${L}`);
  let h: number, w: number, c: number;
  if (options.imageShape) {
    const shape = options.imageShape;
    if (shape.length < 2 || shape.length > 3) throw new RangeError(`ssim: imageShape must be [h, w] or [h, w, c], got ${formatShape(shape)}`);
    [h, w, c] = [shape[0], shape[1], shape[2] ?? 1];
  } else if (a.rank === 2) [h, w, c] = [a.shape[0], a.shape[1], 1];
  else if (a.rank === 4) [h, w, c] = [a.shape[1], a.shape[2], a.shape[3]];
  else throw new RangeError(`ssim: cannot tell the image layout of shape ${formatShape(a.shape)}: pass imageShape ([h, w] or [h, w, c])`);
  const imageSize = h * w * c;
  if (!(imageSize > 0) || a.size % imageSize !== 0) {
    throw new RangeError(`ssim: ${a.size} values do not split into images of shape ${formatShape([h, w, c])}`);
  }
  if (h < SSIM_WINDOW || w < SSIM_WINDOW) throw new RangeError(`ssim: images must be at least ${SSIM_WINDOW}x${SSIM_WINDOW}, got ${h}x${w}`);
  const g = gaussianWindow();
  const c1 = (SSIM_K1 * L) ** 2;
  const c2 = (SSIM_K2 * L) ** 2;
  const oh = h - SSIM_WINDOW + 1;
  const ow = w - SSIM_WINDOW + 1;
  // The five local moments, filtered separably: rows first (into `rows`), then columns.
  const rows = Array.from({ length: 5 }, () => new Float64Array(h * ow));
  const pixel = new Float64Array(5);
  const av = a.values;
  const bv = b.values;
  const images = a.size / imageSize;
  let total = 0;
  for (let n = 0; n < images; n++) {
    for (let ch = 0; ch < c; ch++) {
      const at = (y: number, x: number) => n * imageSize + (y * w + x) * c + ch;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < ow; x++) {
          pixel.fill(0);
          for (let k = 0; k < SSIM_WINDOW; k++) {
            const p = av[at(y, x + k)];
            const q = bv[at(y, x + k)];
            const gk = g[k];
            pixel[0] += gk * p;
            pixel[1] += gk * q;
            pixel[2] += gk * p * p;
            pixel[3] += gk * q * q;
            pixel[4] += gk * p * q;
          }
          for (let m = 0; m < 5; m++) rows[m][y * ow + x] = pixel[m];
        }
      }
      let sum = 0;
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          pixel.fill(0);
          for (let k = 0; k < SSIM_WINDOW; k++) {
            const gk = g[k];
            for (let m = 0; m < 5; m++) pixel[m] += gk * rows[m][(y + k) * ow + x];
          }
          const [muA, muB, aa, bb, ab] = pixel;
          const varA = aa - muA * muA;
          const varB = bb - muB * muB;
          const cov = ab - muA * muB;
          sum += ((2 * muA * muB + c1) * (2 * cov + c2)) / ((muA * muA + muB * muB + c1) * (varA + varB + c2));
        }
      }
      total += sum / (oh * ow);
    }
  }
  const result = total / (images * c);
  if (Number.isNaN(result)) throw new RangeError('ssim: the images hold NaN');
  return result;
}

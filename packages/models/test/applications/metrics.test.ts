import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tensor } from '@aekit/core';
import {
  auroc,
  averagePrecision,
  bestF1Threshold,
  confusionSummary,
  percentileThreshold,
  precisionRecallF1,
  psnr,
  ssim,
} from '@aekit/models';

/** AUROC by its definition: over every (positive, negative) pair, 1 if the positive scores higher, ½ on a tie. */
function pairwiseAuroc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((n, j) => {
      if (labels[j]) return;
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** Scores drawn from a small integer range (many ties) with labels holding both classes. */
const scoredLabels = fc
  .array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 40 })
  .map((rows) => [[0, true] as const, [0, false] as const, ...rows])
  .map((rows) => ({ scores: rows.map(([s]) => s), labels: rows.map(([, l]) => (l ? 1 : 0)) }));

/** Distinct scores with labels holding both classes (the first is positive, the second negative). */
const tieFree = fc
  .uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 40 })
  .chain((scores) =>
    fc.array(fc.boolean(), { minLength: scores.length, maxLength: scores.length }).map((flags) => ({
      scores: scores.map((s) => s / 7),
      labels: flags.map((f, i) => (i === 0 ? 1 : i === 1 ? 0 : f ? 1 : 0)),
    })),
  );

describe('auroc', () => {
  it('is 1 for a perfect ranking and 0 for an inverted one', () => {
    expect(auroc([0.1, 0.2, 0.3, 0.9, 0.95], [0, 0, 0, 1, 1])).toBe(1);
    expect(auroc([0.9, 0.8, 0.1, 0.2], [0, 0, 1, 1])).toBe(0);
  });

  it('is 0.5 when every score is equal (every pair a tie)', () => {
    expect(auroc([3, 3, 3, 3, 3], [1, 0, 0, 1, 0])).toBe(0.5);
  });

  it('counts ties one half, by hand', () => {
    // Positives 0.5 and 0.8; negatives 0.2, 0.5, 0.9. Pairs: (0.5 vs 0.2) 1, (0.5 vs 0.5) ½, (0.5 vs 0.9) 0,
    // (0.8 vs 0.2) 1, (0.8 vs 0.5) 1, (0.8 vs 0.9) 0: 3.5 of 6.
    expect(auroc([0.2, 0.5, 0.5, 0.8, 0.9], [0, 1, 0, 1, 0])).toBeCloseTo(3.5 / 6, 15);
    expect(auroc(tensor([0.1, 0.4, 0.35, 0.8]), [false, false, true, true])).toBe(0.75);
  });

  it('equals the pairwise definition, ties included', () => {
    fc.assert(fc.property(scoredLabels, ({ scores, labels }) => {
      expect(auroc(scores, labels)).toBeCloseTo(pairwiseAuroc(scores, labels), 12);
    }));
  });

  it('AUROC(s) + AUROC(-s) = 1 without ties', () => {
    fc.assert(fc.property(tieFree, ({ scores, labels }) => {
      expect(auroc(scores, labels) + auroc(scores.map((s) => -s), labels)).toBeCloseTo(1, 12);
    }));
  });

  it('is unchanged by a strictly increasing transform of the scores', () => {
    fc.assert(fc.property(scoredLabels, ({ scores, labels }) => {
      const transformed = scores.map((s) => Math.exp(s / 2) + s ** 3);
      expect(auroc(transformed, labels)).toBe(auroc(scores, labels));
    }));
  });

  it('refuses one-class labels, mismatched lengths, bad labels and NaN scores', () => {
    expect(() => auroc([1, 2], [1, 1])).toThrow(/needs both classes, got 2 positives and 0 negatives/);
    expect(() => auroc([1, 2, 3], [1, 0])).toThrow(/3 scores but 2 labels/);
    expect(() => auroc([1, 2], [1, 2])).toThrow(/label 1 is 2, expected 0, 1, true or false/);
    expect(() => auroc([1, NaN], [1, 0])).toThrow(/score 1 is NaN/);
  });
});

describe('averagePrecision', () => {
  it('matches a hand computation', () => {
    // Ranked: 0.9 (pos) P=1 R=1/3; 0.8 (neg); 0.7 (pos) P=2/3 R=2/3; 0.4 (neg); 0.3 (pos) P=3/5 R=1.
    const expected = (1 / 3) * 1 + (1 / 3) * (2 / 3) + (1 / 3) * (3 / 5);
    expect(averagePrecision([0.3, 0.9, 0.4, 0.7, 0.8], [1, 1, 0, 1, 0])).toBeCloseTo(expected, 15);
  });

  it('enters tied scores together: all equal gives the positive fraction', () => {
    expect(averagePrecision([1, 1, 1, 1], [1, 0, 0, 0])).toBe(0.25);
    // 0.9 (pos) P=1 R=½; then 0.5 tie of one pos and one neg: P=2/3, R=1.
    expect(averagePrecision([0.9, 0.5, 0.5], [1, 1, 0])).toBeCloseTo(0.5 + 0.5 * (2 / 3), 15);
  });

  it('is 1 for a perfect ranking and lies in (0, 1]', () => {
    expect(averagePrecision([5, 4, 1, 0], [1, 1, 0, 0])).toBe(1);
    fc.assert(fc.property(scoredLabels, ({ scores, labels }) => {
      const ap = averagePrecision(scores, labels);
      expect(ap).toBeGreaterThan(0);
      expect(ap).toBeLessThanOrEqual(1 + 1e-12);
    }));
  });

  it('refuses labels without a positive', () => {
    expect(() => averagePrecision([1, 2], [0, 0])).toThrow(/needs at least one positive/);
  });
});

describe('confusionSummary and precisionRecallF1', () => {
  it('counts score > threshold as positive', () => {
    const c = confusionSummary([0.2, 0.5, 0.6, 0.9, 0.1], [0, 1, 1, 0, 1], 0.5);
    expect(c).toMatchObject({ truePositives: 1, falsePositives: 1, trueNegatives: 1, falseNegatives: 2, threshold: 0.5 });
    expect(c.precision).toBe(0.5);
    expect(c.recall).toBeCloseTo(1 / 3, 15);
    expect(c.f1).toBeCloseTo((2 * 0.5 * (1 / 3)) / (0.5 + 1 / 3), 15);
    expect(c.falsePositiveRate).toBe(0.5);
    expect(c.accuracy).toBe(0.4);
  });

  it('gives 0, not NaN, when nothing is flagged', () => {
    const { precision, recall, f1 } = precisionRecallF1([0.1, 0.2], [1, 0], 1);
    expect([precision, recall, f1]).toEqual([0, 0, 0]);
  });

  it('refuses a NaN threshold', () => {
    expect(() => confusionSummary([1], [1], NaN)).toThrow(/threshold is NaN/);
  });
});

describe('bestF1Threshold', () => {
  it('cuts halfway between the scores that separate the classes', () => {
    const best = bestF1Threshold([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
    expect(best.threshold).toBeCloseTo(0.5, 15);
    expect(best.f1).toBe(1);
  });

  it('finds the F1 maximum of every cut, and its summary is the summary at its threshold', () => {
    fc.assert(fc.property(scoredLabels, ({ scores, labels }) => {
      const best = bestF1Threshold(scores, labels);
      const cuts = [...new Set(scores)].map((s) => s - 0.5).concat([-Infinity]);
      const bestByBruteForce = Math.max(...cuts.map((t) => confusionSummary(scores, labels, t).f1));
      expect(best.f1).toBeCloseTo(bestByBruteForce, 12);
      expect(confusionSummary(scores, labels, best.threshold)).toEqual(best);
    }));
  });
});

describe('percentileThreshold', () => {
  it('interpolates linearly between order statistics (NumPy\'s default)', () => {
    expect(percentileThreshold([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentileThreshold([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 12);
    expect(percentileThreshold([1, 2, 3, 4], 0)).toBe(1);
    expect(percentileThreshold([1, 2, 3, 4], 100)).toBe(4);
    expect(percentileThreshold([7], 95)).toBe(7);
  });

  it('flags at most (100 - q)% of the scores it was fitted on', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 100 }), (s, q) => {
      const t = percentileThreshold(s, q);
      expect(s.filter((v) => v > t).length).toBeLessThanOrEqual(Math.ceil(((100 - q) / 100) * s.length));
    }));
  });

  it('refuses q outside [0, 100] and empty scores', () => {
    expect(() => percentileThreshold([1], 101)).toThrow(/q must be in \[0, 100\], got 101/);
    expect(() => percentileThreshold([], 50)).toThrow(/no scores/);
  });
});

describe('psnr', () => {
  it('is 10 log10(max² / MSE) on known images', () => {
    // MSE 0.01 -> 20 dB.
    const f64 = { dtype: 'float64' } as const;
    expect(psnr(tensor([0, 0, 0, 0], [4], f64), tensor([0.1, -0.1, 0.1, -0.1], [4], f64))).toBeCloseTo(20, 12);
    // One pixel of four off by 1: MSE 0.25 -> 10 log10(4) = 6.0206 dB.
    expect(psnr(tensor([1, 0, 0, 0], [2, 2]), tensor([0, 0, 0, 0], [2, 2]))).toBeCloseTo(10 * Math.log10(4), 12);
    // Byte images: 255² / 25.
    expect(psnr(tensor([100, 200], [2], { dtype: 'float64' }), tensor([105, 195], [2], { dtype: 'float64' }), 255)).toBeCloseTo(10 * Math.log10((255 * 255) / 25), 12);
  });

  it('is Infinity for identical images and names mismatched shapes', () => {
    expect(psnr(tensor([0.3, 0.4]), tensor([0.3, 0.4]))).toBe(Infinity);
    expect(() => psnr(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/differ in shape: \[2\] vs \[3\]/);
  });
});

describe('ssim', () => {
  const K = { c1: 0.01 ** 2, c2: 0.03 ** 2 };
  const grid = (h: number, w: number, f: (i: number, j: number) => number) =>
    tensor(Float64Array.from({ length: h * w }, (_, k) => f(Math.floor(k / w), k % w)), [h, w]);

  it('is 1 for identical images, single or batched', () => {
    const a = grid(14, 12, (i, j) => ((i * 3 + j * j) % 7) / 6);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
    const batch = tensor(Float32Array.from({ length: 2 * 28 * 28 }, (_, k) => (k % 17) / 16), [2, 28, 28, 1]);
    expect(ssim(batch, batch)).toBeCloseTo(1, 6);
  });

  it('reduces to the luminance term on constant images', () => {
    // σ = 0 everywhere: SSIM = (2·0.5·0.25 + C1) / (0.5² + 0.25² + C1), whatever the window.
    const expected = (2 * 0.5 * 0.25 + K.c1) / (0.25 + 0.0625 + K.c1);
    expect(ssim(grid(11, 11, () => 0.5), grid(11, 11, () => 0.25))).toBeCloseTo(expected, 12);
  });

  it('matches the closed form on an 11x11 checkerboard against its inverse (one window)', () => {
    // The centre (5, 5) is black (0). Under the separable Gaussian g, the mean is the weight on
    // odd-parity pixels, 2·E·O with E, O the 1-D weights at even and odd offsets; a 0/1 image has
    // variance μ - μ²; the inverse has mean 1 - μ, the same variance, and covariance -σ².
    const g = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 ** 2)));
    const total = g.reduce((s, v) => s + v, 0);
    const even = g.filter((_, i) => i % 2 === 1).reduce((s, v) => s + v, 0) / total;
    const odd = 1 - even;
    const mu = 2 * even * odd;
    const variance = mu - mu * mu;
    const expected = ((2 * mu * (1 - mu) + K.c1) * (-2 * variance + K.c2)) / ((mu * mu + (1 - mu) ** 2 + K.c1) * (2 * variance + K.c2));
    const board = grid(11, 11, (i, j) => (i + j) % 2);
    expect(ssim(board, grid(11, 11, (i, j) => 1 - ((i + j) % 2)))).toBeCloseTo(expected, 12);
    // An independent SciPy computation (correlate2d 'valid' with the same window) gives -0.9964064683569568.
    expect(expected).toBeCloseTo(-0.9964064683569568, 12);
  });

  it('matches an independent SciPy computation on a 12x13 pair (several windows)', () => {
    // scipy.signal.correlate2d(·, outer(g, g), 'valid') moments; the value printed was 0.21075876029045937.
    const a = grid(12, 13, (i, j) => ((i * 7 + j * 3) % 11) / 10);
    const b = grid(12, 13, (i, j) => ((i * 5 + j * 2) % 13) / 12);
    expect(ssim(a, b)).toBeCloseTo(0.21075876029045937, 12);
    expect(ssim(b, a)).toBeCloseTo(ssim(a, b), 14);
  });

  it('averages over images and reads flattened rows with imageShape', () => {
    const a = grid(11, 11, () => 0.5);
    const b = grid(11, 11, () => 0.25);
    const pair = (x: number[], y: number[]) => ssim(tensor(x, [2, 121]), tensor(y, [2, 121]), { imageShape: [11, 11] });
    const mixed = pair([...a.values, ...a.values], [...a.values, ...b.values]);
    expect(mixed).toBeCloseTo((1 + ssim(a, b)) / 2, 12);
  });

  it('names a layout it cannot read and images smaller than the window', () => {
    expect(() => ssim(tensor(new Float32Array(8 * 12 * 12), [8, 12, 12]), tensor(new Float32Array(8 * 12 * 12), [8, 12, 12]))).toThrow(/pass imageShape/);
    expect(() => ssim(grid(10, 12, () => 0), grid(10, 12, () => 0))).toThrow(/at least 11x11, got 10x12/);
    expect(() => ssim(tensor(new Float32Array(10), [2, 5]), tensor(new Float32Array(10), [2, 5]), { imageShape: [11, 11] })).toThrow(/do not split into images/);
  });
});

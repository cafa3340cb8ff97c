import {
  checkMarks,
  escapeXml,
  frame,
  niceTicks,
  PALETTE,
  plotArea,
  px,
  renderRules,
  scaler,
  type FrameOptions,
  type Rule,
} from './svg.js';

/** One distribution of a {@link histogram}. */
export interface HistogramGroup {
  /** Shown in the legend. */
  name: string;
  /** The samples; every one must be finite. */
  values: ArrayLike<number>;
  /** A CSS colour. Default: the palette colour of the group's position. */
  color?: string;
}

/** Options for {@link histogram}. */
export interface HistogramOptions {
  title?: string;
  xLabel?: string;
  /** Default "count", or "density" with `density`. */
  yLabel?: string;
  /** Number of bins, shared by all groups. Default 40. */
  bins?: number;
  /**
   * Scale each group so its bars' area is 1, so groups of very different sizes
   * (9,000 normal digits and 1,000 anomalies) can be compared. Default false (counts).
   */
  density?: boolean;
  /** Vertical dashed lines at x values (a decision threshold). The x axis widens to show them. */
  rules?: readonly Rule[];
  /** Pixels. Default 640. */
  width?: number;
  /** Pixels. Default 400. */
  height?: number;
}

/**
 * Draws the distributions of one or more groups of numbers as overlaid,
 * translucent histograms on shared bins, as a standalone SVG document: say,
 * the anomaly scores of normal and anomalous samples with the threshold.
 *
 * @param groups - The distributions, at least one with at least one value.
 * @param options - Bins, density scaling, threshold lines, labels and size.
 * @returns The SVG text.
 * @throws {RangeError} naming the group and index of a NaN or infinite value, or a bad bin count.
 * @example
 * ```ts
 * const svg = histogram(
 *   [{ name: 'normal', values: normalScores }, { name: 'anomalous', values: anomalyScores }],
 *   { title: 'Reconstruction error', xLabel: 'MSE', density: true, rules: [{ at: threshold, label: 'threshold' }] },
 * );
 * ```
 */
export function histogram(groups: readonly HistogramGroup[], options: HistogramOptions = {}): string {
  if (groups.length === 0) throw new RangeError('histogram: expected at least one group, got none');
  const bins = options.bins ?? 40;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
  const rules = options.rules ?? [];
  checkMarks('histogram', rules);
  let min = Infinity;
  let max = -Infinity;
  groups.forEach((group, g) => {
    if (group.values.length === 0) throw new RangeError(`histogram: group '${group.name}' (${g}) has no values`);
    for (let i = 0; i < group.values.length; i++) {
      const v = group.values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(`histogram: group '${group.name}' (${g}) has ${v} at index ${i}; every value must be a finite number`);
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  });
  // Bins span the data exactly; a single value gets a unit-wide bin range.
  const lo = min === max ? min - 0.5 : min;
  const hi = min === max ? max + 0.5 : max;
  const width = (hi - lo) / bins;
  const density = options.density ?? false;
  const heights = groups.map((group) => {
    const counts = new Float64Array(bins);
    for (let i = 0; i < group.values.length; i++) counts[Math.min(bins - 1, Math.floor((group.values[i] - lo) / width))]++;
    if (density) for (let b = 0; b < bins; b++) counts[b] /= group.values.length * width;
    return counts;
  });
  let top = 0;
  for (const h of heights) for (const v of h) top = Math.max(top, v);
  const ruleValues = rules.map((r) => r.at);
  const frameOptions: FrameOptions = {
    width: options.width ?? 640,
    height: options.height ?? 400,
    title: options.title,
    xLabel: options.xLabel,
    yLabel: options.yLabel ?? (density ? 'density' : 'count'),
    legend: groups.map((group, g) => ({ name: group.name, color: group.color ?? PALETTE[g % PALETTE.length], dot: true })),
  };
  const area = plotArea(frameOptions);
  const xAxis = niceTicks(Math.min(lo, ...ruleValues), Math.max(hi, ...ruleValues), 6);
  const yAxis = niceTicks(0, top, 5);
  const sx = scaler(xAxis, area.left, area.right);
  const sy = scaler(yAxis, area.bottom, area.top);
  const shapes = heights.map((h, g) => {
    // One closed outline per group: up and across each bin, back down to the axis.
    let d = `M${px(sx(lo))} ${px(sy(0))}`;
    for (let b = 0; b < bins; b++) d += `V${px(sy(h[b]))}H${px(sx(lo + (b + 1) * width))}`;
    d += `V${px(sy(0))}Z`;
    const color = escapeXml(frameOptions.legend[g].color);
    return `<path d="${d}" fill="${color}" fill-opacity="0.35" stroke="${color}" stroke-width="1.2"/>`;
  });
  const body = [...shapes, renderRules(rules, sx, area, true)].filter((part) => part !== '').join('\n');
  return frame(frameOptions, area, xAxis, yAxis, body);
}

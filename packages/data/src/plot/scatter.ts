import { formatShape, type Tensor } from '@aekit/core';
import { frame, niceTicks, PALETTE, plotArea, px, scaler, type FrameOptions } from './svg.js';

/** Options for {@link scatterPlot}. */
export interface ScatterPlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /**
   * The legend: `true` (default when there are labels) names classes by their
   * number, an array names class `k` by `legend[k]`, `false` hides it.
   */
  legend?: boolean | readonly string[];
  /** Dot radius in pixels. Default 1.5 (10,000 points stay legible). */
  radius?: number;
  /** Dot opacity, so classes drawn underneath show through. Default 0.6. */
  opacity?: number;
  /** Pixels. Default 640. */
  width?: number;
  /** Pixels. Default 520. */
  height?: number;
}

/**
 * Draws 2-D points as a standalone SVG document (a string), coloured by class
 * with a 10-colour categorical palette: a latent map of MNIST digits, say.
 *
 * The file stays small for many points: coordinates are rounded to 0.1 px and
 * each class is one `<path>` whose points are zero-length segments drawn with
 * round caps (a dot each, about 14 bytes a point, so 10,000 points make about
 * 150 kB). Classes are drawn in order, so a higher class sits on top where
 * they overlap.
 *
 * @param points - `[n, 2]`: x and y of each point.
 * @param labels - Each point's class, an integer 0–9; omit for one colour.
 * @param options - Title, axis labels, legend names, dot size, size.
 * @returns The SVG text.
 * @throws {RangeError} naming the point of a NaN or infinite coordinate or a label outside 0–9, or a shape mismatch.
 * @example
 * ```ts
 * const codes = encoder.predict(test.images);          // [10000, 2]
 * const svg = scatterPlot(codes, test.labels, { title: 'Latent space', xLabel: 'z₁', yLabel: 'z₂' });
 * ```
 */
export function scatterPlot(points: Tensor, labels?: ArrayLike<number>, options: ScatterPlotOptions = {}): string {
  if (points.rank !== 2 || points.shape[1] !== 2) {
    throw new RangeError(`scatterPlot: expected points shaped [n, 2], got ${formatShape(points.shape)}`);
  }
  const n = points.shape[0];
  if (n === 0) throw new RangeError('scatterPlot: expected at least one point, got none');
  if (labels && labels.length !== n) throw new RangeError(`scatterPlot: ${labels.length} labels for ${n} points`);
  const v = points.values;
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  const present = new Set<number>();
  for (let i = 0; i < n; i++) {
    const x = v[2 * i];
    const y = v[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new RangeError(`scatterPlot: point ${i} is (${x}, ${y}); every coordinate must be a finite number`);
    }
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
    const label = labels ? labels[i] : 0;
    if (!Number.isInteger(label) || label < 0 || label >= PALETTE.length) {
      throw new RangeError(`scatterPlot: point ${i} has label ${label}; labels must be integers 0–${PALETTE.length - 1}`);
    }
    present.add(label);
  }
  const classes = [...present].sort((a, b) => a - b);
  const names = Array.isArray(options.legend) ? options.legend : undefined;
  if (names && names.length < classes[classes.length - 1] + 1) {
    throw new RangeError(`scatterPlot: legend names ${names.length} classes, but the labels go up to ${classes[classes.length - 1]}`);
  }
  const showLegend = labels !== undefined && options.legend !== false;
  const frameOptions: FrameOptions = {
    width: options.width ?? 640,
    height: options.height ?? 520,
    title: options.title,
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    legend: showLegend ? classes.map((k) => ({ name: names ? names[k] : String(k), color: PALETTE[k], dot: true })) : [],
  };
  const area = plotArea(frameOptions);
  const xAxis = niceTicks(xMin, xMax, 6);
  const yAxis = niceTicks(yMin, yMax, 6);
  const sx = scaler(xAxis, area.left, area.right);
  const sy = scaler(yAxis, area.bottom, area.top);
  const paths = new Map<number, string[]>(classes.map((k) => [k, []]));
  for (let i = 0; i < n; i++) {
    (paths.get(labels ? labels[i] : 0) as string[]).push(`M${px(sx(v[2 * i]))} ${px(sy(v[2 * i + 1]))}h0`);
  }
  const radius = options.radius ?? 1.5;
  const opacity = options.opacity ?? 0.6;
  if (!(radius > 0 && Number.isFinite(radius))) throw new RangeError(`scatterPlot: radius must be a positive number, got ${radius}`);
  if (!(opacity > 0 && opacity <= 1)) throw new RangeError(`scatterPlot: opacity must be in (0, 1], got ${opacity}`);
  const body = `<g fill="none" stroke-linecap="round" stroke-width="${px(2 * radius)}" stroke-opacity="${opacity}">\n${classes
    .map((k) => `<path stroke="${PALETTE[k]}" d="${(paths.get(k) as string[]).join('')}"/>`)
    .join('\n')}\n</g>`;
  return frame(frameOptions, area, xAxis, yAxis, body);
}

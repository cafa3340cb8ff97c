import {
  checkMarks,
  escapeXml,
  frame,
  logTicks,
  niceTicks,
  PALETTE,
  plotArea,
  px,
  renderBands,
  renderRules,
  scaler,
  type Band,
  type FrameOptions,
  type Rule,
} from './svg.js';

/** One line of a {@link lineChart}. */
export interface LineSeries {
  /** Shown in the legend. */
  name: string;
  /** The y values; every one must be a finite number (and positive on a log scale). */
  values: ArrayLike<number>;
  /** The x values, as many as `values`. Default `0, 1, 2, …`. */
  x?: ArrayLike<number>;
  /** Draw dashed (e.g. the validation half of a pair). */
  dashed?: boolean;
  /** A CSS colour. Default: the palette colour of the series' position. */
  color?: string;
}

/** Options for {@link lineChart}. */
export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** A base-10 log scale for y. Default false. */
  logY?: boolean;
  /** Only whole-number x ticks (for epochs or steps). Default false. */
  integerX?: boolean;
  /** Horizontal dashed lines at y values (a threshold). The y axis widens to show them. */
  rules?: readonly Rule[];
  /** Shaded x ranges behind the lines (faults, labelled anomalies). The x axis widens to show them. */
  bands?: readonly Band[];
  /** Pixels. Default 640. */
  width?: number;
  /** Pixels. Default 400. */
  height?: number;
}

/** Series of at most this many points get a dot on each point, so short runs (a few epochs) stay readable. */
const MARKED_POINTS = 40;

/**
 * Draws line series as a standalone SVG document (a string): axes with round
 * ticks, a light grid, a legend, optional log scale for y.
 *
 * @param series - The lines to draw, at least one, each with at least one point.
 * @param options - Title, axis labels, log scale and size.
 * @returns The SVG text (inline it in HTML, or save it as a `.svg` file).
 * @throws {RangeError} naming the series and index of a NaN, infinite or (on a log scale) non-positive value, or of a length mismatch.
 * @example
 * ```ts
 * const svg = lineChart(
 *   [{ name: 'loss', values: [0.9, 0.5, 0.4] }, { name: 'val_loss', values: [0.95, 0.6, 0.5], dashed: true }],
 *   { title: 'Training', xLabel: 'epoch', yLabel: 'loss' },
 * );
 * ```
 */
export function lineChart(series: readonly LineSeries[], options: LineChartOptions = {}): string {
  if (series.length === 0) throw new RangeError('lineChart: expected at least one series, got none');
  const logY = options.logY ?? false;
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  const points = series.map((s, k) => {
    const where = `lineChart: series '${s.name}' (${k})`;
    if (s.values.length === 0) throw new RangeError(`${where} has no values`);
    if (s.x && s.x.length !== s.values.length) throw new RangeError(`${where} has ${s.values.length} values but ${s.x.length} x values`);
    return Array.from(s.values, (y, i): [number, number] => {
      const x = s.x ? s.x[i] : i;
      if (typeof y !== 'number' || !Number.isFinite(y)) throw new RangeError(`${where} has ${y} at index ${i}; every value must be a finite number`);
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${where} has x ${x} at index ${i}; every x must be a finite number`);
      if (logY && y <= 0) throw new RangeError(`${where} has ${y} at index ${i}; a log scale needs values > 0`);
      xMin = Math.min(xMin, x);
      xMax = Math.max(xMax, x);
      yMin = Math.min(yMin, y);
      yMax = Math.max(yMax, y);
      return [x, y];
    });
  });
  const rules = options.rules ?? [];
  const bands = options.bands ?? [];
  checkMarks('lineChart', rules, bands, logY);
  for (const rule of rules) {
    yMin = Math.min(yMin, rule.at);
    yMax = Math.max(yMax, rule.at);
  }
  for (const band of bands) {
    xMin = Math.min(xMin, band.from);
    xMax = Math.max(xMax, band.to);
  }
  const frameOptions: FrameOptions = {
    width: options.width ?? 640,
    height: options.height ?? 400,
    title: options.title,
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    legend: series.map((s, k) => ({ name: s.name, color: s.color ?? PALETTE[k % PALETTE.length], dashed: s.dashed })),
  };
  const area = plotArea(frameOptions);
  const xAxis = niceTicks(xMin, xMax, Math.max(2, Math.min(8, Math.round((area.right - area.left) / 80))), options.integerX ?? false);
  const yAxis = logY ? logTicks(yMin, yMax) : niceTicks(yMin, yMax, 6);
  const sx = scaler(xAxis, area.left, area.right);
  const sy = scaler(yAxis, area.bottom, area.top);
  const lines = points
    .map((pts, k) => {
      const color = escapeXml(frameOptions.legend[k].color);
      const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(sx(x))} ${px(sy(y))}`).join('');
      const line = `<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${series[k].dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
      const dots =
        pts.length <= MARKED_POINTS
          ? `<g fill="${color}">${pts.map(([x, y]) => `<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="2.5"/>`).join('')}</g>`
          : '';
      return line + dots;
    })
    .join('\n');
  const body = [renderBands(bands, sx, area), lines, renderRules(rules, sy, area, false)].filter((part) => part !== '').join('\n');
  return frame(frameOptions, area, xAxis, yAxis, body);
}

/** Options for {@link lossCurves}: those of {@link lineChart}, with `logY` chosen for you by default. */
export type LossCurvesOptions = LineChartOptions;

/**
 * Loss curves from a training history (`history.history` of `fit`): every
 * logged term, x = epoch 1, 2, …. Each validation term `val_x` is drawn dashed
 * in the same colour as its training term `x`.
 *
 * `logY` defaults to true when every value is positive and they span a factor
 * of 100 or more (terms of different sizes, like a reconstruction loss and a
 * KL term, then stay readable); pass it to choose.
 *
 * @param history - Each term's values by epoch, e.g. `{ loss: [...], val_loss: [...], kl: [...] }`.
 * @param options - As for {@link lineChart}; defaults: title "Loss", x label "epoch", whole-number x ticks.
 * @throws {RangeError} for an empty history, or (from {@link lineChart}) a NaN or null value, naming the term and epoch index.
 * @example
 * ```ts
 * const history = await model.fit(x, x, { epochs: 10, validationSplit: 0.1 });
 * await writeFileAtomic('runs/a/loss.svg', lossCurves(history.history));
 * ```
 */
export function lossCurves(history: Readonly<Record<string, ArrayLike<number | null>>>, options: LossCurvesOptions = {}): string {
  const terms = Object.keys(history);
  if (terms.length === 0) throw new RangeError('lossCurves: the history has no terms');
  const base = (term: string) => (term.startsWith('val_') ? term.slice(4) : term);
  // Each training term, then its validation twin; an unpaired val_ term keeps its own place.
  const families = [...new Set(terms.map((t) => (history[base(t)] !== undefined ? base(t) : t)))];
  const series: LineSeries[] = [];
  families.forEach((family, k) => {
    const color = PALETTE[k % PALETTE.length];
    for (const term of [family, `val_${family}`]) {
      const values = history[term];
      if (values === undefined) continue;
      series.push({
        name: term,
        values: values as ArrayLike<number>,
        x: Array.from({ length: values.length }, (_, i) => i + 1),
        dashed: term.startsWith('val_'),
        color,
      });
    }
  });
  const all = series.flatMap((s) => Array.from(s.values));
  const positive = all.every((v) => typeof v === 'number' && v > 0);
  const logY = options.logY ?? (positive && Math.max(...all) >= 100 * Math.min(...all));
  return lineChart(series, { title: 'Loss', xLabel: 'epoch', integerX: true, ...options, logY });
}

/**
 * Shared pieces of the SVG charts: escaping, number formatting, nice axis
 * ticks, and the frame (title, axes, grid, legend) around a plot area.
 */

/** Text safe inside XML/HTML content and quoted attributes; characters XML forbids become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A pixel coordinate rounded to 0.1 px: finer is invisible and only makes the file bigger. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** An axis: its domain, tick values and labels, and the map from data to pixels. */
export interface Axis {
  /** The (widened, rounded) data range the axis shows. */
  domain: [number, number];
  ticks: number[];
  labels: string[];
  log: boolean;
}

/**
 * Ticks at round numbers (1, 2 or 5 times a power of ten) for a linear axis,
 * about `target` of them, with the domain widened to the ticks just outside
 * `[min, max]`. A single value gets a unit-wide (or ±10%) range around it.
 * With `integers`, the step is at least 1 (for counts such as epochs).
 *
 * @example
 * ```ts
 * niceTicks(0.13, 0.87); // { domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], ... }
 * ```
 */
export function niceTicks(min: number, max: number, target = 5, integers = false): Axis {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new RangeError(`niceTicks: expected finite min ≤ max, got ${min} and ${max}`);
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  // Whole-number axes (epochs) never step by less than 1.
  const step = Math.max(integers ? 1 : 0, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) as number);
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  // Tick values as k·step, rounded to the step's decimals so 0.1·3 prints as 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks = Array.from({ length: last - first + 1 }, (_, k) => Number(((first + k) * step).toFixed(Math.min(decimals, 20))));
  const big = Math.max(Math.abs(ticks[0]), Math.abs(ticks[ticks.length - 1]));
  const labels = ticks.map((t) => (big >= 1e6 || decimals > 5 ? formatExponent(t) : t.toFixed(decimals)));
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks, labels, log: false };
}

/**
 * Ticks for a base-10 log axis over positive `[min, max]`: the domain widened
 * to whole decades, a tick at each power of ten (every second or third one
 * beyond eight decades), and at 2 and 5 times them over three decades or fewer.
 *
 * @example
 * ```ts
 * logTicks(0.02, 0.08); // { domain: [0.01, 0.1], ticks: [0.01, 0.02, 0.05, 0.1], ... }
 * ```
 */
export function logTicks(min: number, max: number): Axis {
  if (!(min > 0 && Number.isFinite(max) && min <= max)) {
    throw new RangeError(`logTicks: expected 0 < min ≤ max, got ${min} and ${max}`);
  }
  let low = Math.floor(Math.log10(min) + 1e-9);
  let high = Math.ceil(Math.log10(max) - 1e-9);
  if (high === low) high++;
  const decades = high - low;
  // Many decades: label every second or third power only.
  const every = Math.max(1, Math.ceil(decades / 8));
  low = Math.floor(low / every) * every;
  high = Math.ceil(high / every) * every;
  const ticks: number[] = [];
  for (let e = low; e <= high; e += every) {
    for (const m of decades <= 3 ? [1, 2, 5] : [1]) {
      const value = Number(`${m}e${e}`);
      if (e === high && m > 1) break;
      ticks.push(value);
    }
  }
  const labels = ticks.map((t) => (t >= 1e-3 && t < 1e5 ? String(t) : formatExponent(t)));
  return { domain: [Number(`1e${low}`), Number(`1e${high}`)], ticks, labels, log: true };
}

function formatExponent(value: number): string {
  if (value === 0) return '0';
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${Number(Number(mantissa).toPrecision(3))}e${Number(exponent)}`;
}

/** Maps a data value onto `[from, to]` pixels along an axis. */
export function scaler(axis: Axis, from: number, to: number): (value: number) => number {
  const f = axis.log ? Math.log10 : (v: number) => v;
  const lo = f(axis.domain[0]);
  const span = f(axis.domain[1]) - lo;
  return (value) => from + ((f(value) - lo) / span) * (to - from);
}

/** The ten colours of the categorical palette (Tableau 10, matplotlib's `tab10`): class `k` gets `PALETTE[k]`. */
export const PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** Sizes and labels of a chart's frame. */
export interface FrameOptions {
  width: number;
  height: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  legend: { name: string; color: string; dashed?: boolean; dot?: boolean }[];
}

/** The plot area inside a frame, in pixels. */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Rough width of text at 12 px, for laying out the legend without measuring fonts. */
const textWidth = (text: string): number => 7 * text.length;

/** Where the plot area goes for these options (room for the title, labels and legend). */
export function plotArea(options: FrameOptions): PlotArea {
  const legendWidth = options.legend.length > 0 ? Math.min(220, 40 + Math.max(...options.legend.map((l) => textWidth(l.name)))) : 0;
  return {
    left: options.yLabel ? 72 : 56,
    top: options.title ? 40 : 16,
    right: options.width - 16 - legendWidth,
    bottom: options.height - (options.xLabel ? 48 : 32),
  };
}

/**
 * The SVG document around a plot: background, title, grid, ticks, axis
 * labels, legend, then `body` (the marks). Nothing is clipped: the axes'
 * domains are widened to hold every mark.
 */
export function frame(options: FrameOptions, area: PlotArea, x: Axis, y: Axis, body: string): string {
  const { width, height, title, xLabel, yLabel, legend } = options;
  const sx = scaler(x, area.left, area.right);
  const sy = scaler(y, area.bottom, area.top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img">`,
  ];
  if (title) out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  if (title) out.push(`<text x="${px((area.left + area.right) / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(title)}</text>`);
  // Grid and ticks.
  const grid: string[] = [];
  const text: string[] = [];
  x.ticks.forEach((t, i) => {
    const p = px(sx(t));
    grid.push(`M${p} ${area.top}V${area.bottom}`);
    text.push(`<text x="${p}" y="${area.bottom + 16}" text-anchor="middle">${escapeXml(x.labels[i])}</text>`);
  });
  y.ticks.forEach((t, i) => {
    const p = px(sy(t));
    grid.push(`M${area.left} ${p}H${area.right}`);
    text.push(`<text x="${area.left - 6}" y="${p}" text-anchor="end" dominant-baseline="middle">${escapeXml(y.labels[i])}</text>`);
  });
  out.push(`<path d="${grid.join('')}" stroke="#e5e5e5" fill="none"/>`);
  out.push(`<rect x="${area.left}" y="${area.top}" width="${px(area.right - area.left)}" height="${px(area.bottom - area.top)}" fill="none" stroke="#888"/>`);
  out.push(`<g fill="#333">${text.join('')}</g>`);
  if (xLabel) out.push(`<text x="${px((area.left + area.right) / 2)}" y="${height - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  if (yLabel) {
    const cy = px((area.top + area.bottom) / 2);
    out.push(`<text transform="translate(16 ${cy}) rotate(-90)" text-anchor="middle" dominant-baseline="middle">${escapeXml(yLabel)}</text>`);
  }
  out.push(body);
  legend.forEach((entry, i) => {
    const lx = area.right + 16;
    const ly = area.top + 8 + i * 18;
    const mark = entry.dot
      ? `<circle cx="${lx + 10}" cy="${ly}" r="4" fill="${entry.color}"/>`
      : `<path d="M${lx} ${ly}h20" stroke="${entry.color}" stroke-width="2"${entry.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    out.push(`${mark}<text x="${lx + 26}" y="${ly}" dominant-baseline="middle">${escapeXml(entry.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** A labelled line across the plot area at one value: a threshold, a mean. */
export interface Rule {
  /** Where, in data units. */
  at: number;
  /** Shown at the line's end. */
  label?: string;
  /** A CSS colour. Default a dark grey. */
  color?: string;
}

/** A shaded range of x: a fault, a phase of training. */
export interface Band {
  from: number;
  to: number;
  /** Shown at the band's top. */
  label?: string;
  /** A CSS colour. Default a light red. */
  color?: string;
}

/** Checks rules and bands are finite (and inside a log axis), naming the chart and item. */
export function checkMarks(where: string, rules: readonly Rule[], bands: readonly Band[] = [], logY = false): void {
  rules.forEach((rule, i) => {
    if (!Number.isFinite(rule.at) || (logY && rule.at <= 0)) {
      throw new RangeError(`${where}: rule ${i}${rule.label ? ` ('${rule.label}')` : ''} is at ${rule.at}; expected a finite number${logY ? ' > 0 on a log scale' : ''}`);
    }
  });
  bands.forEach((band, i) => {
    if (!Number.isFinite(band.from) || !Number.isFinite(band.to) || band.from > band.to) {
      throw new RangeError(`${where}: band ${i}${band.label ? ` ('${band.label}')` : ''} runs from ${band.from} to ${band.to}; expected finite from ≤ to`);
    }
  });
}

/** Dashed vertical (`vertical`) or horizontal rules, drawn at pixel positions `map(at)`, with labels. */
export function renderRules(rules: readonly Rule[], map: (value: number) => number, area: PlotArea, vertical: boolean): string {
  return rules
    .map((rule) => {
      const p = px(map(rule.at));
      const color = escapeXml(rule.color ?? '#444');
      const line = vertical ? `M${p} ${area.top}V${area.bottom}` : `M${area.left} ${p}H${area.right}`;
      const label = rule.label
        ? vertical
          ? `<text x="${px(map(rule.at) + 4)}" y="${area.top + 14}" fill="${color}">${escapeXml(rule.label)}</text>`
          : `<text x="${area.right - 4}" y="${px(map(rule.at) - 4)}" text-anchor="end" fill="${color}">${escapeXml(rule.label)}</text>`
        : '';
      return `<path d="${line}" stroke="${color}" stroke-width="1.5" stroke-dasharray="4 3"/>${label}`;
    })
    .join('\n');
}

/** Shaded x ranges behind the marks, with labels at the top. */
export function renderBands(bands: readonly Band[], map: (value: number) => number, area: PlotArea): string {
  return bands
    .map((band) => {
      const a = map(band.from);
      // At least a pixel wide, so a one-step fault stays visible.
      const w = Math.max(1, map(band.to) - a);
      const color = escapeXml(band.color ?? '#d62728');
      const label = band.label ? `<text x="${px(a + w / 2)}" y="${area.top + 12}" text-anchor="middle" font-size="10" fill="${color}">${escapeXml(band.label)}</text>` : '';
      return `<rect x="${px(a)}" y="${area.top}" width="${px(w)}" height="${px(area.bottom - area.top)}" fill="${color}" fill-opacity="0.15"/>${label}`;
    })
    .join('\n');
}

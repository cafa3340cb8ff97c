import { describe, expect, it } from 'vitest';
import { lineChart, lossCurves } from '../../src/plot/line-chart.js';
import { PALETTE } from '../../src/plot/svg.js';
import { checkXml } from '../helpers/xml.js';

/** The `d` attributes of the chart's data lines (stroke-width 2, not the legend swatches). */
const lines = (svg: string) => [...svg.matchAll(/<path d="(M[^"]*)" fill="none" stroke="([^"]+)" stroke-width="2" stroke-linejoin="round"( stroke-dasharray="6 4")?\/>/g)];

describe('lineChart', () => {
  it('draws a well-formed SVG with one path per series, ticks, labels and a legend', () => {
    const svg = lineChart(
      [
        { name: 'loss', values: [0.9, 0.5, 0.4] },
        { name: 'val_loss', values: [1, 0.6, 0.5], dashed: true },
      ],
      { title: 'Training', xLabel: 'epoch', yLabel: 'loss' },
    );
    const names = checkXml(svg);
    expect(names[0]).toBe('svg');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const drawn = lines(svg);
    expect(drawn.map((m) => [m[2], m[3] !== undefined])).toEqual([
      [PALETTE[0], false],
      [PALETTE[1], true],
    ]);
    // Three points each: M then two L.
    expect(drawn[0][1].match(/[ML]/g)).toEqual(['M', 'L', 'L']);
    // y ticks 0.4 … 1.0 by 0.1 and x ticks 0, 0.5, 1, 1.5, 2 or similar round values, as text.
    for (const label of ['0.4', '0.6', '0.8', '1.0', 'Training', 'epoch', 'loss', 'val_loss']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('<title>Training</title>');
  });

  it('puts the extremes of the data at the edges of a nice domain', () => {
    // x from 0 to 10 on ticks 0…10; y from 0 to 100 on ticks 0…100: the path spans the plot area exactly.
    const svg = lineChart([{ name: 'a', values: [0, 100], x: [0, 10] }], { width: 640, height: 400 });
    const [m] = lines(svg);
    const [x0, y0, x1, y1] = m[1].match(/-?[\d.]+/g)!.map(Number);
    const frame = svg.match(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"/)!.slice(1).map(Number);
    expect([x0, y0]).toEqual([frame[0], frame[1] + frame[3]]);
    expect([x1, y1]).toEqual([frame[0] + frame[2], frame[1]]);
  });

  it('draws on a log scale when asked', () => {
    const svg = lineChart([{ name: 'kl', values: [100, 10, 1] }], { logY: true });
    for (const label of ['1', '10', '100']) expect(svg).toContain(`>${label}</text>`);
    const [m] = lines(svg);
    const ys = [...m[1].matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((g) => Number(g[1]));
    // Equal ratios are equal distances on a log scale.
    expect(ys[1] - ys[0]).toBeCloseTo(ys[2] - ys[1], 0);
  });

  it('escapes names, titles and labels', () => {
    const svg = lineChart([{ name: '<b>&"x"', values: [1, 2] }], { title: 'A & B <script>', xLabel: "it's", yLabel: '<y>' });
    checkXml(svg);
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('A &amp; B &lt;script&gt;');
    expect(svg).toContain('&lt;b&gt;&amp;&quot;x&quot;');
  });

  it('rejects NaN, infinite, null and (on a log scale) non-positive values, naming series and index', () => {
    expect(() => lineChart([{ name: 'loss', values: [1, Number.NaN] }])).toThrow(
      "lineChart: series 'loss' (0) has NaN at index 1; every value must be a finite number",
    );
    expect(() => lineChart([{ name: 'a', values: [1] }, { name: 'b', values: [Infinity] }])).toThrow("series 'b' (1) has Infinity at index 0");
    expect(() => lineChart([{ name: 'a', values: [1, null] as unknown as number[] }])).toThrow("series 'a' (0) has null at index 1");
    expect(() => lineChart([{ name: 'kl', values: [1, 0] }], { logY: true })).toThrow("series 'kl' (0) has 0 at index 1; a log scale needs values > 0");
    expect(() => lineChart([{ name: 'a', values: [1], x: [Number.NaN] }])).toThrow("series 'a' (0) has x NaN at index 0");
    expect(() => lineChart([{ name: 'a', values: [1, 2], x: [1] }])).toThrow("series 'a' (0) has 2 values but 1 x values");
    expect(() => lineChart([{ name: 'a', values: [] }])).toThrow("series 'a' (0) has no values");
    expect(() => lineChart([])).toThrow('lineChart: expected at least one series, got none');
  });

  it('shades bands behind the lines and draws rules, widening the axes to them', () => {
    const svg = lineChart([{ name: 'score', values: [1, 2, 3, 2] }], {
      bands: [{ from: 1, to: 2, label: 'spike' }, { from: 5, to: 6 }],
      rules: [{ at: 10, label: 'threshold' }],
    });
    checkXml(svg);
    const bands = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="#d62728" fill-opacity="0.15"\/>/g)];
    expect(bands).toHaveLength(2);
    // Equal data widths, equal pixel widths; the bands come before (under) the line.
    expect(bands[0][2]).toBe(bands[1][2]);
    expect(svg.indexOf('fill-opacity="0.15"')).toBeLessThan(svg.indexOf('stroke-linejoin="round"'));
    expect(svg).toContain('>spike</text>');
    expect(svg).toContain('>threshold</text>');
    expect(svg).toContain('text-anchor="end" dominant-baseline="middle">10</text>');
    expect(svg).toContain('text-anchor="middle">6</text>');
    expect(() => lineChart([{ name: 'a', values: [1] }], { bands: [{ from: 2, to: 1 }] })).toThrow('lineChart: band 0 runs from 2 to 1; expected finite from ≤ to');
    expect(() => lineChart([{ name: 'a', values: [1] }], { logY: true, rules: [{ at: 0 }] })).toThrow('lineChart: rule 0 is at 0; expected a finite number > 0 on a log scale');
  });

  it('marks each point of short series and not of long ones', () => {
    expect(lineChart([{ name: 'a', values: [1, 2, 3] }]).match(/<circle /g)).toHaveLength(3);
    expect(lineChart([{ name: 'a', values: Array.from({ length: 100 }, (_, i) => i) }])).not.toContain('<circle ');
  });
});

describe('lossCurves', () => {
  it('pairs each term with its val_ twin: same colour, dashed, x = epoch 1…n', () => {
    const svg = lossCurves({ loss: [0.5, 0.3], kl: [0.2, 0.25], val_loss: [0.6, 0.4], val_kl: [0.3, 0.3], val_extra: [1, 2] });
    checkXml(svg);
    const drawn = lines(svg);
    expect(drawn.map((m) => [m[2], m[3] !== undefined])).toEqual([
      [PALETTE[0], false],
      [PALETTE[0], true],
      [PALETTE[1], false],
      [PALETTE[1], true],
      [PALETTE[2], true],
    ]);
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('<title>Loss</title>');
    // Epochs: whole-number ticks 1 and 2, none between.
    expect(svg).toContain('text-anchor="middle">1</text>');
    expect(svg).toContain('text-anchor="middle">2</text>');
    expect(svg).not.toContain('text-anchor="middle">1.5</text>');
  });

  it('chooses a log scale for positive terms spanning 100× or more, unless told', () => {
    const wide = { loss: [100, 50], kl: [0.5, 0.4] };
    expect(lossCurves(wide)).toContain('>100</text>');
    expect(lossCurves(wide)).toContain('>0.1</text>');
    expect(lossCurves({ loss: [1, 0.5] })).toContain('>0.5</text>');
    expect(lossCurves(wide, { logY: false })).not.toContain('>0.1</text>');
  });

  it('names the term and epoch of a NaN loss, and refuses an empty history', () => {
    expect(() => lossCurves({ loss: [1, Number.NaN] })).toThrow("series 'loss' (0) has NaN at index 1");
    expect(() => lossCurves({})).toThrow('lossCurves: the history has no terms');
  });
});

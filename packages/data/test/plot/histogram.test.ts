import { describe, expect, it } from 'vitest';
import { histogram } from '../../src/plot/histogram.js';
import { PALETTE } from '../../src/plot/svg.js';
import { checkXml } from '../helpers/xml.js';

/** Each group's outline: its colour and its bars' heights in pixels above the zero line (one per bin). */
const outlines = (svg: string) =>
  [...svg.matchAll(/<path d="(M[^"]*Z)" fill="([^"]+)" fill-opacity="0.35"/g)].map((m) => {
    const zero = Number(m[1].match(/^M[\d.]+ ([\d.]+)/)![1]);
    return { color: m[2], heights: [...m[1].matchAll(/V([\d.]+)H/g)].map((v) => zero - Number(v[1])) };
  });

describe('histogram', () => {
  it('counts values into shared bins, one outline per group', () => {
    // Values 0…3 in 3 bins of width 1: [0, 1) holds 0 and 0.5, [1, 2) holds 1, [2, 3] holds 2, 3 (the last bin is closed).
    const svg = histogram(
      [
        { name: 'a', values: [0, 0.5, 1, 2, 3] },
        { name: 'b', values: [3, 3, 3] },
      ],
      { bins: 3, title: 'Scores' },
    );
    checkXml(svg);
    const [a, b] = outlines(svg);
    expect([a.color, b.color]).toEqual([PALETTE[0], PALETTE[1]]);
    // Bar heights are proportional to counts: a = 2, 1, 2; b = 0, 0, 3 against the same axis.
    expect(a.heights[0] / a.heights[1]).toBeCloseTo(2, 1);
    expect(a.heights[2]).toBeCloseTo(a.heights[0], 5);
    expect(b.heights.slice(0, 2)).toEqual([0, 0]);
    expect(b.heights[2] / a.heights[1]).toBeCloseTo(3, 1);
    expect(svg).toContain('>count</text>');
  });

  it('scales each group to unit area with density', () => {
    // 4 values over [0, 2] in 2 bins of width 1: 3 and 1 → densities 0.75 and 0.25; 1 value of 2 → [0, 1].
    const svg = histogram([{ name: 'a', values: [0, 0.2, 0.4, 2] }, { name: 'b', values: [0, 2] }], { bins: 2, density: true });
    const [a, b] = outlines(svg);
    expect(svg).toContain('>density</text>');
    // b's two bins hold 0.5 each; a's 0.75 and 0.25.
    expect(a.heights[0] / b.heights[0]).toBeCloseTo(1.5, 1);
    expect(a.heights[1] / b.heights[1]).toBeCloseTo(0.5, 1);
  });

  it('draws threshold rules with escaped labels, widening the axis to them', () => {
    const svg = histogram([{ name: 'scores', values: [0, 1, 2] }], { rules: [{ at: 10, label: 'threshold <99%>' }] });
    checkXml(svg);
    expect(svg).toContain('>threshold &lt;99%&gt;</text>');
    expect(svg).toContain('text-anchor="middle">10</text>');
  });

  it('handles a single repeated value', () => {
    const [only] = outlines(histogram([{ name: 'a', values: [5, 5, 5] }], { bins: 4 }));
    expect(only.heights).toHaveLength(4);
    expect(only.heights.filter((h) => h > 0)).toHaveLength(1);
  });

  it('rejects NaN values, empty groups, bad bins and bad rules, naming them', () => {
    expect(() => histogram([{ name: 'errors', values: [1, Number.NaN] }])).toThrow("histogram: group 'errors' (0) has NaN at index 1; every value must be a finite number");
    expect(() => histogram([{ name: 'a', values: [] }])).toThrow("group 'a' (0) has no values");
    expect(() => histogram([])).toThrow('expected at least one group, got none');
    expect(() => histogram([{ name: 'a', values: [1] }], { bins: 0 })).toThrow('bins must be a positive integer, got 0');
    expect(() => histogram([{ name: 'a', values: [1] }], { rules: [{ at: Number.NaN, label: 't' }] })).toThrow("histogram: rule 0 ('t') is at NaN; expected a finite number");
  });
});

import { tensor } from '@aekit/core';
import { Random } from '@aekit/core';
import { describe, expect, it } from 'vitest';
import { scatterPlot } from '../../src/plot/scatter.js';
import { PALETTE } from '../../src/plot/svg.js';
import { checkXml } from '../helpers/xml.js';

const dots = (svg: string) => new Map([...svg.matchAll(/<path stroke="(#[0-9a-f]{6})" d="([^"]*)"\/>/g)].map((m) => [m[1], m[2].match(/M[\d.]+ [\d.]+h0/g) ?? []]));

describe('scatterPlot', () => {
  it('draws each class in its palette colour, one dot per point, with a legend', () => {
    const points = tensor([0, 0, 1, 1, 2, 0, 3, 3, 4, 1], [5, 2]);
    const svg = scatterPlot(points, [3, 0, 3, 9, 0], { title: 'Latent map', xLabel: 'z1', yLabel: 'z2' });
    checkXml(svg);
    const byColour = dots(svg);
    expect([...byColour.keys()]).toEqual([PALETTE[0], PALETTE[3], PALETTE[9]]);
    expect([...byColour.values()].map((d) => d.length)).toEqual([2, 2, 1]);
    // Legend: the classes present, by number, with a dot each.
    for (const name of ['0', '3', '9']) expect(svg).toContain(`dominant-baseline="middle">${name}</text>`);
    expect(svg.match(/<circle /g)).toHaveLength(3);
  });

  it('uses legend names, or none, and one colour without labels', () => {
    const points = tensor([0, 0, 1, 1], [2, 2]);
    const named = scatterPlot(points, [0, 1], { legend: ['normal', 'fault <&>'] });
    checkXml(named);
    expect(named).toContain('>fault &lt;&amp;&gt;</text>');
    expect(scatterPlot(points, [0, 1], { legend: false })).not.toContain('<circle ');
    const plain = scatterPlot(points);
    expect([...dots(plain).keys()]).toEqual([PALETTE[0]]);
    expect(plain).not.toContain('<circle ');
  });

  it('maps the extremes onto the plot area (rounded to 0.1 px)', () => {
    const svg = scatterPlot(tensor([0, 0, 10, 100], [2, 2]));
    const [a, b] = [...dots(svg).values()][0].map((d) => d.match(/M([\d.]+) ([\d.]+)/)!.slice(1).map(Number));
    const frame = svg.match(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"/)!.slice(1).map(Number);
    expect(a).toEqual([frame[0], frame[1] + frame[3]]);
    expect(b).toEqual([frame[0] + frame[2], frame[1]]);
  });

  it('keeps 10,000 points to a reasonable size', () => {
    const rng = new Random(7);
    const points = tensor(Array.from({ length: 20_000 }, () => rng.normal() * 3), [10_000, 2]);
    const labels = Array.from({ length: 10_000 }, () => rng.int(10));
    const svg = scatterPlot(points, labels);
    checkXml(svg);
    expect([...dots(svg).values()].reduce((n, d) => n + d.length, 0)).toBe(10_000);
    expect(svg.length).toBeLessThan(200_000);
  });

  it('rejects NaN coordinates, bad labels and shapes, naming the point', () => {
    expect(() => scatterPlot(tensor([0, 0, Number.NaN, 1], [2, 2]))).toThrow('scatterPlot: point 1 is (NaN, 1); every coordinate must be a finite number');
    expect(() => scatterPlot(tensor([0, 0, 1, 1], [2, 2]), [0, 10])).toThrow('point 1 has label 10; labels must be integers 0–9');
    expect(() => scatterPlot(tensor([0, 0, 1, 1], [2, 2]), [0.5, 1])).toThrow('point 0 has label 0.5');
    expect(() => scatterPlot(tensor([0, 0, 1, 1], [2, 2]), [0])).toThrow('scatterPlot: 1 labels for 2 points');
    expect(() => scatterPlot(tensor([0, 0, 1], [1, 3]))).toThrow('scatterPlot: expected points shaped [n, 2], got [1, 3]');
    expect(() => scatterPlot(tensor([], [0, 2]))).toThrow('expected at least one point, got none');
    expect(() => scatterPlot(tensor([0, 0], [1, 2]), [4], { legend: ['a'] })).toThrow('legend names 1 classes, but the labels go up to 4');
  });
});

import { describe, expect, it } from 'vitest';
import { escapeXml, logTicks, niceTicks, px, scaler } from '../../src/plot/svg.js';
import { checkXml } from '../helpers/xml.js';

describe('niceTicks', () => {
  it('picks steps of 1, 2 or 5 times a power of ten and widens the domain to them', () => {
    expect(niceTicks(0, 1)).toMatchObject({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], labels: ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'] });
    expect(niceTicks(0.13, 0.87).domain).toEqual([0, 1]);
    expect(niceTicks(-3, 97)).toMatchObject({ domain: [-20, 100], ticks: [-20, 0, 20, 40, 60, 80, 100] });
    expect(niceTicks(1, 10, 4)).toMatchObject({ domain: [0, 10], ticks: [0, 5, 10] });
    expect(niceTicks(0.031, 0.047, 4)).toMatchObject({ ticks: [0.03, 0.035, 0.04, 0.045, 0.05], labels: ['0.030', '0.035', '0.040', '0.045', '0.050'] });
  });

  it('prints tick values without float noise (0.1 · 3 is 0.3)', () => {
    const { ticks, labels } = niceTicks(0, 0.7, 7);
    expect(ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(labels[3]).toBe('0.3');
  });

  it('steps by at least 1 on a whole-number axis', () => {
    expect(niceTicks(1, 3, 8).ticks).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(niceTicks(1, 3, 8, true)).toMatchObject({ ticks: [1, 2, 3], labels: ['1', '2', '3'] });
    expect(niceTicks(1, 100, 5, true).ticks).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('gives a range around a single value', () => {
    expect(niceTicks(0, 0).domain).toEqual([-1, 1]);
    expect(niceTicks(50, 50).domain).toEqual([44, 56]);
  });

  it('switches to exponents for very large or very small values', () => {
    expect(niceTicks(0, 4e6, 4).labels).toEqual(['0', '1e6', '2e6', '3e6', '4e6']);
    expect(niceTicks(0, 4e-7, 4).labels).toEqual(['0', '1e-7', '2e-7', '3e-7', '4e-7']);
  });

  it('rejects non-finite or reversed ranges', () => {
    expect(() => niceTicks(Number.NaN, 1)).toThrow('niceTicks: expected finite min ≤ max, got NaN and 1');
    expect(() => niceTicks(2, 1)).toThrow('got 2 and 1');
  });
});

describe('logTicks', () => {
  it('covers whole decades, with 2 and 5 inside short ranges', () => {
    expect(logTicks(0.02, 0.08)).toMatchObject({ domain: [0.01, 0.1], ticks: [0.01, 0.02, 0.05, 0.1], log: true });
    expect(logTicks(0.5, 30)).toMatchObject({ domain: [0.1, 100], ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100] });
    expect(logTicks(1e-4, 10).ticks).toEqual([1e-4, 1e-3, 0.01, 0.1, 1, 10]);
    expect(logTicks(1e-4, 10).labels).toEqual(['1e-4', '0.001', '0.01', '0.1', '1', '10']);
    expect(logTicks(1, 1).domain).toEqual([1, 10]);
  });

  it('thins out ticks over many decades', () => {
    const { ticks } = logTicks(1e-10, 1e10);
    expect(ticks.length).toBeLessThanOrEqual(11);
    // Every third power, on multiples of three: 1e-12 … 1e12.
    expect(ticks).toEqual([1e-12, 1e-9, 1e-6, 1e-3, 1, 1e3, 1e6, 1e9, 1e12]);
  });

  it('rejects non-positive ranges', () => {
    expect(() => logTicks(0, 1)).toThrow('logTicks: expected 0 < min ≤ max, got 0 and 1');
  });
});

describe('scaler and px', () => {
  it('maps the domain onto pixels, linearly or by log', () => {
    const linear = scaler(niceTicks(0, 10, 2), 100, 200);
    expect([linear(0), linear(5), linear(10)]).toEqual([100, 150, 200]);
    const log = scaler(logTicks(1, 100), 300, 100);
    expect(log(10)).toBeCloseTo(200, 9);
    expect(px(12.345)).toBe('12.3');
    expect(px(-0.04)).toBe('0');
  });
});

describe('escapeXml', () => {
  it('escapes markup characters and replaces characters XML forbids', () => {
    expect(escapeXml(`<b a="1" c='2'>&amp;</b>\u0001`)).toBe('&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;\uFFFD');
  });
});

describe('checkXml (the test helper) fails on malformed markup', () => {
  it('rejects bad nesting, unclosed tags, raw < and stray &', () => {
    expect(checkXml('<a><b/><c>x &amp; y</c></a>')).toEqual(['a', 'b', 'c']);
    expect(() => checkXml('<a><b></a>')).toThrow('</a> at offset 6 closes <b>');
    expect(() => checkXml('<a>')).toThrow('unclosed <a>');
    expect(() => checkXml('<a>1 < 2</a>')).toThrow('a raw or malformed tag');
    expect(() => checkXml('<a>R&D</a>')).toThrow('an unescaped &');
    expect(() => checkXml('<a href="?x=1&y=2"></a>')).toThrow('an unescaped & in an attribute of <a>');
  });
});

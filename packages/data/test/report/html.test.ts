import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { lineChart } from '../../src/plot/line-chart.js';
import { encodePng } from '../../src/png.js';
import { htmlReport, pngDataUrl } from '../../src/report/html.js';
import { checkXml } from '../helpers/xml.js';

const png = encodePng({ width: 2, height: 1, channels: 1, data: new Uint8Array([0, 255]) });

describe('htmlReport', () => {
  const svg = lineChart([{ name: 'loss', values: [1, 0.5] }]);
  const html = htmlReport({
    title: 'Run 1',
    intro: 'First paragraph.\n\nSecond paragraph.',
    metrics: { AUROC: 0.963412, epochs: 5, note: 'ok' },
    sections: [
      {
        title: 'Training',
        text: 'Loss by epoch.',
        figures: [{ svg, caption: 'Loss' }, { src: 'grid.png', caption: 'Reconstructions' }, { png, caption: 'Tiny' }],
        table: { header: ['code size', 'AE', 'PCA'], rows: [[2, 0.0512345, 0.056], [8, Number.NaN, null]], caption: 'MSE' },
        pre: 'line 1\n  line 2',
      },
    ],
    config: { epochs: 5, model: 'conv-denoising', layers: [32, 16] },
    summary: 'Model: "sequential"\nTotal params: 332,801',
  });

  it('is a well-formed, self-contained page with every part in order', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    const names = checkXml(html);
    expect(names.filter((n) => n === 'section')).toHaveLength(4);
    expect(names.filter((n) => n === 'figure')).toHaveLength(3);
    expect(names.filter((n) => n === 'svg')).toHaveLength(1);
    expect(names).not.toContain('script');
    expect(html).not.toMatch(/<link|(?:src|href)="https?:/);
    const order = ['<h1>Run 1</h1>', '<p>First paragraph.</p>', '<p>Second paragraph.</p>', '<h2>Metrics</h2>', '<h2>Training</h2>', '<h2>Configuration</h2>', '<h2>Model</h2>'];
    const positions = order.map((part) => html.indexOf(part));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('<a href="#section-1">Training</a>');
  });

  it('inlines SVG figures, links src figures and embeds PNG bytes', () => {
    expect(html).toContain(svg);
    expect(html).toContain('<img src="grid.png" alt="Reconstructions" />');
    const embedded = html.match(/<img src="data:image\/png;base64,([^"]+)" alt="Tiny" \/>/);
    expect(embedded).not.toBeNull();
    const bytes = Uint8Array.from(atob(embedded![1]), (c) => c.charCodeAt(0));
    expect(Array.from(decode(bytes).data)).toEqual([0, 255]);
    expect(html).toContain('<figcaption>Loss</figcaption>');
  });

  it('rounds numbers to 4 significant digits, keeps integers and shows NaN and null', () => {
    expect(html).toContain('<td class="number">0.9634</td>');
    expect(html).toContain('<td class="number">0.05123</td>');
    expect(html).toContain('<td class="number">5</td>');
    expect(html).toContain('<td class="number">NaN</td>');
    expect(html).toContain('<td>—</td>');
    expect(html).toContain('<td>[32,16]</td>');
    expect(html).toContain('<pre>line 1\n  line 2</pre>');
  });

  it('escapes every piece of text', () => {
    const evil = '<script>alert("x")</script>&';
    const page = htmlReport({
      title: evil,
      intro: evil,
      metrics: { [evil]: evil },
      sections: [{ title: evil, text: evil, figures: [{ src: `a.png" onerror="${evil}`, caption: evil }], table: { header: [evil], rows: [[evil]], caption: evil }, pre: evil }],
      config: { [evil]: { nested: evil } },
      summary: evil,
    });
    checkXml(page);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('" onerror="');
    expect(page.split('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;').length - 1).toBeGreaterThanOrEqual(10);
  });

  it('leaves out empty parts and the table of contents of a one-part page', () => {
    const page = htmlReport({ title: 'Only', sections: [{ title: 'One', text: 'x' }] });
    checkXml(page);
    expect(page).not.toContain('<nav>');
    expect(page).not.toContain('Metrics');
    expect(page).not.toContain('Configuration');
  });

  it('rejects a figure without exactly one source, a non-SVG svg and ragged tables, naming them', () => {
    expect(() => htmlReport({ title: 't', sections: [{ title: 'A', figures: [{ caption: 'x' }] }] })).toThrow(
      "htmlReport: section 1 ('A'), figure 1 needs exactly one of svg, src and png, got none",
    );
    expect(() => htmlReport({ title: 't', sections: [{ title: 'A', figures: [{ svg, src: 'a.png' }] }] })).toThrow('got svg and src');
    expect(() => htmlReport({ title: 't', sections: [{ title: 'A', figures: [{ svg: '<div/>' }] }] })).toThrow('svg must be an SVG document from <svg to </svg>');
    expect(() => htmlReport({ title: 't', sections: [{ title: 'A', table: { header: ['a', 'b'], rows: [[1]] } }] })).toThrow(
      'htmlReport: table row 0 has 1 cells, but the header has 2',
    );
  });
});

describe('pngDataUrl', () => {
  it('encodes bytes as base64, also past one chunk', () => {
    expect(pngDataUrl(new Uint8Array([137, 80, 78, 71]))).toBe('data:image/png;base64,iVBORw==');
    const big = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256);
    const back = Uint8Array.from(atob(pngDataUrl(big).slice(22)), (c) => c.charCodeAt(0));
    expect(back).toEqual(big);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Random, tensor } from '@aekit/core';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { imageGrid } from '../../src/image-grid.js';
import { writeReport } from '../../src/node/report.js';
import { lossCurves } from '../../src/plot/line-chart.js';
import { scatterPlot } from '../../src/plot/scatter.js';
import { encodePng } from '../../src/png.js';

const dir = mkdtempSync(join(tmpdir(), 'aekit-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReport', () => {
  it('writes the extra files and report.html, leaving no temporary file', async () => {
    const png = encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array([128]) });
    const out = join(dir, 'run');
    const page = await writeReport(out, { title: 'Run', sections: [{ title: 'Grid', figures: [{ src: 'figures/grid.png' }] }] }, { 'figures/grid.png': png, 'history.csv': 'epoch,loss\n1,0.5\n' });
    expect(page).toBe(join(out, 'report.html'));
    expect(readFileSync(page, 'utf8')).toContain('<img src="figures/grid.png"');
    expect(new Uint8Array(readFileSync(join(out, 'figures', 'grid.png')))).toEqual(png);
    expect(readFileSync(join(out, 'history.csv'), 'utf8')).toBe('epoch,loss\n1,0.5\n');
    expect(readdirSync(out).sort()).toEqual(['figures', 'history.csv', 'report.html']);
  });

  it('writes a finished HTML string as is', async () => {
    const page = await writeReport(join(dir, 'plain'), '<!doctype html><title>x</title>');
    expect(readFileSync(page, 'utf8')).toBe('<!doctype html><title>x</title>');
  });

  it('refuses file paths outside the folder, writing nothing', async () => {
    for (const name of ['../escape.png', '/tmp/abs.png', 'a/../../b.png', 'report.html']) {
      await expect(writeReport(join(dir, 'bad'), 'x', { [name]: 'x' })).rejects.toThrow(`writeReport: file ${JSON.stringify(name)} must be a path inside the report folder`);
    }
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});

/** Chromium as the workspace's browser tests find it: AEKIT_CHROMIUM, else `chromium` on PATH. */
function chromiumPath(): string {
  if (process.env.AEKIT_CHROMIUM) return process.env.AEKIT_CHROMIUM;
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error('this test needs Chromium: run `node scripts/ensure-chromium.mjs`, or set AEKIT_CHROMIUM');
  return found.stdout.trim();
}

describe('a written report in headless Chromium', () => {
  it('opens from disk with no console error, every image loaded and every chart drawn', async () => {
    const rng = new Random(2);
    const digits = tensor(Array.from({ length: 4 * 28 * 28 }, () => rng.next()), [4, 28, 28]);
    const grid = encodePng(imageGrid([digits, digits], { scale: 2 }));
    const codes = tensor(Array.from({ length: 400 }, () => rng.normal()), [200, 2]);
    const page = await writeReport(
      join(dir, 'browser'),
      {
        title: 'Browser check',
        metrics: { loss: 0.031 },
        sections: [
          { title: 'Loss', figures: [{ svg: lossCurves({ loss: [0.2, 0.1, 0.05], val_loss: [0.25, 0.12, 0.07] }), caption: 'loss' }] },
          { title: 'Latent', figures: [{ svg: scatterPlot(codes, Array.from({ length: 200 }, (_, i) => i % 10)), caption: 'codes' }] },
          { title: 'Images', figures: [{ src: 'figures/grid.png', caption: 'by path' }, { png: grid, caption: 'embedded' }] },
        ],
        config: { epochs: 3 },
        summary: 'Total params: 10',
      },
      { 'figures/grid.png': grid },
    );
    const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu'], timeout: 30_000 });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') errors.push(`console.${message.type()}: ${message.text()}`);
      });
      tab.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      tab.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
      await tab.goto(pathToFileURL(page).href);
      const images = await tab.evaluate(
        `Array.from(document.images, (img) => ({ alt: img.alt, loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth }))`,
      );
      const expectedWidth = imageGrid([digits, digits], { scale: 2 }).width;
      expect(images).toEqual([
        { alt: 'by path', loaded: true, width: expectedWidth },
        { alt: 'embedded', loaded: true, width: expectedWidth },
      ]);
      // Each inline chart is parsed as SVG and has a drawn size.
      const charts = await tab.evaluate(`Array.from(document.querySelectorAll('figure > svg'), (svg) => svg.getBBox().width > 100 && svg.namespaceURI)`);
      expect(charts).toEqual(['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']);
      expect(await tab.title()).toBe('Browser check');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo, canvasColours, hook, openDemo, slide, startTraining, STRICT_CSP, waitFor, waitForState, type BuiltDemo, type DemoHook } from './demo/demo-page.js';
import { KINDS } from '../../examples/web/src/kinds.js';
import type { BrowserPage } from './harness.js';

/**
 * Issue 7's demo page (examples/web), built with Vite and served as a host
 * would serve it, in headless Chromium: once as is, once with a strict
 * Content-Security-Policy on every response (the page and its worker). Each
 * time it loads MNIST with no console error, trains a few epochs on 1,000
 * digits in its worker with the displayed loss falling and the canvases
 * drawn, answers its sliders (noise; the walk through a VAE's 2-D code),
 * pauses and resumes, and a model saved to IndexedDB and to a file and
 * loaded into a fresh page shows the same reconstructions; every kind of
 * model it offers trains for an epoch. And what it
 * ships (its JavaScript, aekit's WebAssembly inlined in it) stays small.
 */
let demo: BuiltDemo;

beforeAll(async () => {
  demo = await buildDemo();
}, 60_000);

afterAll(async () => {
  await demo?.remove();
});

const SMALL = { trainSize: 1000, epochs: 3, batchSize: 100 };

/** After training: the last epoch's loss below the first's (training and test), the chart drawn, the grid drawn. */
async function expectTrained(page: BrowserPage, kind: string, epochs: number): Promise<number[]> {
  const state = await hook(page);
  expect(state.kind).toBe(kind);
  expect(state.epochs).toBe(epochs);
  const { loss, val_loss } = state.history;
  expect(loss).toHaveLength(epochs);
  expect(val_loss).toHaveLength(epochs);
  expect([...loss, ...val_loss].every(Number.isFinite)).toBe(true);
  expect(loss.at(-1)!).toBeLessThan(loss[0]);
  expect(val_loss.at(-1)!).toBeLessThan(val_loss[0]);
  // The chart on the page is drawn from that history: one line per term, training and validation.
  expect(await page.page.locator('#loss svg path[stroke-dasharray="6 4"]').count()).toBeGreaterThanOrEqual(1);
  expect(state.reconstructions).toHaveLength(10 * 784);
  // Reconstructions are probabilities, and not all alike (a blank or saturated picture is not a digit).
  expect(state.reconstructions.every((v) => v >= 0 && v <= 1)).toBe(true);
  expect(Math.max(...state.reconstructions) - Math.min(...state.reconstructions)).toBeGreaterThan(0.5);
  expect(await canvasColours(page, 'reconstructions')).toBeGreaterThan(16);
  return state.reconstructions;
}

/**
 * Saves the trained model to IndexedDB and to a file, then loads each into a
 * fresh page (a reload: a new worker with no model) and expects the same
 * kind, history, reconstructions and number of dots on the latent map.
 */
async function expectSaveAndLoad(page: BrowserPage, reconstructions: number[]): Promise<void> {
  await page.page.click('#save-browser');
  await waitFor(page, 'the save to IndexedDB', (demo) => demo.saves === 1);
  const [download] = await Promise.all([page.page.waitForEvent('download'), page.page.click('#save-file')]);
  await waitFor(page, 'the save to a file', (demo) => demo.saves === 2);
  const file = await download.path();
  expect(download.suggestedFilename()).toMatch(/^aekit-.+\.json$/);
  const before = await hook(page);

  for (const load of ['browser', 'file'] as const) {
    await page.page.reload();
    await waitForState(page, 'ready');
    expect((await hook(page)).reconstructions).toEqual([]);
    if (load === 'browser') await page.page.click('#load-browser');
    else await page.page.setInputFiles('#load-file', file);
    await waitFor(page, `the load from the ${load}`, (demo) => demo.loads === 1);
    const after = await hook(page);
    expect(after.state, load).toBe('trained');
    expect(after.kind, load).toBe(before.kind);
    expect(after.history, load).toEqual(before.history);
    expect(after.reconstructions, load).toEqual(reconstructions);
    expect(after.latentPoints, load).toBe(before.latentPoints);
    expect(await canvasColours(page, 'reconstructions')).toBeGreaterThan(16);
  }
}

describe('the demo page (examples/web), built, in Chromium', () => {
  it('ships under 150 KB of JavaScript and WebAssembly, gzipped: the page, the worker with aekit, nothing else', async () => {
    const assets = await readdir(join(demo.dir, 'assets'));
    // aekit's kernels travel inlined in the worker's JavaScript: no .wasm file, no data: URL.
    expect(assets.filter((f) => !/\.(js|css|svg)$/.test(f))).toEqual([]);
    const scripts = assets.filter((f) => f.endsWith('.js'));
    expect(scripts.some((f) => f.startsWith('worker'))).toBe(true);
    const sizes = await Promise.all(scripts.map(async (f) => gzipSync(await readFile(join(demo.dir, 'assets', f)), { level: 9 }).length));
    const total = sizes.reduce((a, b) => a + b, 0);
    // 58 KB when written (page 8, worker 50); TensorFlow.js alone is several hundred.
    expect(total, `gzipped JavaScript: ${scripts.map((f, i) => `${f} ${sizes[i]} B`).join(', ')}`).toBeLessThan(150 * 1024);
  });

  it('trains a denoising autoencoder: loss falls, digits drawn, pause, resume and stop, noise slider, saved and loaded alike', async () => {
    const page = await openDemo(demo);
    try {
      // Far more epochs than it will run: pause at once (the worker answers between two batches), resume, stop after 3.
      const epochs = 200;
      await startTraining(page, { kind: 'denoising-dense', ...SMALL, epochs });
      await page.page.click('#pause');
      await waitForState(page, 'paused');
      const held = (await hook(page)).epochs;
      await page.page.waitForTimeout(300);
      expect((await hook(page)).epochs).toBe(held);
      await page.page.click('#pause'); // now labelled Resume
      await waitFor(page, 'three more epochs', (demo) => demo.epochs >= held + 3);
      await page.page.click('#stop');
      await waitForState(page, 'trained');
      expect(await page.page.textContent('#status')).toMatch(/^Stopped during epoch \d+/);
      const ran = (await hook(page)).epochs;
      expect(ran).toBeLessThan(epochs);
      const reconstructions = await expectTrained(page, 'denoising-dense', ran);
      // Three rows: the test digits, the noisy inputs, the reconstructions.
      expect(await page.page.locator('#row-labels span').count()).toBe(3);

      // More noise in, other reconstructions out.
      await slide(page, 'noise', 0.7);
      const same = (demo: DemoHook) => demo.reconstructions.every((v, i) => v === reconstructions[i]);
      await waitFor(page, 'other reconstructions', (demo) => !same(demo));
      await slide(page, 'noise', 0.3);
      await waitFor(page, 'the first reconstructions again', same);

      await expectSaveAndLoad(page, reconstructions);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it(`trains every kind it offers for an epoch (${KINDS.map((k) => k.id).join(', ')}); refuses a file that is not a model`, async () => {
    const page = await openDemo(demo);
    try {
      for (const kind of KINDS) {
        await startTraining(page, { kind: kind.id, trainSize: 1000, epochs: 1, batchSize: 100 });
        await waitForState(page, 'trained', 60_000);
        const state = await hook(page);
        expect(state.kind, kind.id).toBe(kind.id);
        expect(state.history.loss, kind.id).toHaveLength(1);
        expect(Number.isFinite(state.history.loss[0]), kind.id).toBe(true);
        expect(state.reconstructions.every((v) => v >= 0 && v <= 1), kind.id).toBe(true);
        expect(Math.max(...state.reconstructions) - Math.min(...state.reconstructions), kind.id).toBeGreaterThan(0.05);
        expect(await page.page.locator('#row-labels span').count(), kind.id).toBe(kind.denoising ? 3 : 2);
        expect(state.latentPoints, kind.id).toBe(kind.latent2d ? 1000 : 0);
        expect(await page.page.isVisible('#latent'), kind.id).toBe(kind.latent2d);
      }
      expect(page.errors).toEqual([]);

      // A file that is not a saved model: a clear message on the page, and the model shown stays.
      await page.page.setInputFiles('#load-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
      const refused = await waitFor(page, 'the refusal', (demo) => demo.error !== null);
      expect(refused.error).toMatch(/^notes\.json is not a model saved by this page/);
      expect(refused.state).toBe('trained');
      expect(refused.kind).toBe(KINDS.at(-1)!.id);
    } finally {
      await page.close();
    }
  }, 90_000);

  it(`works the same under Content-Security-Policy: ${STRICT_CSP}; a VAE: latent map, walk through its code, saved and loaded alike`, async () => {
    const page = await openDemo(demo, { 'Content-Security-Policy': STRICT_CSP });
    try {
      // The policy is in force: neither the page nor a worker it starts may compile strings.
      expect(await page.call('/probe/csp-probe.js', 'evalBlocked')).toBe(true);
      expect(await page.call('/probe/csp-probe.js', 'evalBlockedInWorker')).toBe(true);

      await startTraining(page, { kind: 'vae', ...SMALL });
      await waitForState(page, 'trained', 60_000);
      const reconstructions = await expectTrained(page, 'vae', SMALL.epochs);
      const state = await hook(page);
      expect(state.history.kl_loss).toHaveLength(SMALL.epochs);
      expect(state.latentPoints).toBe(1000);
      expect(await canvasColours(page, 'latent')).toBeGreaterThan(10);

      // The walk: moving a slider decodes another point of the code into another digit.
      await waitFor(page, 'a decoded digit', (demo) => demo.walk !== null);
      const first = (await hook(page)).walk!;
      expect(first.pixels).toHaveLength(784);
      await slide(page, 'z1', 2.5);
      const moved = (await waitFor(page, 'the digit at z1 = 2.5', (demo) => demo.walk?.z[0] === 2.5)).walk!;
      expect(moved.pixels).not.toEqual(first.pixels);
      expect(await canvasColours(page, 'walk')).toBeGreaterThan(8);

      await expectSaveAndLoad(page, reconstructions);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});

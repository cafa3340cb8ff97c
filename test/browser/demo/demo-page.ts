// Builds examples/web with Vite (as `pnpm --filter @aekit/web-demo bundle`
// does) and drives the built page in Chromium through its controls, reading
// its state from `window.__aekitDemo` (the page's test hook).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { DemoHook } from '../../../examples/web/src/main.js';
import { openPage, type BrowserPage } from '../harness.js';
import { repoRoot } from '../bundle.js';

export type { DemoHook };

export const demoRoot = join(repoRoot, 'examples/web');

/** The policy issue 7 asks the demo to work under: no 'unsafe-eval', WebAssembly allowed, workers from the page's origin. */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

export interface BuiltDemo {
  /** The output directory: index.html, assets/, mnist/. */
  readonly dir: string;
  remove(): Promise<void>;
}

/** `vite build` of the demo, with its own vite.config.ts, into a fresh temporary directory. */
export async function buildDemo(): Promise<BuiltDemo> {
  for (const name of ['kernels-wasm', 'core', 'data', 'models']) {
    // The demo imports the packages as a user does, through their built dist/.
    if (!existsSync(join(repoRoot, 'packages', name, 'dist/index.js'))) throw new Error(`packages/${name}/dist is missing: run \`pnpm -r run build\` first`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'aekit-demo-'));
  try {
    await build({ root: demoRoot, configFile: join(demoRoot, 'vite.config.ts'), logLevel: 'silent', build: { outDir: dir, emptyOutDir: true } });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Opens the built demo, served with `headers`, and waits until MNIST is loaded. `/probe/csp-probe.js` is served beside it. */
export async function openDemo(demo: BuiltDemo, headers?: Record<string, string>): Promise<BrowserPage> {
  const page = await openPage({
    html: await readFile(join(demo.dir, 'index.html'), 'utf8'),
    mounts: { '/assets/': join(demo.dir, 'assets'), '/mnist/': join(demo.dir, 'mnist'), '/probe/': fileURLToPath(new URL('./probe', import.meta.url)) },
    headers,
  });
  try {
    await waitForState(page, 'ready');
  } catch (error) {
    await page.close();
    throw error;
  }
  return page;
}

/** The page's hook, read now. */
export function hook(page: BrowserPage): Promise<DemoHook> {
  // Strings, not functions: vitest rewrites test code, and these run in the page.
  return page.page.evaluate('window.__aekitDemo') as Promise<DemoHook>;
}

/**
 * Waits until the hook satisfies `condition`, polling it from here (the
 * strict policy refuses Playwright's waitForFunction, which compiles a string
 * in the page); fails with the page's state and errors after `timeout` ms,
 * or at once when the page shows an error.
 */
export async function waitFor(page: BrowserPage, what: string, condition: (demo: DemoHook) => boolean, timeout = 30_000): Promise<DemoHook> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const demo = await hook(page);
    if (demo && condition(demo)) return demo;
    if (Date.now() > deadline || demo?.error) {
      throw new Error(`waiting for ${what}: page in state ${demo?.state}, error ${JSON.stringify(demo?.error)}; errors ${JSON.stringify(page.errors)}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

export const waitForState = (page: BrowserPage, state: DemoHook['state'], timeout?: number) =>
  waitFor(page, `state '${state}'`, (demo) => demo.state === state, timeout);

export interface TrainChoice {
  kind: string;
  trainSize: number;
  epochs: number;
  batchSize: number;
}

/** Fills in the controls and presses Train (not waiting for the end). */
export async function startTraining(page: BrowserPage, choice: TrainChoice): Promise<void> {
  await page.page.selectOption('#kind', choice.kind);
  await page.page.selectOption('#train-size', String(choice.trainSize));
  await page.page.fill('#epochs', String(choice.epochs));
  await page.page.fill('#batch-size', String(choice.batchSize));
  await page.page.click('#train');
}

/** Sets a range input's value as a user's drag does: the value, then an `input` event. */
export async function slide(page: BrowserPage, id: string, value: number): Promise<void> {
  await page.page.evaluate(`(() => {
    const input = document.getElementById(${JSON.stringify(id)});
    input.value = ${JSON.stringify(String(value))};
    input.dispatchEvent(new Event('input', { bubbles: true }));
  })()`);
}

/** How many distinct colours a canvas shows (1 for a blank one), read from its pixels. */
export function canvasColours(page: BrowserPage, id: string): Promise<number> {
  return page.page.evaluate(`(() => {
    const canvas = document.getElementById(${JSON.stringify(id)});
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]);
    return colours.size;
  })()`) as Promise<number>;
}

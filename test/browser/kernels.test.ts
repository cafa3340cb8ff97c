import { relative, join } from 'node:path';
import type { Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, packagesDir, type Bundle } from './bundle.js';
import { openPage, type BrowserPage } from './harness.js';

/**
 * Issue 3's browser test: the BUILT @aekit/kernels-wasm (dist, run by `npm test`'s
 * build step) loaded unbundled in headless Chromium through an import map, its
 * WebAssembly tiers checked against the reference by the kernel law.
 * Reproduce a failure with AEKIT_BROWSER_SEED=<the seed it reports>.
 */
const seed = Number(process.env.AEKIT_BROWSER_SEED ?? Math.floor(Math.random() * 2 ** 31));
const kernelsSrc = join(packagesDir, 'kernels-wasm/src');

/** Every import of the kernels' sources becomes an external import of the built file of the same name. */
const kernelsFromDist: Plugin = {
  name: 'kernels-from-dist',
  setup(b) {
    b.onResolve({ filter: /^@aekit\/kernels-wasm$/ }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /^\./ }, (args) => {
      const file = relative(kernelsSrc, join(args.resolveDir, args.path));
      if (file.startsWith('..')) return undefined;
      return { path: `@aekit/kernels-wasm/dist/${file.replace(/\.ts$/, '.js')}`, external: true };
    });
  },
};

let entries: Bundle;
let page: BrowserPage;

beforeAll(async () => {
  entries = await bundle({ kernels: new URL('./entries/kernels.ts', import.meta.url).pathname }, [kernelsFromDist]);
  page = await openPage({
    mounts: { '/entries/': entries.dir, '/kernels-wasm/dist/': join(packagesDir, 'kernels-wasm/dist') },
    importMap: { '@aekit/kernels-wasm': '/kernels-wasm/dist/index.js', '@aekit/kernels-wasm/': '/kernels-wasm/' },
  });
}, 60_000); // bundling and starting Chromium, on a busy machine

afterAll(async () => {
  await page?.close();
  await entries?.remove();
});

const call = <T>(name: string, ...args: unknown[]) => page.call<T>('/entries/kernels.js', name, ...args);

describe(`Chromium: the built kernels obey the kernel law (seed ${seed})`, () => {
  it('loads unbundled and selects a WebAssembly SIMD tier', async () => {
    const info = await call<{ tier: string; webAssembly: boolean; tiers: string[] }>('info');
    expect(info.webAssembly).toBe(true);
    // Current Chromium validates relaxed SIMD, so the package must pick it.
    expect(info.tiers).toEqual(['relaxed-simd', 'simd128']);
    expect(info.tier).toBe('relaxed-simd');
    expect(page.errors).toEqual([]);
  });

  for (const tier of ['relaxed-simd', 'simd128']) {
    it(`${tier}: gemm at random sizes, every transpose, alpha and beta`, async () => {
      const passed = await call<string[]>('gemm', tier, seed, 0.25);
      expect(passed.length).toBeGreaterThanOrEqual(5);
      expect(page.errors).toEqual([]);
    });

    for (const kernel of ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter']) {
      it(`${tier}: ${kernel} at random geometries, strides and paddings`, async () => {
        expect(await call<number>('conv', tier, kernel, seed, 40)).toBe(40);
        expect(page.errors).toEqual([]);
      });
    }

    it(`${tier}: the fused conv2d and Conv2DTranspose layers equal the kernels run back to back`, async () => {
      expect(await call<number>('convLayer', tier, seed, 30)).toBe(30);
      expect(page.errors).toEqual([]);
    });

    it(`${tier}: inconsistent sizes are refused before WebAssembly runs, naming the kernel`, async () => {
      const [gemm, conv] = await call<string[]>('sizeErrors', tier);
      expect(gemm).toMatch(/^gemm: .*\b12\b.*\b11\b/);
      expect(conv).toMatch(/^conv2d: .*\b75\b.*\b74\b/);
      expect(page.errors).toEqual([]);
    });
  }
});

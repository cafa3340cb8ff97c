import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../packages', import.meta.url));

/**
 * Bundles @aekit/core for the browser with Vite (no plugin, no configuration
 * beyond the entry) and runs the bundle (as a classic script) in a bare V8 context that has no
 * `require`, no `process` and no file system: only what a browser page has
 * that the kernels need (WebAssembly, atob). A matrix product must come out right,
 * which proves the inlined WebAssembly loads on the browser path.
 */
describe('browser bundle', () => {
  it('bundles @aekit/core without Node modules and multiplies on the WebAssembly kernels', async () => {
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      resolve: { alias: [{ find: /^@aekit\/([\w-]+)$/, replacement: `${packages}/$1/src/index.ts` }] },
      build: {
        write: false,
        target: 'es2022',
        minify: false,
        lib: { entry: `${packages}/core/src/index.ts`, formats: ['iife'], name: 'aekit', fileName: 'core' },
      },
    })) as Rollup.RollupOutput[];
    const code = result[0].output[0].code;
    expect(code).not.toMatch(/from ["']node:|require\(/);

    const context = createContext({ WebAssembly, atob });
    runInContext(code, context);
    const core = context.aekit as typeof import('@aekit/core');
    expect(core.kernelsInfo().tier).toBe('simd128');
    const y = core.matmul(core.tensor([1, 2, 3, 4, 5, 6], [2, 3]), core.tensor([7, 8, 9, 10, 11, 12], [3, 2]));
    expect(y.toArray()).toEqual([58, 64, 139, 154]);
  });
});

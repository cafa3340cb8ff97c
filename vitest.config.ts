import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages', import.meta.url));

// Tests run against the TypeScript sources, so no rebuild sits between an edit
// and its test; only the WebAssembly must have been built (it is, on install).
const alias = [
  { find: /^@aekit\/([\w-]+)\/node$/, replacement: `${packages}/$1/src/node.ts` },
  { find: /^@aekit\/([\w-]+)$/, replacement: `${packages}/$1/src/index.ts` },
];

const project = (name: string) => ({
  extends: true as const,
  // --expose-gc lets a test force a collection and check what the autodiff graph retains.
  test: { name, include: [`packages/${name}/test/**/*.test.ts`], execArgv: ['--expose-gc'] },
});

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...['kernels-wasm', 'core', 'data', 'models', 'cli'].map(project),
      // Laws that span the packages.
      { extends: true as const, test: { name: 'workspace', include: ['test/**/*.test.ts'] } },
    ],
    testTimeout: 60_000,
  },
});

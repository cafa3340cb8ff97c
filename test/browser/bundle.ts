// Bundles browser test entries with esbuild, at test time, into a fresh
// temporary directory: the page then loads plain ES modules, no dev server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const packagesDir = join(repoRoot, 'packages');

/** `@aekit/x` to packages/x/src/index.ts, as vitest.config.ts aliases it: tests run against the sources. */
export const aekitSources: Plugin = {
  name: 'aekit-sources',
  setup(b) {
    b.onResolve({ filter: /^@aekit\/[\w-]+$/ }, (args) => ({ path: join(packagesDir, args.path.slice('@aekit/'.length), 'src/index.ts') }));
  },
};

/**
 * The shared test helpers import `expect` from vitest, which cannot run in a
 * page; they get entries/vitest-shim.ts instead.
 */
export const vitestShim: Plugin = {
  name: 'vitest-shim',
  setup(b) {
    b.onResolve({ filter: /^vitest$/ }, () => ({ path: join(repoRoot, 'test/browser/entries/vitest-shim.ts') }));
  },
};

export interface Bundle {
  /** The directory holding `<entry name>.js` for each entry. */
  readonly dir: string;
  remove(): Promise<void>;
}

/** Bundles `entries` (name to source file) as ES modules for Chromium; `plugins` resolve what is special. */
export async function bundle(entries: Record<string, string>, plugins: Plugin[]): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), 'aekit-browser-'));
  try {
    await build({
      entryPoints: entries,
      outdir: dir,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

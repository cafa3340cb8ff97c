import { readFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The browser never sees Node: walking the relative imports from each
 * package's main entry point must reach no `node:` module and no Node builtin.
 * (Node-only code sits behind the `/node` entry points.)
 */
const builtins = new Set(builtinModules);
const importPattern = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function reachableImports(entry: string): { file: string; specifier: string }[] {
  const found: { file: string; specifier: string }[] = [];
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        queue.push(existsSync(target) ? target : join(target, 'index.ts'));
      } else {
        found.push({ file, specifier });
      }
    }
  }
  return found;
}

describe('browser entry points', () => {
  for (const pkg of ['kernels-wasm', 'core', 'models', 'data']) {
    it(`@aekit/${pkg} imports nothing from Node`, () => {
      const entry = resolve(__dirname, '..', 'packages', pkg, 'src', 'index.ts');
      const nodeImports = reachableImports(entry).filter(
        ({ specifier }) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]),
      );
      expect(nodeImports).toEqual([]);
    });
  }
});

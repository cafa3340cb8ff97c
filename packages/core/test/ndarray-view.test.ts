import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import fc from 'fast-check';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { tensor } from '@aekit/core';
import { MAX_VIEW_RANK, ndarrayView } from '../src/ndarray-view.js';
// @ts-expect-error: a plain .mjs build script, without types
import { generate } from '../scripts/ndarray-views.mjs';

const packages = fileURLToPath(new URL('../..', import.meta.url));
const rowMajorIndices = (shape: readonly number[]): number[][] =>
  shape.reduce<number[][]>((acc, d) => acc.flatMap((prefix) => Array.from({ length: d }, (_, i) => [...prefix, i])), [[]]);

const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: MAX_VIEW_RANK });
const dataArb = (shape: number[]) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc.tuple(fc.boolean(), fc.array(fc.integer({ min: -99, max: 99 }), { minLength: size, maxLength: size })).map(([f64, xs]) =>
    f64 ? Float64Array.from(xs) : Float32Array.from(xs),
  );
};
const caseArb = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), dataArb(shape)));

describe('ndarrayView', () => {
  it('comes from a generated file that is current with the installed ndarray', () => {
    const file = fileURLToPath(new URL('../src/ndarray-views.generated.ts', import.meta.url));
    // If this fails after an ndarray upgrade: node packages/core/scripts/ndarray-views.mjs
    expect(readFileSync(file, 'utf8')).toBe(generate());
  });

  it("is ndarray's own view: same class and methods, fields, element access, and derived views", () => {
    fc.assert(
      fc.property(caseArb, ([shape, data]) => {
        const ours = ndarrayView(data, shape);
        const theirs = ndarray(data, [...shape]);
        const [protoOurs, protoTheirs] = [ours, theirs].map((v) => Object.getPrototypeOf(v));
        expect(protoOurs.constructor.name).toBe(protoTheirs.constructor.name);
        expect(Object.getOwnPropertyNames(protoOurs).sort()).toEqual(Object.getOwnPropertyNames(protoTheirs).sort());
        for (const key of ['dtype', 'dimension', 'shape', 'stride', 'offset', 'size', 'order'] as const) {
          expect(ours[key], key).toEqual(theirs[key]);
        }
        expect(ours.data).toBe(data);
        for (const index of rowMajorIndices(shape)) {
          expect(ours.get(...index)).toBe(theirs.get(...index));
          expect(ours.index(...index)).toBe(theirs.index(...index));
        }
        if (shape.length > 0) {
          // Derived views come from the same list of classes, including a lower rank for pick.
          const half = shape.map((d) => Math.floor(d / 2));
          const derived = (v: typeof ours) => [v.pick(0), v.hi(...half), v.lo(...half), v.step(...shape.map(() => -1)), v.transpose(...shape.map((_, i) => shape.length - 1 - i))];
          derived(ours).forEach((view, i) => {
            const reference = derived(theirs)[i];
            expect([view.dimension, view.shape, view.stride, view.offset, view.order]).toEqual([
              reference.dimension,
              reference.shape,
              reference.stride,
              reference.offset,
              reference.order,
            ]);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('backs Tensor.array, made once and over the same values', () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(t.array).toBe(t.array);
    expect(t.array.data).toBe(t.values);
    expect(t.array.get(1, 2)).toBe(6);
  });

  it('refuses a rank above the compiled ones, naming the rank and shape', () => {
    const shape = Array.from({ length: MAX_VIEW_RANK + 1 }, () => 1);
    expect(() => tensor([7], shape).array).toThrow(`ndarray view: rank ${shape.length} (shape [${shape.join(', ')}]) is above the highest compiled rank ${MAX_VIEW_RANK}`);
    // The tensor itself works at any rank: only the view is limited.
    expect(tensor([7], shape).item()).toBe(7);
  });

  it('works where code generation from strings is forbidden (what a strict Content-Security-Policy does)', async () => {
    // @aekit/core bundled from its sources, run as a page would run it, in a
    // context where `eval` and `new Function` throw but WebAssembly compiles:
    // exactly CSP's "script-src 'self' 'wasm-unsafe-eval'".
    const result = await build({
      stdin: {
        contents: `
          import { adam, matmul, meanSquaredError, tensor, Random, glorotUniform, zeroGrad, kernelsInfo } from '@aekit/core';
          export function run() {
            const random = new Random(1);
            const x = tensor(Array.from({ length: 64 * 8 }, () => random.uniform()), [64, 8]);
            const w = tensor(glorotUniform([8, 8], random).values, [8, 8], { requiresGrad: true });
            const opt = adam({ learningRate: 0.05 });
            const losses = [];
            for (let step = 0; step < 40; step++) {
              zeroGrad([w]);
              const loss = meanSquaredError(matmul(x, w), x);
              loss.backward();
              opt.step([w]);
              losses.push(loss.item());
            }
            let blocked = false;
            try { new Function('return 1'); } catch { blocked = true; }
            return { tier: kernelsInfo().tier, losses, blocked, corner: w.array.get(7, 7), rank4: tensor([1, 2], [1, 1, 1, 2]).array.get(0, 0, 0, 1) };
          }`,
        resolveDir: packages,
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      globalName: 'entry',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'aekit-sources',
          setup(b) {
            b.onResolve({ filter: /^@aekit\/[\w-]+$/ }, (args) => ({ path: `${packages}/${args.path.slice('@aekit/'.length)}/src/index.ts` }));
          },
        },
      ],
    });
    const context = createContext({ WebAssembly, atob }, { codeGeneration: { strings: false, wasm: true } });
    runInContext(result.outputFiles[0].text, context);
    const out = runInContext('entry.run()', context) as { tier: string; losses: number[]; blocked: boolean; corner: number; rank4: number };
    expect(out.blocked).toBe(true);
    expect(out.tier).not.toBe('reference');
    expect(out.losses.every(Number.isFinite)).toBe(true);
    expect(out.losses.at(-1)!).toBeLessThan(0.5 * out.losses[0]);
    expect(Number.isFinite(out.corner)).toBe(true);
    expect(out.rank4).toBe(2);
  });
});

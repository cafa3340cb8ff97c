// The kernel law in a page. Bundled with the shared law helpers and fast-check,
// while every import of the kernels themselves stays external and resolves,
// through the page's import map, to the BUILT package (dist, .wasm inlined):
// what a user's page loads without a bundler.
import fc from 'fast-check';
import { kernelsInfo, type ConvGeometry, type Kernels, type KernelsInfo } from '@aekit/kernels-wasm';
// Internal, like in the Node tests: one named tier, and the im2col chunking.
import { convTuning, wasmKernelsOfTier } from '../../../packages/kernels-wasm/src/wasm.js';
import { gemmLaw } from '../../../packages/kernels-wasm/test/helpers/gemm-law.js';
import { compareConv, compareConvLayer, convCase, convLayerCase, oneChannelCase, winogradCase, type ConvKernel } from '../../../packages/kernels-wasm/test/helpers/conv-law.js';

type Tier = 'relaxed-simd' | 'simd128';

function kernelsOf(tier: Tier): Kernels {
  const kernels = wasmKernelsOfTier(tier);
  if (!kernels) throw new Error(`this browser does not validate the ${tier} kernels`);
  return kernels;
}

/** What the package selected here, and every WebAssembly tier this browser validates. */
export function info(): KernelsInfo & { tiers: Tier[] } {
  return { ...kernelsInfo(), tiers: (['relaxed-simd', 'simd128'] as const).filter((t) => wasmKernelsOfTier(t) !== null) };
}

/** Runs `check`, prefixing a failure with `label` and fast-check's report with the law's own message. */
function labelled<T>(label: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    const cause = (error as Error).cause;
    throw new Error(`${label}: ${(error as Error).message}${cause instanceof Error ? `\n${cause.message}` : ''}`);
  }
}

/** Runs every property of the gemm law on one tier; `seed` fixes the sizes, `scale` the number of runs. */
export function gemm(tier: Tier, seed: number, scale: number): string[] {
  const passed: string[] = [];
  for (const property of gemmLaw(kernelsOf(tier), scale)) {
    fc.configureGlobal({ seed });
    try {
      labelled(`gemm law (${tier}), ${property.name}`, property.run);
    } finally {
      fc.resetConfigureGlobal();
    }
    passed.push(property.name);
  }
  return passed;
}

/**
 * One convolution kernel of one tier at random geometries (sizes 1, primes,
 * non-multiples of 4; strides; both paddings; a quarter of them in Winograd's
 * regime, 3x3 stride 1 with whole vectors of channels, and a quarter with one
 * input channel and stride 1, the direct kernels' regime), half of the runs with
 * chunks of a random number of rows or tiles so chunk edges are crossed.
 */
export function conv(tier: Tier, kernel: ConvKernel, seed: number, numRuns: number): number {
  const kernels = kernelsOf(tier);
  const chunkRows = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }));
  const setRows = (rows: number) =>
    (convTuning.rowsForward = convTuning.rowsBackpropInput = convTuning.rowsBackpropFilter = convTuning.winogradTiles = rows);
  const property = fc.property(fc.oneof(convCase(13, 19), convCase(13, 19), winogradCase(13), oneChannelCase(13)), chunkRows, fc.integer(), (g: ConvGeometry, rows, s) => {
    setRows(rows);
    try {
      compareConv(kernels, kernel, g, s);
    } finally {
      setRows(0);
    }
  });
  labelled(`${kernel} law (${tier})`, () => fc.assert(property, { seed, numRuns }));
  return numRuns;
}

/** The fused convolution layer kernels of one tier equal its own kernels run back to back, bit for bit. */
export function convLayer(tier: Tier, seed: number, numRuns: number): number {
  const kernels = kernelsOf(tier);
  labelled(`conv layer (${tier})`, () => fc.assert(fc.property(convLayerCase(9, 11), (c) => compareConvLayer(kernels, c)), { seed, numRuns }));
  return numRuns;
}

/** The messages of kernel calls with inconsistent sizes on one tier, caught before WebAssembly runs. */
export function sizeErrors(tier: Tier): string[] {
  const kernels = kernelsOf(tier);
  const g: ConvGeometry = { n: 1, h: 5, w: 5, c: 2, kh: 3, kw: 3, sh: 1, sw: 1, oh: 5, ow: 5, padTop: 1, padLeft: 1, f: 3 };
  const calls = [
    () => kernels.gemm(false, false, 3, 4, 5, 1, new Float32Array(15), new Float32Array(20), 0, new Float32Array(11)),
    () => kernels.conv2d(g, new Float32Array(50), new Float32Array(54), new Float32Array(74)),
  ];
  return calls.map((call) => {
    try {
      call();
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  });
}

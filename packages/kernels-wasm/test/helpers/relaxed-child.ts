// Run by wasm.test.ts as `node --experimental-wasm-relaxed-simd --import tsx`
// where the test's own process cannot validate relaxed SIMD (Node 20): checks
// that the loader selects the relaxed tier and runs the kernel law on it.
import { kernelsInfo } from '../../src/index.js';
import { wasmKernelsOfTier } from '../../src/wasm.js';
import fc from 'fast-check';
import { compareConv, compareConvLayer, convCase, convLayerCase, oneChannelCase, winogradCase } from './conv-law.js';
import { fusedLaw } from './fused-law.js';
import { gemmLaw } from './gemm-law.js';
import { poolLaw } from './pool-law.js';

const kernels = wasmKernelsOfTier('relaxed-simd');
if (!kernels) throw new Error('relaxed-child: this process does not validate the relaxed-simd module');
const properties = gemmLaw(kernels, 0.5);
for (const p of properties) p.run();
console.log(`selected ${kernelsInfo().tier}; ${properties.length} properties held on ${kernels.tier}`);
for (const name of ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'] as const) {
  fc.assert(fc.property(convCase(13, 19), fc.integer(), (g, seed) => compareConv(kernels, name, g, seed)), { numRuns: 60 });
  fc.assert(fc.property(winogradCase(13), fc.integer(), (g, seed) => compareConv(kernels, name, g, seed)), { numRuns: 40 });
  fc.assert(fc.property(oneChannelCase(13), fc.integer(), (g, seed) => compareConv(kernels, name, g, seed)), { numRuns: 40 });
}
fc.assert(fc.property(convLayerCase(9, 11), (c) => compareConvLayer(kernels, c)), { numRuns: 40 });
console.log(`the convolution law held on ${kernels.tier}, Winograd's regime, the direct kernels and the fused layers included`);
const fused = fusedLaw(kernels);
for (const p of fused) p.run();
console.log(`${fused.length} fused-kernel properties held on ${kernels.tier}`);
const pooling = poolLaw(kernels);
for (const p of pooling) p.run();
console.log(`${pooling.length} pooling properties held on ${kernels.tier}`);

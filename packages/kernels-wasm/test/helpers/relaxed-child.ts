// Run by wasm.test.ts as `node --experimental-wasm-relaxed-simd --import tsx`
// where the test's own process cannot validate relaxed SIMD (Node 20): checks
// that the loader selects the relaxed tier and runs the kernel law on it.
import { kernelsInfo } from '../../src/index.js';
import { wasmKernelsOfTier } from '../../src/wasm.js';
import { gemmLaw } from './gemm-law.js';

const kernels = wasmKernelsOfTier('relaxed-simd');
if (!kernels) throw new Error('relaxed-child: this process does not validate the relaxed-simd module');
const properties = gemmLaw(kernels, 0.5);
for (const p of properties) p.run();
console.log(`selected ${kernelsInfo().tier}; ${properties.length} properties held on ${kernels.tier}`);

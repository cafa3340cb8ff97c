// `pnpm bench`: every suite, aekit beside TensorFlow.js in one process, then a
// markdown table of the figures and the ratios (paste into RESULTS.md).
import { cpus } from 'node:os';
import { kernelsInfo } from '@aekit/kernels-wasm';
import { gemmSuite } from './gemm.bench.js';
import { table } from './report.js';

console.log(`aekit benchmarks: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, kernels ${kernelsInfo().tier}`);
const gemm = await gemmSuite();
console.log('\n## gemm, single thread, float32\n');
console.log(table(gemm, 'GFLOP/s'));

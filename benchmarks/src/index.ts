// `pnpm bench` (and `bench:relaxed`, the same under Node 20's relaxed-SIMD flag):
// every suite, aekit beside TensorFlow.js in one process, then a
// markdown table of the figures and the ratios (paste into RESULTS.md).
// Suite names as arguments run only those: `pnpm bench training conv`.
import { kernelsInfo } from '@aekit/kernels-wasm';
import { gemmSuite } from './gemm.bench.js';
import { throughputSuite } from './throughput.bench.js';
import { trainingSuite } from './training.bench.js';
import { machineInfo } from './machine.js';
import { statistic, table } from './report.js';

const machine = machineInfo();
console.log(
  `aekit benchmarks: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, kernels ${kernelsInfo().tier}, ` +
    `clock ${machine.clockGhz.toFixed(2)} GHz measured, so a SIMD128 peak of ${machine.simd128PeakGflops.toFixed(1)} GFLOP/s per core ` +
    `(2 f32x4.mul + 2 f32x4.add per cycle); each figure is the ${statistic} time per call`,
);
const suites = ['gemm', 'training', 'conv', 'throughput'];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !suites.includes(name));
if (unknown.length > 0) throw new Error(`aekit benchmarks: unknown suite ${unknown.join(', ')}; the suites are ${suites.join(', ')}`);
const wanted = (name: string) => chosen.length === 0 || chosen.includes(name);

if (wanted('gemm')) {
  const gemm = await gemmSuite();
  console.log('\n## gemm, single thread, float32\n');
  console.log(table(gemm, 'GFLOP/s', machine.simd128PeakGflops));
}

if (wanted('training')) {
  const training = await trainingSuite();
  console.log('\n## the dense autoencoder\'s training step\n');
  console.log(table(training.measurements, 'ms'));
  const { stepMs, gemmMs } = training.outsideGemm;
  console.log(`\naekit: ${stepMs.toFixed(2)} ms a step, ${gemmMs.toFixed(2)} ms of it in gemm, ${(100 * (1 - gemmMs / stepMs)).toFixed(1)}% outside`);
}

if (wanted('conv')) {
  const { convSuite } = await import('./conv.bench.js');
  const r = await convSuite();
  console.log(`\n## convolution, 3x3 same, batch 128\n\n${[table(r.measurements, 'ms'), '', ...r.notes].join('\n')}`);
}

if (wanted('throughput')) {
  console.log('\n## end-to-end training throughput (fit, one child process per run)\n');
  console.log(throughputSuite().table);
}

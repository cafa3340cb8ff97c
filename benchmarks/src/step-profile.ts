// The dense autoencoder's training step (784-64-784, batch 256, MSE, Adam) written
// out with core ops two ways, alternated in one process so machine drift hits both:
// "composite" (matmul, then biasActivation: what Dense did before the fused
// primitive) and "fused" (matmulBiasActivation: what Dense does now). Prints each
// one's median step and its gemm share, then runs the fused step for a while so
// `node --cpu-prof --import tsx src/step-profile.ts` profiles what sits outside gemm.
import { adam, biasActivation, glorotUniform, matmul, matmulBiasActivation, meanSquaredError, Random, Tensor, tensor, zeroGrad, zeros } from '@aekit/core';
import { gemmClock } from '@aekit/kernels-wasm';

const [BATCH, INPUT, CODE] = [256, 784, 64];

function stepper(fused: boolean): () => void {
  const rng = new Random(1);
  const x = tensor(Float32Array.from({ length: BATCH * INPUT }, () => rng.next()), [BATCH, INPUT]);
  const param = (t: Tensor) => new Tensor(t.values, t.shape, true);
  const [w1, b1, w2, b2] = [param(glorotUniform([INPUT, CODE], rng)), param(zeros([CODE])), param(glorotUniform([CODE, INPUT], rng)), param(zeros([INPUT]))];
  const params = [w1, b1, w2, b2];
  const optimizer = adam();
  const layer = fused
    ? (a: Tensor, w: Tensor, b: Tensor, act: 'relu' | 'sigmoid') => matmulBiasActivation(a, w, b, act)
    : (a: Tensor, w: Tensor, b: Tensor, act: 'relu' | 'sigmoid') => biasActivation(matmul(a, w), b, act);
  return () => {
    zeroGrad(params);
    meanSquaredError(layer(layer(x, w1, b1, 'relu'), w2, b2, 'sigmoid'), x).backward();
    optimizer.step(params);
  };
}

/** Median ms per step over `rounds` rounds of `steps` steps, and the gemm ms per step over all of them. */
function time(step: () => void, steps: number): { ms: number; gemmMs: number } {
  gemmClock.ms = 0;
  gemmClock.enabled = true;
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - start) / steps;
  gemmClock.enabled = false;
  return { ms, gemmMs: gemmClock.ms / steps };
}

const runners = { composite: stepper(false), fused: stepper(true) };
for (const step of Object.values(runners)) time(step, 30);
const rounds: Record<string, { ms: number; gemmMs: number }[]> = { composite: [], fused: [] };
for (let round = 0; round < 9; round++) {
  for (const [name, step] of Object.entries(runners)) rounds[name].push(time(step, 20));
}
for (const [name, list] of Object.entries(rounds)) {
  // The best round (least disturbed by the neighbours), with its own gemm share.
  const best = list.reduce((a, b) => (b.ms < a.ms ? b : a));
  console.log(`${name.padEnd(10)} ${best.ms.toFixed(2)} ms a step, gemm ${best.gemmMs.toFixed(2)} ms, ${(100 * (1 - best.gemmMs / best.ms)).toFixed(0)}% outside gemm`);
}
if (process.argv.includes('--profile')) time(runners.fused, 1500);

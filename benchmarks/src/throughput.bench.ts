import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ModelName, Runner, ThroughputResult } from './throughput-child.js';

/**
 * Who trains what, on how many samples: the samples are the same for every
 * runner of a model where time allows, so peak memory compares like with like.
 * TF.js cpu gets fewer (its dense epochs take seconds, its convolution
 * gradients minutes per batch of 128); its memory is then not comparable.
 */
const plan: readonly { model: ModelName; runner: Runner; samples: number; batch: number; epochs: number }[] = [
  { model: 'dense', runner: 'aekit', samples: 5120, batch: 256, epochs: 10 },
  { model: 'dense', runner: 'tfjs-wasm', samples: 5120, batch: 256, epochs: 1 },
  { model: 'dense', runner: 'tfjs-cpu', samples: 1024, batch: 256, epochs: 1 },
  { model: 'multilayer', runner: 'aekit', samples: 5120, batch: 256, epochs: 4 },
  { model: 'multilayer', runner: 'tfjs-wasm', samples: 5120, batch: 256, epochs: 1 },
  { model: 'multilayer', runner: 'tfjs-cpu', samples: 512, batch: 256, epochs: 1 },
  { model: 'conv', runner: 'aekit', samples: 1024, batch: 128, epochs: 1 },
  { model: 'conv', runner: 'tfjs-wasm', samples: 1024, batch: 128, epochs: 1 },
  { model: 'conv', runner: 'tfjs-cpu', samples: 4, batch: 4, epochs: 1 },
];

const labels: Record<ModelName, string> = {
  dense: 'dense 784-64-784, MSE, batch 256',
  multilayer: 'multilayer 784-256-128-32-128-256-784, MSE, batch 256',
  conv: 'convolutional denoising (seed), BCE, batch 128',
};

/**
 * Rounds over the whole plan: each runner keeps its best rate (a run of a
 * second or two on a shared machine can lose half its speed to a neighbour)
 * and its highest peak memory. Three, not two: in three of the runs in
 * RESULTS.md one of two rounds lost up to a quarter of its rate (the same
 * dense run gave 39,370 and 52,793 samples/s), and the rounds apply to
 * every runner alike.
 */
const ROUNDS = 3;

/**
 * End-to-end training throughput (samples per second through `fit`) and peak
 * memory, each run in a child process of its own (the parent's own flags,
 * such as --experimental-wasm-relaxed-simd, are passed on).
 */
export function throughputSuite(): { results: ThroughputResult[]; table: string } {
  const runs: ThroughputResult[] = [];
  for (let round = 0; round < ROUNDS; round++) runs.push(...throughputRound());
  const results = plan.map(({ model, runner }) => {
    const mine = runs.filter((r) => r.model === model && r.runner === runner);
    const rated = mine.filter((r) => r.samplesPerSecond !== undefined);
    const best = rated.length === 0 ? mine[0] : rated.reduce((a, b) => ((b.samplesPerSecond as number) > (a.samplesPerSecond as number) ? b : a));
    return { ...best, peakRssMb: Math.max(...mine.map((r) => r.peakRssMb)), heapMb: Math.max(...mine.map((r) => r.heapMb)) };
  });
  return { results, table: throughputTable(results) };
}

function throughputRound(): ThroughputResult[] {
  const child = fileURLToPath(new URL('./throughput-child.ts', import.meta.url));
  const results: ThroughputResult[] = [];
  for (const { model, runner, samples, batch, epochs } of plan) {
    const run = spawnSync(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), '--import', 'tsx', child, model, runner, String(samples), String(batch), String(epochs)], {
      encoding: 'utf8',
      timeout: 240_000,
      maxBuffer: 64 * 2 ** 20,
    });
    const line = run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    const result: ThroughputResult = line
      ? (JSON.parse(line) as ThroughputResult)
      : { model, runner, samples, batch, epochs, error: `no result (status ${run.status}, ${run.signal ?? 'no signal'})`, peakRssMb: 0, heapMb: 0 };
    results.push(result);
    const rate = result.samplesPerSecond === undefined ? `failed: ${result.error}` : `${result.samplesPerSecond.toFixed(0)} samples/s`;
    console.log(`  ${model.padEnd(10)} ${runner.padEnd(10)} ${rate}, peak RSS ${result.peakRssMb.toFixed(0)} MB, heap ${result.heapMb.toFixed(1)} MB`);
  }
  return results;
}

function throughputTable(results: ThroughputResult[]): string {
  const runners: Runner[] = ['aekit', 'tfjs-wasm', 'tfjs-cpu'];
  const header = ['model', ...runners.map((r) => `${r} (samples/s)`), 'aekit / tfjs-wasm', 'aekit / tfjs-cpu', ...runners.map((r) => `${r} peak RSS (MB)`)];
  const rows = (Object.keys(labels) as ModelName[]).map((model) => {
    const of = (r: Runner) => results.find((x) => x.model === model && x.runner === r);
    const rate = (r: Runner) => {
      const x = of(r);
      if (x === undefined) return '';
      return x.samplesPerSecond === undefined ? `throws: ${x.error}` : `${x.samplesPerSecond.toFixed(0)}${x.samples < (of('aekit')?.samples ?? 0) ? ` (${x.samples} samples)` : ''}`;
    };
    const ratio = (r: Runner) => {
      const ours = of('aekit')?.samplesPerSecond;
      const theirs = of(r)?.samplesPerSecond;
      return ours === undefined || theirs === undefined ? '' : `${(ours / theirs).toFixed(1)}x`;
    };
    return [labels[model], ...runners.map(rate), ratio('tfjs-wasm'), ratio('tfjs-cpu'), ...runners.map((r) => of(r)?.peakRssMb.toFixed(0) ?? '')];
  });
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

import { loadMnist } from '@aekit/data/node';
import type { ReportSection } from '@aekit/data';
import { anomalySection } from './anomaly.js';
import type { DemoContext } from './context.js';
import { denoisingSection } from './denoising.js';
import { pretrainingSection } from './pretraining.js';
import { sparseSection } from './sparse.js';
import { vanillaSection } from './vanilla.js';
import { variationalSection } from './variational.js';
import { versusPcaSection } from './versus-pca.js';

/**
 * The demo's work in two lanes of about equal length, one per core: each runs
 * in its own worker thread (WebAssembly kernels are single-threaded, so two
 * lanes use both cores) and returns its report sections in page order.
 */
export const LANES = {
  async models(ctx: DemoContext): Promise<ReportSection[]> {
    return [...(await vanillaSection(ctx)), ...(await denoisingSection(ctx)), ...(await sparseSection(ctx))];
  },
  async applications(ctx: DemoContext): Promise<ReportSection[]> {
    const versusPca = await versusPcaSection(ctx);
    const pair32 = versusPca.pairs.find((p) => p.k === 32);
    if (pair32 === undefined) throw new Error('demo: the comparison with PCA fitted no 32-float code');
    return [...versusPca.sections, ...pretrainingSection(ctx, pair32), ...(await variationalSection(ctx)), ...(await anomalySection(ctx))];
  },
};

export type LaneName = keyof typeof LANES;

/** What a lane sends back to the main thread. */
export interface LaneResult {
  sections: ReportSection[];
  files: DemoContext['files'];
  metrics: DemoContext['metrics'];
  checks: DemoContext['checks'];
  seconds: number;
}

/** Runs one lane in this thread, on MNIST loaded here. */
export async function runLane(name: LaneName, seed: number, log: (text: string) => void): Promise<LaneResult> {
  const start = performance.now();
  const ctx: DemoContext = { mnist: loadMnist(), seed, files: {}, metrics: {}, checks: [], log };
  const sections = await LANES[name](ctx);
  return { sections, files: ctx.files, metrics: ctx.metrics, checks: ctx.checks, seconds: (performance.now() - start) / 1000 };
}

import { Bench } from 'tinybench';

/** One measured figure: a task's median time and, where it has one, its rate. */
export interface Measurement {
  suite: string;
  case: string;
  runner: string;
  /** Median time per call: these shared machines have noisy neighbours, and a median shrugs off their bursts. */
  ms: number;
  /** Floating-point work per call, for GFLOP/s. */
  flops?: number;
}

/**
 * Which statistic `measure` reports for every runner alike: the median by
 * default; the minimum with AEKIT_BENCH_STAT=min, for a machine so shared
 * that medians measure the neighbours (the fastest call is then the estimate
 * of an uncontended one).
 */
export const statistic: 'median' | 'min' = process.env.AEKIT_BENCH_STAT === 'min' ? 'min' : 'median';

/**
 * Times `fn` with tinybench and returns the median (or, see `statistic`, the
 * minimum) milliseconds per call. Slow peers get fewer iterations: the budget
 * is `timeMs`, with at least `minIterations` samples.
 */
export async function measure(fn: () => void, timeMs = 600, minIterations = 5): Promise<number> {
  const bench = new Bench({ time: timeMs, iterations: minIterations, warmupTime: 150, warmupIterations: 2 });
  bench.add('task', fn);
  await bench.run();
  const result = bench.tasks[0].result;
  if (!result || result.error) throw result?.error ?? new Error('tinybench returned no result');
  return statistic === 'min' ? result.latency.min : (result.latency.p50 ?? result.latency.mean);
}

/** Milliseconds one call of `fn` takes (for scripts that keep the fastest of alternating calls). */
export function elapsedMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function gflops(m: Measurement): number | undefined {
  return m.flops === undefined ? undefined : m.flops / (m.ms * 1e6);
}

/**
 * A markdown table: one row per case, one column per runner, and aekit's ratio
 * to each peer; with `peakGflops`, also aekit's rate as a fraction of that peak.
 */
export function table(measurements: Measurement[], unit: 'GFLOP/s' | 'ms', peakGflops?: number): string {
  const runners = [...new Set(measurements.map((m) => m.runner))];
  const cases = [...new Set(measurements.map((m) => m.case))];
  const value = (m: Measurement | undefined) => (m === undefined ? undefined : unit === 'ms' ? m.ms : gflops(m));
  const peers = runners.filter((r) => r !== 'aekit');
  const showPeak = unit === 'GFLOP/s' && peakGflops !== undefined;
  const header = ['case', ...runners.map((r) => `${r} (${unit})`), ...(showPeak ? ['aekit / peak'] : []), ...peers.map((p) => `aekit / ${p}`)];
  const rows = cases.map((c) => {
    const get = (r: string) => value(measurements.find((m) => m.case === c && m.runner === r));
    const ours = get('aekit');
    const ratios = peers.map((p) => {
      const theirs = get(p);
      if (ours === undefined || theirs === undefined) return '';
      // Higher is better for a rate, lower for a time: the ratio always reads "times better".
      return `${(unit === 'ms' ? theirs / ours : ours / theirs).toFixed(2)}x`;
    });
    const peak = showPeak ? [ours === undefined ? '' : `${Math.round((100 * ours) / peakGflops)}%`] : [];
    return [c, ...runners.map((r) => get(r)?.toFixed(unit === 'ms' ? 2 : 1) ?? ''), ...peak, ...ratios];
  });
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

import { reshape, type Tensor } from '@aekit/core';
import { encodePng, imageGrid, lossCurves, type Mnist, type ReportFigure } from '@aekit/data';
import { epochLogger, sliceRows, type Callback, type History } from '@aekit/models';

/** What every part of the demo shares: the data, the seed, and what it adds to the report. */
export interface DemoContext {
  mnist: Mnist;
  seed: number;
  /** Files of the report folder, by path relative to it (the PNG figures). */
  files: Record<string, Uint8Array | string>;
  /** Headline numbers for the top of the report, by name. */
  metrics: Record<string, number | string>;
  /** The bars the demo holds itself to: a missed one fails the run after the report is written. */
  checks: Check[];
  log(text: string): void;
}

/** One bar: what was measured against what it must be. */
export interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

/** MNIST images `[n, 28, 28, 1]` as rows of 784 pixels. */
export const flat = (x: Tensor): Tensor => reshape(x, [x.shape[0], 784]);

/** The first `count` samples of `x` (all of them if fewer), sharing its values. */
export const firstRows = (x: Tensor, count: number): Tensor => sliceRows(x, 0, Math.min(count, x.shape[0]));

/** A PNG of digit rows (each a batch of 784-pixel or 28x28 images), one row of the grid each, as the seed's figures. */
export function digitGrid(rows: readonly Tensor[], scale = 2): Uint8Array {
  return encodePng(imageGrid(rows.map((r) => reshape(r, [-1, 28, 28])), { padding: 2, scale }));
}

/** The loss curves of a run (every logged term, training and validation) as an inline figure. */
export function lossFigure(history: History, caption: string): ReportFigure {
  return { svg: lossCurves(history.history, { title: 'Loss per epoch', width: 480, height: 300 }), caption };
}

/** Runs `work` and returns its result with the seconds it took. */
export async function timed<T>(work: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, (performance.now() - start) / 1000];
}

/** `value` to `digits` decimals, for tables. */
export const fixed = (value: number, digits = 4): string => value.toFixed(digits);

/**
 * `fit`'s display for the demo: the library's line per epoch, through
 * `ctx.log` and labelled with the model, since two lanes train at once and
 * their lines interleave.
 */
export function epochLines(ctx: DemoContext, label: string, epochs: number): { verbose: 0; callbacks: Callback[] } {
  return { verbose: 0, callbacks: [epochLogger(epochs, (line) => ctx.log(`${label}: ${line}`))] };
}

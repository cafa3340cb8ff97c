import { afterEach, describe, expect, it, vi } from 'vitest';
import { tensor } from '@aekit/core';
import { dense, formatDuration, formatEpochLine, formatLogValue, progressBar, sequential } from '@aekit/models';

/** A fake terminal that records what is written. */
function fakeTerminal(columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { isTTY: true, columns, write: (s: string) => (writes.push(s), true) } };
}

/** Runs `performance.now()` through the given times, one per call. */
function clock(times: number[]) {
  let i = 0;
  return vi.spyOn(performance, 'now').mockImplementation(() => times[Math.min(i++, times.length - 1)]);
}

afterEach(() => void vi.restoreAllMocks());

describe('progress lines', () => {
  it('prints an epoch the way Keras does', () => {
    expect(formatEpochLine(2, 10, 2.08, { loss: 0.0197, val_loss: 0.0151 })).toBe('Epoch 3/10 - 2.1s - loss: 0.0197 - val_loss: 0.0151');
  });

  it('switches to scientific notation below 1e-3', () => {
    expect(formatLogValue(0.00042)).toBe('4.2000e-4');
    expect(formatLogValue(0.0051)).toBe('0.0051');
  });
});

describe('progressBar', () => {
  it('redraws a bar in place with the running loss, then prints the epoch line', async () => {
    const { progressBar } = await import('@aekit/models');
    const writes: string[] = [];
    const bar = progressBar(2, { isTTY: true, write: (s: string) => (writes.push(s), true) });
    bar.setParams?.({ epochs: 2, steps: 4 });
    bar.onEpochBegin?.(0);
    for (let b = 0; b < 4; b++) bar.onBatchEnd?.(b, { loss: 0.1 * (b + 1) });
    bar.onEpochEnd?.(0, { loss: 0.25 });
    const last = writes[writes.length - 2];
    expect(last).toMatch(/^\rEpoch 1\/2 \[=+\] 4\/4 - ETA 0\.0s - loss: 0\.2500\x1b\[K$/);
    expect(writes[writes.length - 1]).toMatch(/^\rEpoch 1\/2 - \d+\.\ds - loss: 0\.2500\x1b\[K\n$/);
  });
});

describe('progressBar timing and width', () => {
  it('shows step/steps, the ETA from the mean step time and the running loss, at most ten times a second', () => {
    const { writes, stream } = fakeTerminal();
    const bar = progressBar(3, stream);
    bar.setParams?.({ epochs: 3, steps: 4 });
    // Epoch begins at t=0; batches end at 1000, 1050 (too soon to redraw), 1200 and 1300 (the last always draws).
    clock([0, 1000, 1050, 1200, 1300, 1400]);
    bar.onEpochBegin?.(1);
    [0.4, 0.2, 0.3, 0.1].forEach((loss, b) => bar.onBatchEnd?.(b, { loss }));
    expect(writes).toHaveLength(3);
    // After 1 step in 1 s, 3 to go: 3.0 s. After 3 steps in 1.2 s: 0.4 s per step, 1 to go.
    expect(writes[0]).toBe(`\rEpoch 2/3 [${'='.repeat(7)}>${'.'.repeat(22)}] 1/4 - ETA 3.0s - loss: 0.4000\x1b[K`);
    expect(writes[1]).toMatch(/^\rEpoch 2\/3 \[=+>\.+\] 3\/4 - ETA 0\.4s - loss: 0\.3000\x1b\[K$/);
    expect(writes[2]).toMatch(/ 4\/4 - ETA 0\.0s - loss: 0\.2500\x1b\[K$/);
    bar.onEpochEnd?.(1, { loss: 0.25 });
    expect(writes[3]).toBe('\rEpoch 2/3 - 1.4s - loss: 0.2500\x1b[K\n');
  });

  it('cuts the bar to the terminal width, so it redraws in place instead of wrapping', () => {
    const { writes, stream } = fakeTerminal(40);
    const bar = progressBar(1, stream);
    bar.setParams?.({ epochs: 1, steps: 2 });
    bar.onEpochBegin?.(0);
    bar.onBatchEnd?.(0, { loss: 0.5 });
    const visible = writes[0].replace('\r', '').replace('\x1b[K', '');
    expect(visible).toHaveLength(39);
    expect(visible).toBe(`Epoch 1/1 [${'='.repeat(14)}>${'.'.repeat(15)}] 1/2 - ETA`.slice(0, 39));
  });

  it('ends an open bar line when training stops mid-epoch, and adds nothing otherwise', () => {
    const { writes, stream } = fakeTerminal();
    const bar = progressBar(1, stream);
    bar.setParams?.({ epochs: 1, steps: 5 });
    bar.onEpochBegin?.(0);
    bar.onBatchEnd?.(0, { loss: 0.5 });
    bar.onTrainEnd?.({});
    expect(writes[writes.length - 1]).toBe('\n');
    const done = fakeTerminal();
    const other = progressBar(1, done.stream);
    other.setParams?.({ epochs: 1, steps: 1 });
    other.onEpochBegin?.(0);
    other.onBatchEnd?.(0, { loss: 0.5 });
    other.onEpochEnd?.(0, { loss: 0.5 });
    const count = done.writes.length;
    other.onTrainEnd?.({});
    expect(done.writes).toHaveLength(count);
  });

  it('formats durations as Keras does', () => {
    expect(formatDuration(4.24)).toBe('4.2s');
    expect(formatDuration(187)).toBe('3:07');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});

describe('fit chooses its display', () => {
  const x = tensor(Float32Array.from({ length: 8 * 4 }, (_, i) => (i % 5) / 5), [8, 4]);
  const model = () => sequential([dense(4)], { inputShape: [4] }).compile({ loss: 'mse' });

  function asTerminal(isTTY: boolean) {
    const stdout = process.stdout as { isTTY?: boolean };
    const was = stdout.isTTY;
    stdout.isTTY = isTTY;
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    return { write, log, restore: () => void (stdout.isTTY = was) };
  }

  it('a live bar in a terminal, with verbose 1', async () => {
    const t = asTerminal(true);
    try {
      await model().fit(x, x, { epochs: 2, batchSize: 4 });
    } finally {
      t.restore();
    }
    const text = t.write.mock.calls.map((c) => String(c[0])).join('');
    expect(text).toMatch(/\rEpoch 1\/2 \[=+\] 2\/2 - ETA 0\.0s - loss: \d\.\d{4}/);
    expect(text).toMatch(/\rEpoch 2\/2 - \d+\.\ds - loss: \d\.\d{4}\x1b\[K\n$/);
    expect(t.log).not.toHaveBeenCalled();
  });

  it('a plain line per epoch when output is not a terminal, or with verbose 2', async () => {
    for (const [isTTY, verbose] of [[false, 1], [true, 2]] as const) {
      const t = asTerminal(isTTY);
      try {
        await model().fit(x, x, { epochs: 2, batchSize: 4, verbose });
      } finally {
        t.restore();
      }
      expect(t.log.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^Epoch 1\/2 - \d+\.\ds - loss: \d\.\d{4}$/),
        expect.stringMatching(/^Epoch 2\/2 - \d+\.\ds - loss: \d\.\d{4}$/),
      ]);
      vi.restoreAllMocks();
    }
  });
});

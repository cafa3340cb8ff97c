import { describe, expect, it } from 'vitest';
import { formatEpochLine, formatLogValue } from '@aekit/models';

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

import { describe, expect, it } from 'vitest';
import { tensor } from '@aekit/core';
import { dense, sequential, trainingEvents, type TrainingEvent, type TrainingEventType } from '@aekit/models';

describe('trainingEvents', () => {
  it('dispatches a CustomEvent per hook, with epoch, step and logs in detail', async () => {
    const x = tensor(Float32Array.from({ length: 10 * 4 }, (_, i) => (i % 3) / 3), [10, 4]);
    const model = sequential([dense(4)], { inputShape: [4] }).compile({ loss: 'mse' });
    const events = trainingEvents();
    const seen: { type: string; detail: unknown }[] = [];
    for (const type of ['trainbegin', 'epochbegin', 'batchend', 'epochend', 'trainend'] satisfies TrainingEventType[]) {
      events.target.addEventListener(type, (e) => {
        expect(e).toBeInstanceOf(CustomEvent);
        seen.push({ type: e.type, detail: (e as TrainingEvent).detail });
      });
    }
    const history = await model.fit(x, x, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [events] });
    expect(seen.map((e) => e.type)).toEqual([
      'trainbegin',
      'epochbegin',
      'batchend',
      'batchend',
      'batchend',
      'epochend',
      'epochbegin',
      'batchend',
      'batchend',
      'batchend',
      'epochend',
      'trainend',
    ]);
    expect(seen[0].detail).toEqual({ epochs: 2, steps: 3 });
    expect(seen[6].detail).toEqual({ epoch: 1, epochs: 2, steps: 3 });
    const batch = seen[8].detail as TrainingEvent<'batchend'>['detail'];
    expect(batch).toMatchObject({ epoch: 1, step: 1, steps: 3 });
    expect(Number.isFinite(batch.logs.loss)).toBe(true);
    const epochEnd = seen[10].detail as TrainingEvent<'epochend'>['detail'];
    expect(epochEnd).toEqual({ epoch: 1, epochs: 2, logs: { loss: history.history.loss[1] } });
    expect(seen[11].detail).toEqual({ logs: { loss: history.history.loss[1] } });
  });

  it('dispatches on the target it is given, with logs a listener may keep', () => {
    const target = new EventTarget();
    const events = trainingEvents(target);
    expect(events.target).toBe(target);
    const kept: TrainingEvent<'epochend'>['detail'][] = [];
    target.addEventListener('epochend', (e) => void kept.push((e as TrainingEvent<'epochend'>).detail));
    const logs = { loss: 0.5 };
    events.setParams?.({ epochs: 1, steps: 1 });
    events.onEpochEnd?.(0, logs);
    logs.loss = 9; // a later change to the logs must not reach what a listener kept
    expect(kept).toEqual([{ epoch: 0, epochs: 1, logs: { loss: 0.5 } }]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random, Tensor, type Shape } from '@aekit/core';
import { denseAutoencoder, type Model } from '@aekit/models';
import { formatCheckpointPath, loadModel, modelCheckpoint } from '@aekit/models/node';

function uniform(shape: Shape, seed: number): Tensor {
  const rng = new Random(seed);
  return new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(0, 1)), shape);
}

const firstWeight = (m: Model) => Array.from(m.parameters()[0].values);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('modelCheckpoint', () => {
  it('with saveBestOnly writes only when the monitored term improves, holding the weights of that epoch', async () => {
    const model = denseAutoencoder({ inputDim: 4, codeDim: 2 });
    const checkpoint = modelCheckpoint({ filepath: join(dir, 'ckpt-{epoch:02d}-{val_loss:.2f}'), saveBestOnly: true });
    checkpoint.setModel!(model);
    checkpoint.onTrainBegin!();
    const snapshots = new Map<number, number[]>();
    for (const [epoch, valLoss] of [[0, 0.5], [1, 0.7], [2, 0.5], [3, 0.25]] as const) {
      model.parameters()[0].values[0] = epoch + 10; // a different model each epoch
      snapshots.set(epoch, firstWeight(model));
      await checkpoint.onEpochEnd!(epoch, { loss: 1, val_loss: valLoss });
    }
    // Epoch 2 only ties the best: not an improvement, as in Keras.
    expect((await readdir(dir)).sort()).toEqual(['ckpt-01-0.50', 'ckpt-04-0.25']);
    expect(checkpoint.best).toBe(0.25);
    expect(firstWeight(await loadModel(join(dir, 'ckpt-01-0.50')))).toEqual(snapshots.get(0));
    expect(firstWeight(await loadModel(join(dir, 'ckpt-04-0.25')))).toEqual(snapshots.get(3));
  });

  it('with a fixed path and saveBestOnly, the one directory ends holding the best epoch, with no temporary files', async () => {
    const model = denseAutoencoder({ inputDim: 4, codeDim: 2 });
    const checkpoint = modelCheckpoint({ filepath: join(dir, 'best'), saveBestOnly: true });
    checkpoint.setModel!(model);
    checkpoint.onTrainBegin!();
    let best: number[] = [];
    for (const [epoch, valLoss] of [[0, 3], [1, 1], [2, 2]] as const) {
      model.parameters()[0].values[0] = epoch + 10;
      if (epoch === 1) best = firstWeight(model);
      await checkpoint.onEpochEnd!(epoch, { val_loss: valLoss });
    }
    expect(await readdir(dir)).toEqual(['best']);
    expect((await readdir(join(dir, 'best'))).sort()).toEqual(['model.json', 'weights.bin']);
    expect(firstWeight(await loadModel(join(dir, 'best')))).toEqual(best);
    expect(checkpoint.saved).toHaveLength(2);
  });

  it("in 'max' mode keeps the highest; a missing term warns and saves nothing", async () => {
    const model = denseAutoencoder({ inputDim: 4, codeDim: 2 });
    const checkpoint = modelCheckpoint({ filepath: join(dir, 'e{epoch}'), saveBestOnly: true, monitor: 'score', mode: 'max' });
    checkpoint.setModel!(model);
    checkpoint.onTrainBegin!();
    for (const [epoch, score] of [[0, 0.1], [1, 0.3], [2, 0.2]] as const) await checkpoint.onEpochEnd!(epoch, { score });
    expect((await readdir(dir)).sort()).toEqual(['e1', 'e2']);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await checkpoint.onEpochEnd!(3, { loss: 1 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/'score' is not logged \(logged: loss\); nothing saved/));
    warn.mockRestore();
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('saves every epoch inside fit by default, leaving only model files behind', async () => {
    const model = denseAutoencoder({ inputDim: 6, codeDim: 2, seed: 3 }).compile({ loss: 'mse' });
    const x = uniform([8, 6], 1);
    const checkpoint = modelCheckpoint({ filepath: join(dir, 'epoch-{epoch}'), includeOptimizer: true });
    await model.fit(x, x, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [checkpoint] });
    expect((await readdir(dir)).sort()).toEqual(['epoch-1', 'epoch-2', 'epoch-3']);
    expect(checkpoint.saved).toEqual([1, 2, 3].map((e) => join(dir, `epoch-${e}`)));
    for (const e of [1, 2, 3]) expect((await readdir(join(dir, `epoch-${e}`))).sort()).toEqual(['model.json', 'weights.bin']);
    const last = await loadModel(join(dir, 'epoch-3'));
    expect(last.optimizer?.iterations).toBe(6);
    expect(last.predict(x).toArray()).toEqual(model.predict(x).toArray());
  });

  it('refuses a model it cannot save and a path naming a term that is not logged', () => {
    const checkpoint = modelCheckpoint({ filepath: join(dir, 'x') });
    expect(() => checkpoint.setModel!({ name: 'bare', stopTraining: false, parameters: () => [] })).toThrow(/can save only a Model, and 'bare' is not one/);
    expect(() => formatCheckpointPath('m-{acc:.3f}', 0, { loss: 1 })).toThrow(/names '\{acc\}', which is not logged \(logged: epoch, loss\)/);
    expect(formatCheckpointPath('m-{epoch:03d}-{loss:.3f}-{loss}', 4, { loss: 0.12345 })).toBe('m-005-0.123-0.12345');
    expect(() => modelCheckpoint({ filepath: 'x', mode: 'auto' as 'min' })).toThrow(/mode must be 'min' or 'max', got 'auto'/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adam, Random, Tensor, type Shape } from '@aekit/core';
import { batchNormalization, conv2d, dense, denseVariationalAutoencoder, flatten, ModelFormatError, sequential, VariationalAutoencoder } from '@aekit/models';
import { loadModel, saveModel } from '@aekit/models/node';

function uniform(shape: Shape, seed: number): Tensor {
  const rng = new Random(seed);
  return new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(0, 1)), shape);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-save-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const small = () => sequential([dense(3, { activation: 'relu' }), dense(2)], { inputShape: [4], name: 'small', seed: 2 });

describe('saveModel / loadModel', () => {
  it('writes model.json and weights.bin only (no temporary files left), and loads identical predictions', async () => {
    const model = sequential([conv2d(2, 3, { padding: 'same' }), batchNormalization(), flatten(), dense(3)], { inputShape: [4, 4, 1], seed: 3 });
    const x = uniform([5, 4, 4, 1], 4);
    await model.compile({ loss: 'mse' }).fit(x, uniform([5, 3], 5), { epochs: 1, batchSize: 2, verbose: 0 });
    const target = join(dir, 'nested', 'conv');
    await saveModel(model, target);
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(json.modelTopology).toMatchObject({ format: 'aekit-model', formatVersion: 1, className: 'Sequential' });
    expect(json.weightsChecksum).toMatch(/^fnv1a32:[0-9a-f]{8}$/);
    const bytes = await readFile(join(target, 'weights.bin'));
    const floats = json.weightSpecs.reduce((n: number, s: { shape: number[] }) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    expect(bytes.length).toBe(floats * 4);
    const copy = await loadModel(target);
    expect(copy.predict(x).toArray()).toEqual(model.predict(x).toArray());
    // Saving again over the same directory replaces the files, still leaving nothing else.
    await saveModel(model, target);
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('round-trips a VAE with its optimizer, compiled and ready to resume', async () => {
    const vae = denseVariationalAutoencoder({ inputDim: 6, latentDim: 2, hidden: [4], seed: 1 }).compile({ optimizer: adam(), loss: 'binaryCrossentropy' });
    const x = uniform([8, 6], 2);
    await vae.fit(x, x, { epochs: 1, batchSize: 4, verbose: 0 });
    await saveModel(vae, dir, { includeOptimizer: true });
    const copy = await loadModel(dir);
    expect(copy).toBeInstanceOf(VariationalAutoencoder);
    expect(copy.optimizer?.iterations).toBe(2);
    expect(copy.lossName).toBe('binaryCrossentropy');
    expect(copy.predict(x).toArray()).toEqual(vae.predict(x).toArray());
  });
});

describe('loadModel on damaged files', () => {
  it('names a missing file', async () => {
    await expect(loadModel(join(dir, 'nowhere'))).rejects.toThrow(/nowhere\/model\.json does not exist/);
    await saveModel(small(), dir);
    await rm(join(dir, 'weights.bin'));
    await expect(loadModel(dir)).rejects.toThrow(/weights\.bin does not exist/);
  });

  it('names model.json when it is not JSON, or not an aekit model', async () => {
    await saveModel(small(), dir);
    const path = join(dir, 'model.json');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, 50));
    await expect(loadModel(dir)).rejects.toThrow(/model\.json is not valid JSON/);
    const json = JSON.parse(text);
    await writeFile(path, JSON.stringify({ ...json, modelTopology: { ...json.modelTopology, formatVersion: 9 } }));
    await expect(loadModel(dir)).rejects.toThrow(/model\.json's modelTopology\.formatVersion is 9; this aekit reads version 1/);
    await writeFile(path, JSON.stringify({ ...json, modelTopology: { ...json.modelTopology, className: 'Transformer' } }));
    await expect(loadModel(dir)).rejects.toThrow(/unknown model class 'Transformer'/);
  });

  it('says how many bytes weights.bin has and how many model.json needs', async () => {
    await saveModel(small(), dir);
    const bin = join(dir, 'weights.bin');
    const bytes = await readFile(bin);
    await writeFile(bin, bytes.subarray(0, 30));
    // dense 4x3 + 3 and 3x2 + 2: 23 floats, 92 bytes.
    await expect(loadModel(dir)).rejects.toThrow(new ModelFormatError(`${dir}: weights.bin has 30 bytes; model.json's weightSpecs need 92`));
  });

  it('catches a weights.bin from another save of the same size', async () => {
    await saveModel(small(), dir);
    const other = join(dir, 'other');
    await saveModel(sequential([dense(3, { activation: 'relu' }), dense(2)], { inputShape: [4], seed: 9 }), other);
    await writeFile(join(dir, 'weights.bin'), await readFile(join(other, 'weights.bin')));
    await expect(loadModel(dir)).rejects.toThrow(/weights\.bin does not match model\.json \(checksum fnv1a32:[0-9a-f]{8}, model\.json expects fnv1a32:[0-9a-f]{8}\)/);
  });

  it('names the weight whose shape model.json changed', async () => {
    await saveModel(small(), dir);
    const path = join(dir, 'model.json');
    const json = JSON.parse(await readFile(path, 'utf8'));
    json.modelTopology.config.layers[0].config.units = 5;
    await writeFile(path, JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/weight '0\.kernel': model\.json's weightSpecs gives shape \[4, 3\], model 'small' has \[4, 5\]/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adam, lossByName, Random, sgd, Tensor, type Shape } from '@aekit/core';
import {
  Autoencoder,
  batchNormalization,
  ContractiveAutoencoder,
  contractiveAutoencoder,
  conv2d,
  dense,
  denseAutoencoder,
  denseVariationalAutoencoder,
  dropout,
  flatten,
  fromArtifacts,
  maxPooling2d,
  ModelFormatError,
  registerModelType,
  Sequential,
  sequential,
  sequentialFromConfig,
  sequentialToConfig,
  toArtifacts,
  VariationalAutoencoder,
  type Model,
  type ModelArtifacts,
} from '@aekit/models';

function uniform(shape: Shape, seed: number): Tensor {
  const rng = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: size }, () => rng.uniform(0, 1)), shape);
}

/** A small conv model with batch normalization and dropout. */
function convModel(seed = 1): Sequential {
  return sequential(
    [conv2d(4, 3, { padding: 'same' }), batchNormalization(), maxPooling2d(2), dropout(0.2), flatten(), dense(3, { activation: 'sigmoid' })],
    { inputShape: [6, 6, 1], seed, name: 'conv_bn' },
  );
}

/** Artifacts as they would come back from disk: JSON through a string, the bytes copied. */
function throughJson(a: ModelArtifacts): ModelArtifacts {
  const { weightData, ...json } = a;
  return { ...JSON.parse(JSON.stringify(json)), weightData: weightData.slice(0) };
}

function weightsOf(model: Model): number[][] {
  return model.namedWeights().map(([, t]) => Array.from(t.values));
}

describe('toArtifacts / fromArtifacts', () => {
  it('round-trips a Sequential with batch normalization: same class, config, weights, moving statistics and predictions', async () => {
    const model = convModel().compile({ loss: 'mse' });
    const x = uniform([8, 6, 6, 1], 2);
    // A little training moves the moving statistics away from their initial zeros and ones.
    await model.fit(x, uniform([8, 3], 3), { epochs: 1, batchSize: 4, verbose: 0 });
    const artifacts = throughJson(toArtifacts(model));
    expect(artifacts.modelTopology).toMatchObject({ format: 'aekit-model', formatVersion: 1, className: 'Sequential' });
    expect(artifacts.weightSpecs.map((s) => s.name)).toEqual(['0.kernel', '0.bias', '1.gamma', '1.beta', '5.kernel', '5.bias', '1.moving_mean', '1.moving_variance']);
    const copy = fromArtifacts(artifacts);
    expect(copy).toBeInstanceOf(Sequential);
    expect(sequentialToConfig(copy as Sequential)).toEqual(sequentialToConfig(model));
    expect(weightsOf(copy)).toEqual(weightsOf(model));
    expect(copy.namedState().map(([, t]) => Array.from(t.values))).toEqual(model.namedState().map(([, t]) => Array.from(t.values)));
    expect(Array.from(model.namedState()[0][1].values).some((v) => v !== 0)).toBe(true);
    expect(copy.predict(x).toArray()).toEqual(model.predict(x).toArray());
  });

  it('round-trips an Autoencoder: its class, name, halves and predictions, encode included', () => {
    const model = denseAutoencoder({ inputDim: 12, codeDim: 3, hidden: [6], seed: 5, name: 'ae' });
    const copy = fromArtifacts(throughJson(toArtifacts(model)));
    expect(copy).toBeInstanceOf(Autoencoder);
    const ae = copy as Autoencoder;
    expect(ae.name).toBe('ae');
    expect(ae.codeShape).toEqual([3]);
    const x = uniform([5, 12], 6);
    expect(ae.encode(x).toArray()).toEqual(model.encode(x).toArray());
    expect(ae.predict(x).toArray()).toEqual(model.predict(x).toArray());
  });

  it('round-trips a ContractiveAutoencoder: lambda, its Jacobian norm and predictions', () => {
    const model = contractiveAutoencoder({ inputShape: [3, 3, 1], codeDim: 4, lambda: 0.25, seed: 9, name: 'cae' });
    const copy = fromArtifacts(throughJson(toArtifacts(model)));
    expect(copy).toBeInstanceOf(ContractiveAutoencoder);
    const cae = copy as ContractiveAutoencoder;
    expect([cae.name, cae.lambda]).toEqual(['cae', 0.25]);
    const x = uniform([5, 3, 3, 1], 10);
    expect(cae.jacobianNorm(x)).toBe(model.jacobianNorm(x));
    expect(cae.predict(x).toArray()).toEqual(model.predict(x).toArray());
  });

  it('round-trips a VariationalAutoencoder: beta, latent size, posterior and predictions', () => {
    const model = denseVariationalAutoencoder({ inputDim: 10, latentDim: 2, hidden: [8], beta: 0.5, seed: 7 });
    const copy = fromArtifacts(throughJson(toArtifacts(model)));
    expect(copy).toBeInstanceOf(VariationalAutoencoder);
    const vae = copy as VariationalAutoencoder;
    expect([vae.beta, vae.latentDim, vae.name]).toEqual([0.5, 2, model.name]);
    const x = uniform([4, 10], 8);
    expect(vae.encode(x).logVar.toArray()).toEqual(model.encode(x).logVar.toArray());
    expect(vae.predict(x).toArray()).toEqual(model.predict(x).toArray());
    expect(vae.sample(3, new Random(1)).toArray()).toEqual(model.sample(3, new Random(1)).toArray());
  });

  it('writes the weights as little-endian float32 in the order of weightSpecs (property over dense widths)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), (inputDim, units, seed) => {
        const model = sequential([dense(units, { biasInitializer: 'glorotUniform' })], { inputShape: [inputDim], seed });
        const { weightSpecs, weightData } = toArtifacts(model);
        expect(weightSpecs).toEqual([
          { name: '0.kernel', shape: [inputDim, units], dtype: 'float32' },
          { name: '0.bias', shape: [units], dtype: 'float32' },
        ]);
        const view = new DataView(weightData);
        const expected = model.parameters().flatMap((t) => Array.from(t.values));
        expect(weightData.byteLength).toBe(expected.length * 4);
        expect(expected.map((_, i) => view.getFloat32(i * 4, true))).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it('round-trips any dense stack: same config and bit-identical predictions (property)', () => {
    const activations = ['relu', 'sigmoid', 'tanh', 'linear', 'elu'] as const;
    const layerArb = fc.record({ units: fc.integer({ min: 1, max: 8 }), activation: fc.constantFrom(...activations), useBias: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(layerArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 99 }), (inputDim, specs, seed) => {
        const model = sequential(specs.map((o) => dense(o.units, o)), { inputShape: [inputDim], seed });
        const copy = fromArtifacts(throughJson(toArtifacts(model))) as Sequential;
        expect(sequentialToConfig(copy)).toEqual(sequentialToConfig(model));
        const x = uniform([3, inputDim], seed + 1);
        expect(copy.predict(x).toArray()).toEqual(model.predict(x).toArray());
      }),
      { numRuns: 40 },
    );
  });

  it('accepts the weight bytes as a view (a Node Buffer, a Uint8Array)', () => {
    const model = sequential([dense(2)], { inputShape: [3], seed: 4 });
    const a = toArtifacts(model);
    const padded = new Uint8Array(a.weightData.byteLength + 8);
    padded.set(new Uint8Array(a.weightData), 8);
    const copy = fromArtifacts({ ...a, weightData: padded.subarray(8) as unknown as ArrayBuffer });
    expect(weightsOf(copy)).toEqual(weightsOf(model));
  });

  it('with includeOptimizer, training resumes exactly: 1 epoch, save, load, 1 epoch equals 2 epochs', async () => {
    const x = uniform([16, 8], 11);
    const make = () => denseAutoencoder({ inputDim: 8, codeDim: 3, seed: 12 }).compile({ optimizer: adam({ learningRate: 0.01 }), loss: 'mse' });
    const options = { batchSize: 4, shuffle: false, verbose: 0 as const };
    const straight = make();
    await straight.fit(x, x, { ...options, epochs: 2 });

    const first = make();
    await first.fit(x, x, { ...options, epochs: 1 });
    const artifacts = throughJson(toArtifacts(first, { includeOptimizer: true }));
    expect(artifacts.trainingConfig).toMatchObject({ loss: 'mse', optimizer: { className: 'Adam', iterations: 4, config: { learningRate: 0.01, beta1: 0.9 } } });
    expect(artifacts.weightSpecs.filter((s) => s.group === 'optimizer').map((s) => s.name)).toContain('encoder.0.kernel/momentum');
    const resumed = fromArtifacts(artifacts);
    expect(resumed.optimizer?.iterations).toBe(4);
    await resumed.fit(x, x, { ...options, epochs: 1 });
    expect(weightsOf(resumed)).toEqual(weightsOf(straight));

    // Without the optimizer state, Adam restarts its moments: the weights part.
    const fresh = fromArtifacts(throughJson(toArtifacts(first)));
    expect(fresh.optimizer).toBeNull();
    fresh.compile({ optimizer: adam({ learningRate: 0.01 }), loss: 'mse' });
    await fresh.fit(x, x, { ...options, epochs: 1 });
    expect(weightsOf(fresh)).not.toEqual(weightsOf(straight));
  });

  it('restores into a given optimizer when the saved one had a schedule, and says so when none is given', async () => {
    const x = uniform([8, 4], 13);
    const model = denseAutoencoder({ inputDim: 4, codeDim: 2 }).compile({ optimizer: sgd({ learningRate: (t) => 0.1 / (1 + t), momentum: 0.9 }), loss: 'mse' });
    await model.fit(x, x, { epochs: 1, batchSize: 4, verbose: 0 });
    const artifacts = throughJson(toArtifacts(model, { includeOptimizer: true }));
    expect(() => fromArtifacts(artifacts)).toThrow(/the saved SGD optimizer used a learning-rate schedule, which is not saved; pass \{ optimizer \}/);
    const copy = fromArtifacts(artifacts, { optimizer: sgd({ learningRate: (t) => 0.1 / (1 + t), momentum: 0.9 }) });
    expect(copy.optimizer?.iterations).toBe(2);
    expect(() => fromArtifacts(artifacts, { optimizer: adam() })).toThrow(/trainingConfig.optimizer: Adam: cannot restore the state of a SGD optimizer/);
  });

  it('asks for { loss } when the model was compiled with a loss function', () => {
    const model = denseAutoencoder({ inputDim: 4, codeDim: 2 }).compile({ loss: lossByName('mse') });
    expect(() => fromArtifacts(toArtifacts(model, { includeOptimizer: true }))).toThrow(/compiled with a loss function, which is not saved; pass \{ loss \}/);
    expect(() => toArtifacts(denseAutoencoder({ inputDim: 4, codeDim: 2 }), { includeOptimizer: true })).toThrow(
      /includeOptimizer needs a compiled model; 'autoencoder' has no optimizer yet/,
    );
  });

  it('saves a subclass only under its own registered type', () => {
    class Labelled extends Sequential {}
    const model = new Labelled([dense(2)], { inputShape: [3], name: 'labelled' });
    expect(() => toArtifacts(model)).toThrow(/cannot save model 'labelled': its class Labelled is not registered \(known: Sequential, Autoencoder, ContractiveAutoencoder, VariationalAutoencoder/);
    registerModelType<Labelled>('Labelled', {
      type: Labelled,
      toConfig: sequentialToConfig,
      fromConfig: (c) => {
        const s = sequentialFromConfig(c);
        return new Labelled([...s.layers], { inputShape: s.inputShape, name: s.name });
      },
    });
    const copy = fromArtifacts(toArtifacts(model));
    expect(copy).toBeInstanceOf(Labelled);
    const x = uniform([2, 3], 1);
    expect(copy.predict(x).toArray()).toEqual(model.predict(x).toArray());
  });
});

describe('fromArtifacts on damaged or mismatched input', () => {
  const good = () => toArtifacts(sequential([dense(3), dense(2)], { inputShape: [4], name: 'net' }));

  it('rejects another format or version', () => {
    const a = good();
    expect(() => fromArtifacts({ ...a, modelTopology: { ...a.modelTopology, format: 'keras' as 'aekit-model' } })).toThrow(
      /modelTopology.format is "keras", expected 'aekit-model': not an aekit model/,
    );
    expect(() => fromArtifacts({ ...a, modelTopology: { ...a.modelTopology, formatVersion: 2 as 1 } })).toThrow(
      /modelTopology.formatVersion is 2; this aekit reads version 1/,
    );
    expect(() => fromArtifacts({ ...a, modelTopology: null as never })).toThrow(ModelFormatError);
  });

  it('names an unknown model or layer class', () => {
    const a = good();
    expect(() => fromArtifacts({ ...a, modelTopology: { ...a.modelTopology, className: 'Functional' } })).toThrow(
      /unknown model class 'Functional'; known: Sequential, Autoencoder, ContractiveAutoencoder, VariationalAutoencoder/,
    );
    const topology = JSON.parse(JSON.stringify(a.modelTopology));
    topology.config.layers[1].className = 'Dense3D';
    expect(() => fromArtifacts({ ...a, modelTopology: topology })).toThrow(/Sequential 'net' layer 1 'dense_1' \(Dense3D\): unknown layer class 'Dense3D'/);
  });

  it('says how many bytes came and how many the specs need', () => {
    const a = good();
    expect(() => fromArtifacts({ ...a, weightData: a.weightData.slice(0, 20) })).toThrow(/weightData has 20 bytes; weightSpecs need 92/);
  });

  it('names a missing, extra or reshaped weight', () => {
    const a = good();
    // Drop the last bias and its bytes: the byte count agrees, the model does not.
    const dropped = { ...a, weightSpecs: a.weightSpecs.slice(0, 3), weightData: a.weightData.slice(0, 84) };
    expect(() => fromArtifacts(dropped)).toThrow(/weightSpecs lists 3 weights, model 'net' has 4: missing '1.bias'/);
    const renamed = { ...a, weightSpecs: a.weightSpecs.map((s, i) => (i === 0 ? { ...s, name: '0.kernal' } : s)) };
    expect(() => fromArtifacts(renamed)).toThrow(/'0.kernal' is not one of the model's \(0.kernel, 0.bias, 1.kernel, 1.bias\)/);
    const reshaped = { ...a, weightSpecs: a.weightSpecs.map((s, i) => (i === 0 ? { ...s, shape: [3, 4] } : s)) };
    expect(() => fromArtifacts(reshaped)).toThrow(/weight '0.kernel': weightSpecs gives shape \[3, 4\], model 'net' has \[4, 3\]/);
    const twice = { ...a, weightSpecs: [...a.weightSpecs.slice(0, 3), a.weightSpecs[1]], weightData: new ArrayBuffer(96) };
    expect(() => fromArtifacts(twice)).toThrow(/missing '1.bias'/);
    const badSpec = { ...a, weightSpecs: a.weightSpecs.map((s, i) => (i === 2 ? { ...s, dtype: 'float16' as 'float32' } : s)) };
    expect(() => fromArtifacts(badSpec)).toThrow(/weightSpecs\[2\] must be \{ name, shape: non-negative integers, dtype: 'float32' \}/);
  });

  it('rejects a non-finite weight with its name and index, on load and on save', () => {
    const a = good();
    const data = a.weightData.slice(0);
    new DataView(data).setFloat32((12 + 1) * 4, NaN, true);
    expect(() => fromArtifacts({ ...a, weightData: data })).toThrow(/weight '0.bias' has the non-finite value NaN at index 1/);
    const model = sequential([dense(2)], { inputShape: [2] });
    model.parameters()[0].values[3] = Infinity;
    expect(() => toArtifacts(model)).toThrow(/weight '0.kernel' has the non-finite value Infinity at index 3/);
  });
});

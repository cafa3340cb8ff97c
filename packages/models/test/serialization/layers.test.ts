import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { heNormal, Random, Tensor, type Shape } from '@aekit/core';
import {
  activation,
  averagePooling2d,
  batchNormalization,
  conv2d,
  conv2dTranspose,
  cropping2d,
  dense,
  dropout,
  flatten,
  fromArtifacts,
  gaussianNoise,
  layerFromConfig,
  layerToConfig,
  maxPooling2d,
  ModelFormatError,
  registeredLayers,
  reshape,
  sequential,
  toArtifacts,
  upSampling2d,
  zeroPadding2d,
  type Layer,
} from '@aekit/models';

/** A batch of 2 samples of `shape`, drawn from `seed`. */
function batch(shape: Shape, seed: number): Tensor {
  const rng = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 2);
  return new Tensor(Float32Array.from({ length: size }, () => rng.uniform(0, 1)), [2, ...shape]);
}

/** Every layer class with non-default options, and an input shape it accepts. */
const cases: { make: () => Layer; input: Shape }[] = [
  { make: () => dense(5, { activation: 'tanh', useBias: false, kernelInitializer: 'heNormal', name: 'code' }), input: [7] },
  { make: () => conv2d(3, [3, 2], { strides: [2, 1], padding: 'same', activation: 'relu', biasInitializer: 'ones' }), input: [6, 5, 2] },
  { make: () => conv2dTranspose(2, 3, { strides: 2, padding: 'valid', activation: 'sigmoid' }), input: [3, 3, 2] },
  { make: () => maxPooling2d([2, 3], { strides: 1, padding: 'same' }), input: [5, 5, 2] },
  { make: () => averagePooling2d(2, { padding: 'valid', name: 'pool' }), input: [4, 6, 1] },
  { make: () => upSampling2d([2, 3]), input: [2, 2, 3] },
  { make: () => cropping2d([[1, 0], [2, 1]]), input: [5, 6, 1] },
  { make: () => zeroPadding2d([[0, 1], [2, 0]]), input: [3, 3, 2] },
  { make: () => flatten(), input: [3, 2, 2] },
  { make: () => reshape([-1, 2]), input: [6] },
  { make: () => dropout(0.3, { seed: 9 }), input: [4] },
  { make: () => gaussianNoise(0.1), input: [4] },
  { make: () => batchNormalization({ momentum: 0.9, epsilon: 1e-2, center: false }), input: [3, 3, 2] },
  { make: () => activation('elu', { name: 'act' }), input: [4] },
];

describe('layer configs', () => {
  it('covers every registered layer class', () => {
    expect(cases.map((c) => c.make().className).sort()).toEqual(registeredLayers().sort());
  });

  for (const { make, input } of cases) {
    const className = make().className;
    it(`${className}: rebuilds from a JSON round trip of its config, same output shape, same outputs with the saved weights`, () => {
      const original = make();
      const serialized = JSON.parse(JSON.stringify(layerToConfig(original)));
      const copy = layerFromConfig(serialized);
      expect(copy.className).toBe(className);
      expect(copy.getConfig!()).toEqual(original.getConfig!());
      const model = sequential([original], { inputShape: input, seed: 3 });
      const rebuilt = sequential([copy], { inputShape: input, seed: 4 });
      expect(rebuilt.outputShape).toEqual(model.outputShape);
      // The weights travel through the artifacts (fresh ones differ: seed 4, not 3).
      const loaded = fromArtifacts(toArtifacts(model));
      const x = batch(input, 1);
      expect(loaded.predict(x).toArray()).toEqual(model.predict(x).toArray());
      expect(rebuilt.predict(x).shape).toEqual(model.predict(x).shape);
    });
  }

  it('records a built-in initializer passed as a function by its name, a custom one as null', () => {
    expect(dense(2, { kernelInitializer: heNormal }).getConfig().kernelInitializer).toBe('heNormal');
    const custom = dense(2, { kernelInitializer: (shape, rng) => heNormal(shape, rng) });
    expect(custom.getConfig().kernelInitializer).toBeNull();
    // null rebuilds with the default initializer (the saved weights replace it anyway).
    expect(layerFromConfig(layerToConfig(custom)).getConfig!().kernelInitializer).toBe('glorotUniform');
  });

  it('rebuilds dense layers of any width and activation (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.constantFrom('relu', 'sigmoid', 'linear', 'tanh' as const), fc.boolean(), (units, act, useBias) => {
        const layer = dense(units, { activation: act, useBias });
        const copy = layerFromConfig(JSON.parse(JSON.stringify(layerToConfig(layer))));
        expect(copy.getConfig!()).toEqual(layer.getConfig());
      }),
    );
  });

  it('names the layer, the field and what came for a damaged config', () => {
    const config = layerToConfig(dense(4, { name: 'hidden' }));
    expect(() => layerFromConfig({ className: 'Dense', config: { ...config.config, units: 'four' } })).toThrow(
      /layer 'hidden' \(Dense\): config field 'units' must be a number, got "four"/,
    );
    expect(() => layerFromConfig({ className: 'Dense', config: { ...config.config, activation: 'swish2' } })).toThrow(
      /layer 'hidden' \(Dense\): config field 'activation' must be one of 'relu'/,
    );
    expect(() => layerFromConfig({ className: 'Dense', config: { ...config.config, units: 0 } })).toThrow(
      /layer 'hidden' \(Dense\): hidden: units must be a positive integer, got 0/,
    );
    expect(() => layerFromConfig({ className: 'Conv3D', config: { name: 'c' } })).toThrow(ModelFormatError);
    expect(() => layerFromConfig({ className: 'Conv3D', config: { name: 'c' } })).toThrow(/unknown layer class 'Conv3D'; known: Dense, Conv2D/);
    expect(() => layerFromConfig([1, 2], 'encoder layer 0')).toThrow(/encoder layer 0: expected \{ className, config \}, got \[1,2\]/);
  });

  it('refuses to save a custom layer without getConfig, naming it', () => {
    const custom: Layer = { name: 'mine', className: 'Mine', built: true, build: (s) => s, call: (x) => x, weights: () => [] };
    expect(() => layerToConfig(custom)).toThrow(/layer 'mine' \(Mine\) has no getConfig\(\), so it cannot be saved/);
  });
});

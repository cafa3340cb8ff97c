import { activations, initializers, type ActivationName, type InitializerName } from '@aekit/core';
import { Activation } from '../layers/activation.js';
import { AveragePooling2D } from '../layers/average-pooling2d.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2DTranspose } from '../layers/conv2d-transpose.js';
import { Conv2D, type ConvLayerOptions } from '../layers/conv2d.js';
import { Cropping2D } from '../layers/cropping2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { GaussianNoise } from '../layers/gaussian-noise.js';
import type { Layer, LayerConfig } from '../layers/layer.js';
import { MaxPooling2D } from '../layers/max-pooling2d.js';
import type { Pooling2DOptions } from '../layers/pooling2d.js';
import { Reshape } from '../layers/reshape.js';
import { UpSampling2D } from '../layers/up-sampling2d.js';
import { ZeroPadding2D } from '../layers/zero-padding2d.js';
import { ConfigReader, isJsonObject, ModelFormatError, type JsonObject } from './config.js';

/** Rebuilds a layer from its `getConfig()`; reads fields through `ConfigReader`, which names the layer in errors. */
export type LayerFactory = (config: ConfigReader) => Layer;

/** A layer as `model.json` stores it: Keras's `{ class_name, config }`. */
export interface SerializedLayer {
  className: string;
  config: LayerConfig;
}

const activationNames = Object.keys(activations) as ActivationName[];
const initializerNames = Object.keys(initializers) as InitializerName[];

function activation(c: ConfigReader): ActivationName | undefined {
  return c.optionalOneOf('activation', activationNames);
}

function initializer(c: ConfigReader, key: string): InitializerName | undefined {
  return c.optionalOneOf(key, initializerNames);
}

function conv(c: ConfigReader): ConvLayerOptions {
  return {
    name: c.string('name'),
    strides: c.pair('strides'),
    padding: c.optionalOneOf('padding', ['same', 'valid']),
    activation: activation(c),
    useBias: c.boolean('useBias'),
    kernelInitializer: initializer(c, 'kernelInitializer'),
    biasInitializer: initializer(c, 'biasInitializer'),
  };
}

function pooling(c: ConfigReader): Pooling2DOptions {
  return { name: c.string('name'), strides: c.pair('strides'), padding: c.optionalOneOf('padding', ['same', 'valid']) };
}

const layerFactories = new Map<string, LayerFactory>([
  [
    'Dense',
    (c) =>
      new Dense(c.number('units'), {
        name: c.string('name'),
        activation: activation(c),
        useBias: c.boolean('useBias'),
        kernelInitializer: initializer(c, 'kernelInitializer'),
        biasInitializer: initializer(c, 'biasInitializer'),
      }),
  ],
  ['Conv2D', (c) => new Conv2D(c.number('filters'), c.pair('kernelSize'), conv(c))],
  ['Conv2DTranspose', (c) => new Conv2DTranspose(c.number('filters'), c.pair('kernelSize'), conv(c))],
  ['MaxPooling2D', (c) => new MaxPooling2D(c.pair('poolSize'), pooling(c))],
  ['AveragePooling2D', (c) => new AveragePooling2D(c.pair('poolSize'), pooling(c))],
  ['UpSampling2D', (c) => new UpSampling2D(c.pair('size'), { name: c.string('name'), interpolation: c.optionalOneOf('interpolation', ['nearest']) })],
  ['Cropping2D', (c) => new Cropping2D(c.amounts2d('cropping'), { name: c.string('name') })],
  ['ZeroPadding2D', (c) => new ZeroPadding2D(c.amounts2d('padding'), { name: c.string('name') })],
  ['Flatten', (c) => new Flatten({ name: c.string('name') })],
  ['Reshape', (c) => new Reshape(c.numbers('targetShape'), { name: c.string('name') })],
  ['Dropout', (c) => new Dropout(c.number('rate'), { name: c.string('name'), seed: c.optionalNumber('seed') })],
  ['GaussianNoise', (c) => new GaussianNoise(c.number('stddev'), { name: c.string('name'), seed: c.optionalNumber('seed') })],
  [
    'BatchNormalization',
    (c) =>
      new BatchNormalization({
        name: c.string('name'),
        momentum: c.number('momentum'),
        epsilon: c.number('epsilon'),
        center: c.boolean('center'),
        scale: c.boolean('scale'),
        betaInitializer: initializer(c, 'betaInitializer'),
        gammaInitializer: initializer(c, 'gammaInitializer'),
        movingMeanInitializer: initializer(c, 'movingMeanInitializer'),
        movingVarianceInitializer: initializer(c, 'movingVarianceInitializer'),
      }),
  ],
  [
    'Activation',
    (c) => {
      const name = c.optionalOneOf('activation', activationNames);
      if (name === undefined) throw new ModelFormatError(`${c.where}: config field 'activation' is missing`);
      return new Activation(name, { name: c.string('name') });
    },
  ],
]);

/**
 * Makes a custom layer class loadable: `layerFromConfig` (and so `fromArtifacts`
 * and `loadModel`) rebuilds layers whose `className` is `className` with `factory`.
 * The layer must implement `getConfig()` to be saved.
 *
 * @example
 * registerLayer('Scale', (c) => new Scale(c.number('factor'), { name: c.string('name') }));
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  layerFactories.set(className, factory);
}

/** The class names `layerFromConfig` knows. */
export function registeredLayers(): string[] {
  return [...layerFactories.keys()];
}

/**
 * A layer's class name and config, for `model.json`.
 *
 * @example
 * layerToConfig(dense(64, { activation: 'relu' })); // { className: 'Dense', config: { name: 'dense', units: 64, ... } }
 */
export function layerToConfig(layer: Layer): SerializedLayer {
  if (typeof layer.getConfig !== 'function') {
    throw new ModelFormatError(`layer '${layer.name}' (${layer.className}) has no getConfig(), so it cannot be saved`);
  }
  return { className: layer.className, config: layer.getConfig() };
}

/**
 * Rebuilds an unbuilt layer from `layerToConfig`'s output: same class, same
 * options, fresh weights once built.
 *
 * @param where names the layer's place in errors, e.g. `encoder layer 2`
 * @example
 * const copy = layerFromConfig(layerToConfig(conv2d(32, 3, { padding: 'same' })));
 */
export function layerFromConfig(serialized: unknown, where = 'layer'): Layer {
  if (!isJsonObject(serialized) || typeof serialized.className !== 'string' || !isJsonObject(serialized.config)) {
    throw new ModelFormatError(`${where}: expected { className, config }, got ${JSON.stringify(serialized)}`);
  }
  const { className, config } = serialized as { className: string; config: JsonObject };
  const factory = layerFactories.get(className);
  const label = `${where} '${String(config.name)}' (${className})`;
  if (factory === undefined) {
    throw new ModelFormatError(`${label}: unknown layer class '${className}'; known: ${registeredLayers().join(', ')} (add others with registerLayer)`);
  }
  try {
    return factory(new ConfigReader(label, config));
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    // A constructor refused a value (a range check): say which saved layer held it.
    throw new ModelFormatError(`${label}: ${(error as Error).message}`);
  }
}

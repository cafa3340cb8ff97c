import type { Tensor } from '@aekit/core';
import { Autoencoder } from '../autoencoder.js';
import { ContractiveAutoencoder } from '../contractive.js';
import type { Model } from '../model.js';
import { Sequential } from '../sequential.js';
import { VariationalAutoencoder } from '../variational.js';
import { ConfigReader, ModelFormatError, type JsonObject } from './config.js';
import { layerFromConfig, layerToConfig } from './layers.js';

/**
 * How one model class is saved and rebuilt. `toConfig` describes the
 * architecture as JSON; `fromConfig` rebuilds it, built and with fresh weights
 * that loading then overwrites. Function-valued options (corruption,
 * regularizers, custom initializers) are training-time settings and are not saved.
 */
export interface ModelType<M extends Model = Model> {
  /** The class. A model is saved under the entry whose class is exactly its constructor, so a subclass needs its own entry. */
  type: abstract new (...args: never[]) => M;
  toConfig(model: M): JsonObject;
  fromConfig(config: ConfigReader): M;
  /** Every tensor to save, trainable and not, with unique paths; default `namedWeights()` then `namedState()`. */
  variables?(model: M): [string, Tensor][];
}

/**
 * A Sequential's architecture: its name, input shape and layers.
 *
 * @example
 * sequentialToConfig(sequential([dense(2)], { inputShape: [3] })); // { name: 'sequential', inputShape: [3], layers: [...] }
 */
export function sequentialToConfig(model: Sequential): JsonObject {
  return {
    name: model.name,
    inputShape: [...model.inputShape],
    layers: model.layers.map((layer) => ({ ...layerToConfig(layer) })),
  };
}

/**
 * Rebuilds (and builds) a Sequential from `sequentialToConfig`'s output.
 *
 * @example
 * const copy = sequentialFromConfig(sequentialToConfig(model));
 */
export function sequentialFromConfig(config: JsonObject | ConfigReader, where = 'Sequential'): Sequential {
  const c = config instanceof ConfigReader ? config : new ConfigReader(where, config);
  const name = c.string('name');
  const layers = c.value('layers');
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ModelFormatError(`${c.where}: config field 'layers' must be a non-empty array, got ${JSON.stringify(layers)}`);
  }
  const model = new Sequential(
    layers.map((layer, i) => layerFromConfig(layer, `${c.where} '${name}' layer ${i}`)),
    { name, inputShape: c.numbers('inputShape') },
  );
  model.build();
  return model;
}

/** A Sequential's variables: weights then state, by `namedWeights()` paths. */
function sequentialVariables(model: Sequential): [string, Tensor][] {
  return [...model.namedWeights(), ...model.namedState()];
}

/**
 * The variables of a model made of an `encoder` and a `decoder` (both
 * Sequential), prefixed `encoder.` and `decoder.` as its `namedWeights()` are:
 * the `variables` of a registered encoder-decoder model type.
 */
export function encoderDecoderVariables(model: { encoder: Sequential; decoder: Sequential }): [string, Tensor][] {
  return [
    ...sequentialVariables(model.encoder).map(([k, t]): [string, Tensor] => [`encoder.${k}`, t]),
    ...sequentialVariables(model.decoder).map(([k, t]): [string, Tensor] => [`decoder.${k}`, t]),
  ];
}

/** The Sequential halves of a config, rebuilt. */
export function halvesFromConfig(c: ConfigReader): { encoder: Sequential; decoder: Sequential } {
  return {
    encoder: sequentialFromConfig(new ConfigReader(`${c.where} encoder`, c.object('encoder'))),
    decoder: sequentialFromConfig(new ConfigReader(`${c.where} decoder`, c.object('decoder'))),
  };
}

const modelTypes = new Map<string, ModelType<never>>();

/**
 * Makes a model class savable and loadable by `toArtifacts` / `fromArtifacts`
 * (and `saveModel` / `loadModel`), under `className` in `model.json`.
 *
 * @example
 * class TiedAutoencoder extends Autoencoder {}
 * registerModelType<TiedAutoencoder>('TiedAutoencoder', {
 *   type: TiedAutoencoder,
 *   toConfig: (m) => ({ name: m.name, encoder: sequentialToConfig(m.encoder), decoder: sequentialToConfig(m.decoder) }),
 *   fromConfig: (c) => {
 *     const { encoder, decoder } = halvesFromConfig(c);
 *     return new TiedAutoencoder(encoder, decoder, { name: c.string('name') });
 *   },
 *   variables: encoderDecoderVariables,
 * });
 */
export function registerModelType<M extends Model>(className: string, modelType: ModelType<M>): void {
  modelTypes.set(className, modelType as unknown as ModelType<never>);
}

registerModelType<Sequential>('Sequential', {
  type: Sequential,
  toConfig: sequentialToConfig,
  fromConfig: (c) => sequentialFromConfig(c),
  variables: sequentialVariables,
});

// The corruption and the code's activity penalty are training-time functions: not saved.
registerModelType<Autoencoder>('Autoencoder', {
  type: Autoencoder,
  toConfig: (m) => ({ name: m.name, encoder: sequentialToConfig(m.encoder), decoder: sequentialToConfig(m.decoder) }),
  fromConfig: (c) => {
    const { encoder, decoder } = halvesFromConfig(c);
    return new Autoencoder(encoder, decoder, { name: c.string('name') });
  },
  variables: encoderDecoderVariables,
});

registerModelType<ContractiveAutoencoder>('ContractiveAutoencoder', {
  type: ContractiveAutoencoder,
  toConfig: (m) => ({ name: m.name, lambda: m.lambda, encoder: sequentialToConfig(m.encoder), decoder: sequentialToConfig(m.decoder) }),
  fromConfig: (c) => {
    const { encoder, decoder } = halvesFromConfig(c);
    return new ContractiveAutoencoder(encoder, decoder, { name: c.string('name'), lambda: c.number('lambda') });
  },
  variables: encoderDecoderVariables,
});

registerModelType<VariationalAutoencoder>('VariationalAutoencoder', {
  type: VariationalAutoencoder,
  toConfig: (m) => ({ name: m.name, beta: m.beta, encoder: sequentialToConfig(m.encoder), decoder: sequentialToConfig(m.decoder) }),
  fromConfig: (c) => {
    const { encoder, decoder } = halvesFromConfig(c);
    return new VariationalAutoencoder(encoder, decoder, { name: c.string('name'), beta: c.number('beta') });
  },
  variables: encoderDecoderVariables,
});

/** The registered class name and entry of `model`'s exact class. */
export function modelTypeOf(model: Model): [string, ModelType] {
  for (const [className, entry] of modelTypes) {
    if (model.constructor === entry.type) return [className, entry as unknown as ModelType];
  }
  const known = [...modelTypes.keys()].join(', ');
  throw new ModelFormatError(
    `cannot save model '${model.name}': its class ${model.constructor.name} is not registered (known: ${known}); register it with registerModelType`,
  );
}

/** The entry registered under `className`. */
export function modelTypeNamed(className: string): ModelType {
  const entry = modelTypes.get(className);
  if (entry === undefined) {
    throw new ModelFormatError(`unknown model class '${className}'; known: ${[...modelTypes.keys()].join(', ')} (add others with registerModelType)`);
  }
  return entry as unknown as ModelType;
}

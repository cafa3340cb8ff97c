import { formatShape, losses, sizeOf, type LossFunction, type LossName, type Optimizer, type OptimizerState, type Tensor } from '@aekit/core';
import type { Model } from '../model.js';
import { ConfigReader, isJsonObject, ModelFormatError, type JsonObject } from './config.js';
import { modelTypeNamed, modelTypeOf } from './models.js';
import { optimizerConfig, optimizerFromConfig, type SerializedOptimizer } from './optimizer.js';

/** The `format` of an aekit model topology. */
export const MODEL_FORMAT = 'aekit-model';
/** The topology version this code writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** The architecture: which class to build, with which config. */
export interface ModelTopology {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  /** The registered model class, e.g. `Sequential`, `Autoencoder`. */
  className: string;
  config: JsonObject;
}

/** One tensor in the weight data, in order: its path, shape and encoding. */
export interface WeightSpec {
  /** The model's path for it (`encoder.0.kernel`), or `path/slot` for optimizer state. */
  name: string;
  shape: number[];
  /** Always little-endian float32. */
  dtype: 'float32';
  /** `optimizer` for the optimizer's slots, as TF.js marks them; absent for the model's own weights and state. */
  group?: 'optimizer';
}

/** How training resumes: the loss by name and the optimizer with its update count (its slots are in the weight data). */
export interface TrainingConfig {
  /** The loss `compile` was given by name, or null for a function (not saved). */
  loss: LossName | null;
  optimizer: SerializedOptimizer;
}

/**
 * A model in memory, as `toArtifacts` gives it and `fromArtifacts` reads it
 * (TF.js's ModelArtifacts shape): the topology as JSON, the weights' specs, and
 * their values as one little-endian float32 buffer in the specs' order.
 */
export interface ModelArtifacts {
  modelTopology: ModelTopology;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  /** Present when saved with `includeOptimizer`. */
  trainingConfig?: TrainingConfig;
}

export interface ToArtifactsOptions {
  /** Also save the optimizer (hyper-parameters, update count, slots) and the loss name, so `fit` resumes exactly; default false. */
  includeOptimizer?: boolean;
}

export interface FromArtifactsOptions {
  /**
   * The optimizer to restore the saved optimizer state into; default: one
   * rebuilt from the saved hyper-parameters (needed when a schedule was used).
   */
  optimizer?: Optimizer;
  /** The loss to compile with; default the saved loss name (needed when a loss function was used). */
  loss?: LossName | LossFunction;
}

/** What the bytes and the specs are called in errors: `weightData` in memory, the file names on disk. */
export interface ArtifactNames {
  modelTopology: string;
  weightData: string;
  weightSpecs: string;
}

const memoryNames: ArtifactNames = { modelTopology: 'modelTopology', weightData: 'weightData', weightSpecs: 'weightSpecs' };

const BYTES = 4;
const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new ModelFormatError(`weight '${name}' has the non-finite value ${values[i]} at index ${i}`);
  }
}

/** Little-endian float32 bytes of `tensors`, in order. */
function encode(tensors: ArrayLike<number>[]): ArrayBuffer {
  const total = tensors.reduce((n, t) => n + t.length, 0);
  const buffer = new ArrayBuffer(total * BYTES);
  let offset = 0;
  if (littleEndianHost) {
    const out = new Float32Array(buffer);
    for (const t of tensors) {
      out.set(t, offset);
      offset += t.length;
    }
  } else {
    const view = new DataView(buffer);
    for (const t of tensors) for (let i = 0; i < t.length; i++, offset++) view.setFloat32(offset * BYTES, t[i], true);
  }
  return buffer;
}

/** `count` floats from little-endian bytes at `byteOffset`. */
function decode(data: ArrayBuffer, byteOffset: number, count: number): Float32Array {
  if (littleEndianHost) return new Float32Array(data.slice(byteOffset, byteOffset + count * BYTES));
  const view = new DataView(data, byteOffset, count * BYTES);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * BYTES, true);
  return out;
}

/**
 * The model in memory: its architecture as JSON, its weights (trainable and
 * non-trainable, e.g. batch normalization's moving statistics) as little-endian
 * float32, and optionally the optimizer's state. Browser-safe; `saveModel`
 * from `@aekit/models/node` writes this to disk. Regularizers, corruption and
 * other function-valued options are training-time settings and are not saved.
 *
 * @example
 * const artifacts = toArtifacts(model, { includeOptimizer: true });
 * const copy = fromArtifacts(artifacts); // same predictions; fit resumes where model stopped
 */
export function toArtifacts(model: Model, options: ToArtifactsOptions = {}): ModelArtifacts {
  const [className, entry] = modelTypeOf(model);
  const variables = entry.variables ? entry.variables(model) : [...model.namedWeights(), ...model.namedState()];
  const weightSpecs: WeightSpec[] = [];
  const arrays: ArrayLike<number>[] = [];
  for (const [name, t] of variables) {
    checkFinite(name, t.values);
    weightSpecs.push({ name, shape: [...t.shape], dtype: 'float32' });
    arrays.push(t.values);
  }
  const artifacts: Omit<ModelArtifacts, 'weightData'> = {
    modelTopology: { format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, className, config: entry.toConfig(model) },
    weightSpecs,
  };
  if (options.includeOptimizer) {
    const optimizer = model.optimizer;
    if (optimizer === null) throw new Error(`toArtifacts: includeOptimizer needs a compiled model; '${model.name}' has no optimizer yet`);
    const state = optimizer.getState(model.namedWeights());
    const shapes = new Map(model.namedWeights().map(([name, t]) => [name, t.shape]));
    for (const [param, slots] of Object.entries(state.slots)) {
      for (const [slot, values] of Object.entries(slots)) {
        checkFinite(`${param}/${slot}`, values);
        weightSpecs.push({ name: `${param}/${slot}`, shape: [...(shapes.get(param) ?? [values.length])], dtype: 'float32', group: 'optimizer' });
        arrays.push(values);
      }
    }
    artifacts.trainingConfig = {
      loss: model.lossName,
      optimizer: { className: state.optimizer, config: optimizerConfig(optimizer), iterations: state.iterations },
    };
  }
  return { ...artifacts, weightData: encode(arrays) };
}

function readTopology(topology: unknown, names: ArtifactNames): ModelTopology {
  const t = names.modelTopology;
  if (!isJsonObject(topology)) throw new ModelFormatError(`${t} must be an object, got ${JSON.stringify(topology)}`);
  if (topology.format !== MODEL_FORMAT) {
    throw new ModelFormatError(`${t}.format is ${JSON.stringify(topology.format)}, expected '${MODEL_FORMAT}': not an aekit model`);
  }
  if (topology.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(
      `${t}.formatVersion is ${JSON.stringify(topology.formatVersion)}; this aekit reads version ${MODEL_FORMAT_VERSION}`,
    );
  }
  if (typeof topology.className !== 'string') throw new ModelFormatError(`${t}.className must be a string, got ${JSON.stringify(topology.className)}`);
  if (!isJsonObject(topology.config)) throw new ModelFormatError(`${t}.config must be an object, got ${JSON.stringify(topology.config)}`);
  return topology as unknown as ModelTopology;
}

function readSpecs(specs: unknown, names: ArtifactNames): WeightSpec[] {
  if (!Array.isArray(specs)) throw new ModelFormatError(`${names.weightSpecs} must be an array, got ${JSON.stringify(specs)}`);
  return specs.map((s: unknown, i) => {
    const ok =
      isJsonObject(s) &&
      typeof s.name === 'string' &&
      Array.isArray(s.shape) &&
      s.shape.every((d) => Number.isInteger(d) && (d as number) >= 0) &&
      s.dtype === 'float32' &&
      (s.group === undefined || s.group === 'optimizer');
    if (!ok) {
      throw new ModelFormatError(`${names.weightSpecs}[${i}] must be { name, shape: non-negative integers, dtype: 'float32' }, got ${JSON.stringify(s)}`);
    }
    return s as unknown as WeightSpec;
  });
}

/** The bytes `specs` need (checked as `readArtifacts` checks them), so a loader can compare a file's size first. */
export function weightDataBytes(specs: unknown, names: ArtifactNames = memoryNames): number {
  return readSpecs(specs, names).reduce((n, s) => n + sizeOf(s.shape) * BYTES, 0);
}

/** Checks the saved specs of the model's own tensors against the rebuilt model's, name by name. */
function matchVariables(model: Model, variables: [string, Tensor][], specs: WeightSpec[], names: ArtifactNames): void {
  const byName = new Map(variables);
  const saved = new Set(specs.map((s) => s.name));
  const where = `model '${model.name}'`;
  for (const spec of specs) {
    const t = byName.get(spec.name);
    if (t === undefined) {
      throw new ModelFormatError(
        `${names.weightSpecs} lists ${specs.length} weights, ${where} has ${variables.length}: '${spec.name}' is not one of the model's (${variables.map(([k]) => k).join(', ')})`,
      );
    }
    if (formatShape(t.shape) !== formatShape(spec.shape)) {
      throw new ModelFormatError(`weight '${spec.name}': ${names.weightSpecs} gives shape ${formatShape(spec.shape)}, ${where} has ${formatShape(t.shape)}`);
    }
  }
  const missing = variables.filter(([k]) => !saved.has(k)).map(([k]) => k);
  if (missing.length > 0 || specs.length !== variables.length) {
    throw new ModelFormatError(
      `${names.weightSpecs} lists ${specs.length} weights, ${where} has ${variables.length}` +
        (missing.length > 0 ? `: missing ${missing.map((k) => `'${k}'`).join(', ')}` : ': some are listed twice'),
    );
  }
}

/**
 * Rebuilds a model from `toArtifacts`'s output: the same class and architecture,
 * built, with the saved weights and state. When the artifacts carry a training
 * config, the model comes back compiled with the optimizer state restored, so
 * `fit` continues where the saved model stopped.
 *
 * @example
 * const copy = fromArtifacts(toArtifacts(model));
 * copy.predict(x); // equals model.predict(x)
 */
export function fromArtifacts(artifacts: ModelArtifacts, options: FromArtifactsOptions = {}): Model {
  return readArtifacts(artifacts, options, memoryNames);
}

/** `fromArtifacts`, naming the weight bytes and specs as `names` says (the node loader's file names). */
export function readArtifacts(artifacts: ModelArtifacts, options: FromArtifactsOptions, names: ArtifactNames): Model {
  if (!isJsonObject(artifacts)) throw new ModelFormatError(`model artifacts must be an object, got ${JSON.stringify(artifacts)}`);
  const topology = readTopology(artifacts.modelTopology, names);
  const specs = readSpecs(artifacts.weightSpecs, names);
  // A view (a Node Buffer, a Uint8Array from fetch) is accepted as the bytes it covers.
  const raw: unknown = artifacts.weightData;
  const data = ArrayBuffer.isView(raw) ? (raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer) : raw;
  if (!(data instanceof ArrayBuffer)) throw new ModelFormatError(`${names.weightData} must be an ArrayBuffer or a view of one`);
  const needed = weightDataBytes(specs, names);
  if (data.byteLength !== needed) {
    throw new ModelFormatError(`${names.weightData} has ${data.byteLength} bytes; ${names.weightSpecs} need ${needed}`);
  }

  const entry = modelTypeNamed(topology.className);
  const model = entry.fromConfig(new ConfigReader(topology.className, topology.config));
  const variables = entry.variables ? entry.variables(model) : [...model.namedWeights(), ...model.namedState()];
  const own = specs.filter((s) => s.group === undefined);
  matchVariables(model, variables, own, names);

  const byName = new Map(variables);
  const slots: OptimizerState['slots'] = {};
  let offset = 0;
  for (const spec of specs) {
    const values = decode(data, offset, sizeOf(spec.shape));
    offset += values.length * BYTES;
    checkFinite(spec.name, values);
    if (spec.group === 'optimizer') {
      const cut = spec.name.lastIndexOf('/');
      const param = spec.name.slice(0, cut);
      (slots[param] ??= {})[spec.name.slice(cut + 1)] = values;
    } else {
      (byName.get(spec.name) as Tensor).values.set(values);
    }
  }

  const training = artifacts.trainingConfig;
  if (training !== undefined) restoreTraining(model, training, slots, options);
  return model;
}

function restoreTraining(model: Model, training: TrainingConfig, slots: OptimizerState['slots'], options: FromArtifactsOptions): void {
  if (!isJsonObject(training) || !isJsonObject(training.optimizer) || typeof training.optimizer.className !== 'string') {
    throw new ModelFormatError(`trainingConfig must be { loss, optimizer: { className, config, iterations } }, got ${JSON.stringify(training)}`);
  }
  const lossName = training.loss;
  if (lossName !== null && !(typeof lossName === 'string' && lossName in losses)) {
    throw new ModelFormatError(`trainingConfig.loss is ${JSON.stringify(lossName)}, not a known loss (${Object.keys(losses).join(', ')})`);
  }
  const loss = options.loss ?? lossName;
  if (loss === null) throw new ModelFormatError('trainingConfig: the model was compiled with a loss function, which is not saved; pass { loss }');
  const optimizer = options.optimizer ?? optimizerFromConfig(training.optimizer, 'trainingConfig.optimizer');
  try {
    optimizer.setState({ optimizer: training.optimizer.className, iterations: training.optimizer.iterations, slots }, model.namedWeights());
  } catch (error) {
    throw new ModelFormatError(`trainingConfig.optimizer: ${(error as Error).message}`);
  }
  model.compile({ optimizer, loss });
}

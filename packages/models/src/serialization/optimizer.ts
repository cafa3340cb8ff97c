import { Adam, AdamW, RMSprop, SGD, type Optimizer } from '@aekit/core';
import type { JsonValue } from '../layers/layer.js';
import { ModelFormatError, type JsonObject } from './config.js';

/** An optimizer as `model.json` stores it: its class, its hyper-parameters and its update count. */
export interface SerializedOptimizer {
  /** The optimizer's name as its state reports it (`'Adam'`). */
  className: string;
  /** The constructor options (Keras's names), or null for an optimizer this file does not know. A learning-rate schedule is saved as null. */
  config: JsonObject | null;
  iterations: number;
}

const common = ['learningRate', 'weightDecay', 'clipnorm', 'globalClipnorm', 'clipvalue'] as const;

/** The built-in optimizers: their classes, and the option fields each one reads back from its own fields. */
const known = {
  Adam: { make: (o: JsonObject) => new Adam(o), fields: [...common, 'beta1', 'beta2', 'epsilon'] },
  AdamW: { make: (o: JsonObject) => new AdamW(o), fields: [...common, 'beta1', 'beta2', 'epsilon'] },
  SGD: { make: (o: JsonObject) => new SGD(o), fields: [...common, 'momentum', 'nesterov'] },
  RMSprop: { make: (o: JsonObject) => new RMSprop(o), fields: [...common, 'rho', 'momentum', 'epsilon', 'centered'] },
} as const;

type KnownName = keyof typeof known;

function knownName(optimizer: Optimizer): KnownName | null {
  if (optimizer instanceof AdamW) return 'AdamW';
  if (optimizer instanceof Adam) return 'Adam';
  if (optimizer instanceof SGD) return 'SGD';
  if (optimizer instanceof RMSprop) return 'RMSprop';
  return null;
}

/**
 * The hyper-parameters of a built-in optimizer as JSON, or null for others.
 * A schedule (a function) cannot be saved: its learningRate is recorded as null.
 */
export function optimizerConfig(optimizer: Optimizer): JsonObject | null {
  const name = knownName(optimizer);
  if (name === null) return null;
  const config: JsonObject = {};
  for (const field of known[name].fields) {
    const v = (optimizer as unknown as Record<string, unknown>)[field];
    if (typeof v === 'number' || typeof v === 'boolean') config[field] = v;
    else if (field === 'learningRate') config[field] = null;
  }
  return config;
}

/**
 * A fresh optimizer from its saved description (state restored separately).
 * Throws, naming the reason, when the description cannot rebuild one: an
 * unknown class, or a learning-rate schedule, which JSON cannot hold.
 */
export function optimizerFromConfig(saved: SerializedOptimizer, where: string): Optimizer {
  const entry = (known as Record<string, (typeof known)[KnownName] | undefined>)[saved.className];
  if (entry === undefined || saved.config === null) {
    throw new ModelFormatError(`${where}: cannot rebuild a '${saved.className}' optimizer (known: ${Object.keys(known).join(', ')}); pass { optimizer }`);
  }
  if (saved.config.learningRate === null) {
    throw new ModelFormatError(`${where}: the saved ${saved.className} optimizer used a learning-rate schedule, which is not saved; pass { optimizer }`);
  }
  const options: JsonObject = {};
  for (const [k, v] of Object.entries(saved.config) as [string, JsonValue][]) if (v !== null) options[k] = v;
  try {
    return entry.make(options);
  } catch (error) {
    throw new ModelFormatError(`${where}: ${(error as Error).message}`);
  }
}

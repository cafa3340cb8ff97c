import type { JsonValue } from '../layers/layer.js';

/** A JSON object: a layer's or a model's config. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * A saved model that cannot be read back: damaged, from another format or
 * version, or not matching the architecture it describes. The message says
 * what does not match and where.
 */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/**
 * Typed reads of a config's fields, each failing with an error naming `where`
 * (e.g. `layer 'dense_1' (Dense)`), the field, what was expected and what came.
 * Range checks stay with the constructors, which name the layer themselves.
 */
export class ConfigReader {
  constructor(
    readonly where: string,
    private readonly config: JsonObject,
  ) {}

  private fail(key: string, expected: string): never {
    throw new ModelFormatError(`${this.where}: config field '${key}' must be ${expected}, got ${describe(this.config[key])}`);
  }

  /** The raw value (for nested configs). */
  value(key: string): JsonValue | undefined {
    return this.config[key];
  }

  object(key: string): JsonObject {
    const v = this.config[key];
    return isJsonObject(v) ? v : this.fail(key, 'an object');
  }

  number(key: string): number {
    const v = this.config[key];
    return typeof v === 'number' ? v : this.fail(key, 'a number');
  }

  /** A number, or undefined for null or a missing field (the constructor's default). */
  optionalNumber(key: string): number | undefined {
    const v = this.config[key];
    return v === null || v === undefined ? undefined : this.number(key);
  }

  boolean(key: string): boolean {
    const v = this.config[key];
    return typeof v === 'boolean' ? v : this.fail(key, 'true or false');
  }

  string(key: string): string {
    const v = this.config[key];
    return typeof v === 'string' ? v : this.fail(key, 'a string');
  }

  /** One of `allowed`, or undefined for null or a missing field. */
  optionalOneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.config[key];
    if (v === null || v === undefined) return undefined;
    return allowed.includes(v as T) ? (v as T) : this.fail(key, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }

  /** A number or a pair of numbers (Keras's `int or tuple of 2 ints`). */
  pair(key: string): number | [number, number] {
    const v = this.config[key];
    if (typeof v === 'number') return v;
    if (Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number')) return [v[0] as number, v[1] as number];
    return this.fail(key, 'a number or a pair of numbers');
  }

  numbers(key: string): number[] {
    const v = this.config[key];
    if (Array.isArray(v) && v.every((n) => typeof n === 'number')) return v as number[];
    return this.fail(key, 'an array of numbers');
  }

  /** `[[top, bottom], [left, right]]`. */
  amounts2d(key: string): [[number, number], [number, number]] {
    const v = this.config[key];
    const isPair = (p: JsonValue): p is [number, number] => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number');
    if (Array.isArray(v) && v.length === 2 && isPair(v[0]) && isPair(v[1])) return [v[0], v[1]];
    return this.fail(key, '[[top, bottom], [left, right]]');
  }
}

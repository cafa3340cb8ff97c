import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@aekit/data/node';
import type { Model } from '../model.js';
import {
  readArtifacts,
  toArtifacts,
  weightDataBytes,
  type ArtifactNames,
  type FromArtifactsOptions,
  type ModelTopology,
  type ToArtifactsOptions,
  type TrainingConfig,
  type WeightSpec,
} from '../serialization/artifacts.js';
import { isJsonObject, ModelFormatError } from '../serialization/config.js';

/** The architecture file in a saved model's directory. */
export const MODEL_JSON = 'model.json';
/** The weights file: little-endian float32, in the order of model.json's `weightSpecs`. */
export const WEIGHTS_BIN = 'weights.bin';

/** What `model.json` holds: the artifacts without their bytes, and a checksum tying it to its `weights.bin`. */
export interface ModelJson {
  modelTopology: ModelTopology;
  weightSpecs: WeightSpec[];
  /** FNV-1a (32-bit) of weights.bin, so a model.json and a weights.bin from different saves are caught. */
  weightsChecksum: string;
  trainingConfig?: TrainingConfig;
}

const fileNames: ArtifactNames = { modelTopology: `${MODEL_JSON}'s modelTopology`, weightData: WEIGHTS_BIN, weightSpecs: `${MODEL_JSON}'s weightSpecs` };

/** FNV-1a over the bytes, as `fnv1a32:` and 8 hex digits. */
function checksum(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `fnv1a32:${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Saves `model` into directory `dir` as `model.json` (architecture, weight
 * specs, optionally the optimizer) and `weights.bin` (little-endian float32),
 * each written atomically (a temporary file, then a rename). weights.bin is
 * written first and model.json carries its checksum, so a save interrupted
 * between the two is detected on load rather than read as a mixed model.
 *
 * @example
 * await saveModel(model, 'runs/dense', { includeOptimizer: true });
 * const again = await loadModel('runs/dense');
 */
export async function saveModel(model: Model, dir: string, options: ToArtifactsOptions = {}): Promise<void> {
  const { weightData, ...rest } = toArtifacts(model, options);
  const bytes = new Uint8Array(weightData);
  const json: ModelJson = {
    modelTopology: rest.modelTopology,
    weightSpecs: rest.weightSpecs,
    weightsChecksum: checksum(bytes),
    ...(rest.trainingConfig ? { trainingConfig: rest.trainingConfig } : {}),
  };
  await writeFileAtomic(join(dir, WEIGHTS_BIN), bytes);
  await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(json, null, 2)}\n`);
}

async function read(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFormatError(code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * Loads a model saved by `saveModel` from directory `dir`: the same class and
 * architecture, with the saved weights and state; compiled with its optimizer
 * state restored when saved with `includeOptimizer`. A damaged or mismatched
 * file gets a `ModelFormatError` naming the file and what does not match.
 *
 * @param options an optimizer or loss to use where the saved ones cannot be rebuilt (a schedule, a loss function)
 * @example
 * const model = await loadModel('runs/dense');
 * model.predict(x);
 */
export async function loadModel(dir: string, options: FromArtifactsOptions = {}): Promise<Model> {
  const jsonPath = join(dir, MODEL_JSON);
  const binPath = join(dir, WEIGHTS_BIN);
  const text = (await read(jsonPath)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`${jsonPath} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(json)) throw new ModelFormatError(`${jsonPath} must hold an object, got ${text.slice(0, 40)}`);
  const bytes = await read(binPath);
  try {
    const needed = weightDataBytes(json.weightSpecs, fileNames);
    if (bytes.length !== needed) throw new ModelFormatError(`${WEIGHTS_BIN} has ${bytes.length} bytes; ${fileNames.weightSpecs} need ${needed}`);
    if (json.weightsChecksum !== undefined && json.weightsChecksum !== checksum(bytes)) {
      throw new ModelFormatError(
        `${WEIGHTS_BIN} does not match ${MODEL_JSON} (checksum ${checksum(bytes)}, ${MODEL_JSON} expects ${String(json.weightsChecksum)}): ` +
          'the files come from different saves, or weights.bin is damaged',
      );
    }
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const artifacts = { ...(json as unknown as ModelJson), weightData };
    return readArtifacts(artifacts, options, fileNames);
  } catch (error) {
    if (error instanceof ModelFormatError) throw new ModelFormatError(`${dir}: ${error.message}`);
    throw error;
  }
}

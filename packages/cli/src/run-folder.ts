import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@aekit/data/node';
import type { History, Model } from '@aekit/models';
import { saveModel } from '@aekit/models/node';
import { UsageError } from './args.js';

/**
 * What a run folder holds, by file name: the model, its settings, its history
 * and metrics as JSON (and CSV), its figures, and the report page tying them together.
 */
export const RUN_FILES = {
  config: 'config.json',
  model: 'model',
  history: 'history.json',
  historyCsv: 'history.csv',
  metrics: 'metrics.json',
  summary: 'summary.txt',
  lossCurves: 'loss.svg',
  reconstructions: 'reconstructions.png',
  latentMap: 'latent.svg',
  samples: 'samples.png',
  interpolation: 'interpolation.png',
  anomaly: 'anomaly.json',
  report: 'report.html',
} as const;

/** The settings a run was trained with, as `config.json` records them. */
export interface RunConfig {
  model: string;
  epochs: number;
  batchSize: number;
  codeDim: number;
  noise: number;
  seed: number;
  learningRate: number;
  trainLimit?: number;
  testLimit?: number;
  /** The kernel tier that trained it and how long it took. */
  kernels: string;
  seconds: number;
  created: string;
}

/** A run folder on disk. */
export class RunFolder {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  /** Creates the folder (and its parents) if missing. */
  create(): this {
    mkdirSync(this.dir, { recursive: true });
    return this;
  }

  async write(name: string, data: string | Uint8Array): Promise<void> {
    await writeFileAtomic(this.path(name), data);
  }

  async writeJson(name: string, value: unknown): Promise<void> {
    await this.write(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** What every training command leaves: the model, its settings and its history as JSON and CSV. */
  async writeTraining(model: Model, config: RunConfig, history: History): Promise<void> {
    await saveModel(model, this.path(RUN_FILES.model));
    await this.writeJson(RUN_FILES.config, config);
    await this.writeJson(RUN_FILES.history, history.toJSON());
    await this.write(RUN_FILES.historyCsv, history.toCSV());
  }

  /** Reads a JSON file of the run, with an error naming the file when it is missing or damaged. */
  readJson<T>(name: string): T {
    const file = this.path(name);
    if (!existsSync(file)) throw new UsageError(`${file} not found: is ${this.dir} a run folder written by 'aekit train'?`);
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }

  /** Reads a JSON file if it exists. */
  readJsonIfPresent<T>(name: string): T | undefined {
    return this.has(name) ? this.readJson<T>(name) : undefined;
  }

  /** The run's config, checked to be one. */
  config(): RunConfig {
    const config = this.readJson<RunConfig>(RUN_FILES.config);
    if (typeof config.model !== 'string' || typeof config.codeDim !== 'number') {
      throw new UsageError(`${this.path(RUN_FILES.config)} does not describe a run (no model or codeDim)`);
    }
    return config;
  }
}

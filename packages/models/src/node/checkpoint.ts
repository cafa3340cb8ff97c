import { Model } from '../model.js';
import type { Callback, TrainingModel } from '../training/callbacks.js';
import type { Logs } from '../training/history.js';
import { saveModel } from './files.js';

export interface ModelCheckpointOptions {
  /**
   * The directory each save goes to (`model.json` and `weights.bin` inside), a
   * template as in Keras: `{epoch}` is the 1-based epoch, any logged term may
   * appear (`{val_loss}`), with a format `{epoch:03d}` or `{val_loss:.4f}`.
   */
  filepath: string;
  /** The logged term `saveBestOnly` compares; default `val_loss`. */
  monitor?: string;
  /** Save only when the monitored term improves on the best so far; default false (save every epoch). */
  saveBestOnly?: boolean;
  /** `min` for losses (default), `max` for scores. */
  mode?: 'min' | 'max';
  /** Also save the optimizer state, so training can resume exactly; default false. */
  includeOptimizer?: boolean;
  /** 1: print a line on each save; default 0. */
  verbose?: 0 | 1;
}

/** Keras's `str.format` for checkpoint paths: `{key}`, `{key:0Nd}`, `{key:.Nf}`. */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (_, key: string, spec: string | undefined) => {
    const value = key === 'epoch' ? epoch + 1 : logs[key];
    if (value === undefined) {
      throw new RangeError(`modelCheckpoint: the filepath names '{${key}}', which is not logged (logged: epoch, ${Object.keys(logs).join(', ')})`);
    }
    const fixed = spec?.match(/^\.(\d+)f$/);
    if (fixed) return value.toFixed(Number(fixed[1]));
    const padded = spec?.match(/^0(\d+)d$/);
    if (padded) return String(Math.round(value)).padStart(Number(padded[1]), '0');
    if (spec !== undefined && spec !== 'd') throw new RangeError(`modelCheckpoint: unsupported format '{${key}:${spec}}'; use {${key}}, {${key}:03d} or {${key}:.4f}`);
    return String(value);
  });
}

/**
 * Saves the model during `fit`, as Keras's `ModelCheckpoint`: after every
 * epoch, or with `saveBestOnly` only when the monitored term improves (a
 * missing term skips the save with a warning). Each save is `saveModel`'s
 * atomic pair of files. The model must be a `Model` (anything `saveModel` takes).
 *
 * @example
 * await model.fit(x, x, {
 *   epochs: 20,
 *   validationData: [v, v],
 *   callbacks: [modelCheckpoint({ filepath: 'runs/best', saveBestOnly: true })],
 * });
 */
export function modelCheckpoint(options: ModelCheckpointOptions): Callback & { readonly best: number; readonly saved: readonly string[] } {
  const monitor = options.monitor ?? 'val_loss';
  const mode = options.mode ?? 'min';
  if (mode !== 'min' && mode !== 'max') throw new RangeError(`modelCheckpoint: mode must be 'min' or 'max', got '${String(mode)}'`);
  const sign = mode === 'min' ? 1 : -1;
  let model: Model | null = null;
  // The best monitored value so far, signed so that lower is better.
  let best = Infinity;
  const saved: string[] = [];
  return {
    get best() {
      return sign * best;
    },
    /** The directories written so far, in order. */
    get saved() {
      return saved;
    },
    setModel(m: TrainingModel) {
      if (!(m instanceof Model)) throw new TypeError(`modelCheckpoint: can save only a Model, and '${m.name}' is not one`);
      model = m;
    },
    onTrainBegin() {
      best = Infinity;
    },
    async onEpochEnd(epoch: number, logs: Logs) {
      if (model === null) throw new Error('modelCheckpoint: no model; fit calls setModel before training');
      if (options.saveBestOnly) {
        const value = logs[monitor];
        if (value === undefined) {
          console.warn(`modelCheckpoint: '${monitor}' is not logged (logged: ${Object.keys(logs).join(', ')}); nothing saved`);
          return;
        }
        if (!(sign * value < best)) return;
        best = sign * value;
      }
      const dir = formatCheckpointPath(options.filepath, epoch, logs);
      await saveModel(model, dir, { includeOptimizer: options.includeOptimizer });
      saved.push(dir);
      if (options.verbose === 1) console.log(`Epoch ${epoch + 1}: saved the model to ${dir}`);
    },
  };
}

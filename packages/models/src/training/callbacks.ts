import type { Optimizer, Tensor } from '@aekit/core';
import type { Logs } from './history.js';

/** What a callback may reach of the model being trained. */
export interface TrainingModel {
  readonly name: string;
  /**
   * Set to true to end `fit` after the current epoch; set during a batch whose
   * loss is not finite, it ends `fit` at once (see `terminateOnNaN`).
   */
  stopTraining: boolean;
  parameters(): Tensor[];
  /** The optimizer `fit` steps (Keras's `model.optimizer`): learning-rate callbacks read and set its rate. */
  readonly optimizer?: Optimizer | null;
}

/** Hooks into `fit`; every method is optional and may return a promise, which `fit` awaits. */
export interface Callback {
  /** Called once before training with the model being trained, as Keras's `set_model`. */
  setModel?(model: TrainingModel): void;
  /** The run's shape, before the first epoch. */
  setParams?(params: { epochs: number; steps: number }): void;
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  /**
   * After each batch, with its loss. A batch whose loss is NaN or infinite
   * comes here too, before `fit` gives up on it (its step is not applied).
   */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** After each epoch, with the epoch's mean training loss and the validation loss. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
}

export interface EarlyStoppingOptions {
  /** The logged term to watch; default `val_loss` (falls back to nothing: a missing term stops nothing, with a warning). */
  monitor?: string;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** The least change that counts as an improvement; default 0. */
  minDelta?: number;
  /** `min` for losses (default), `max` for scores. */
  mode?: 'min' | 'max';
  /** At the end, put back the weights of the best epoch; default false, as in Keras. */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored term stops improving, as Keras's EarlyStopping.
 *
 * @example
 * await model.fit(x, x, { epochs: 100, validationData: [v, v], callbacks: [earlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback & { readonly stoppedEpoch: number; readonly bestEpoch: number } {
  const monitor = options.monitor ?? 'val_loss';
  const patience = options.patience ?? 0;
  const minDelta = Math.abs(options.minDelta ?? 0);
  const sign = (options.mode ?? 'min') === 'min' ? 1 : -1;
  let model: TrainingModel | null = null;
  let best = Infinity;
  let wait = 0;
  let bestWeights: Float32Array[] | Float64Array[] | null = null;
  const state = { stoppedEpoch: -1, bestEpoch: -1 };
  return {
    get stoppedEpoch() {
      return state.stoppedEpoch;
    },
    get bestEpoch() {
      return state.bestEpoch;
    },
    setModel(m) {
      model = m;
    },
    onTrainBegin() {
      best = Infinity;
      wait = 0;
      bestWeights = null;
      state.stoppedEpoch = -1;
      state.bestEpoch = -1;
    },
    onEpochEnd(epoch, logs) {
      const value = logs[monitor];
      if (value === undefined) {
        console.warn(`earlyStopping: '${monitor}' is not logged (logged: ${Object.keys(logs).join(', ')}); nothing is monitored`);
        return;
      }
      // Improvement means moving below the best by more than minDelta (in the monitored direction).
      if (sign * value < best - minDelta) {
        best = sign * value;
        wait = 0;
        state.bestEpoch = epoch;
        if (options.restoreBestWeights && model) bestWeights = model.parameters().map((p) => p.values.slice()) as Float32Array[];
        return;
      }
      wait += 1;
      if (wait > patience && model) {
        state.stoppedEpoch = epoch;
        model.stopTraining = true;
      }
    },
    onTrainEnd() {
      if (options.restoreBestWeights && model && bestWeights) {
        const saved = bestWeights;
        model.parameters().forEach((p, i) => p.values.set(saved[i]));
      }
    },
  };
}

/**
 * Ends training at the first batch whose loss is NaN or infinite, as Keras's
 * TerminateOnNaN: `fit` then returns the history of the epochs completed (with
 * a warning naming the epoch and step) instead of throwing `NonFiniteLossError`.
 * The bad batch's update is never applied, so the weights stay finite.
 *
 * @example
 * const history = await model.fit(x, x, { epochs: 50, callbacks: [terminateOnNaN()] });
 */
export function terminateOnNaN(): Callback {
  let model: TrainingModel | null = null;
  return {
    setModel(m) {
      model = m;
    },
    onBatchEnd(_batch, logs) {
      if (model && !Number.isFinite(logs.loss)) model.stopTraining = true;
    },
  };
}

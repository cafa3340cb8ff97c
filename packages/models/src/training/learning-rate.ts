import type { Optimizer } from '@aekit/core';
import type { Callback, TrainingModel } from './callbacks.js';

/** The model's optimizer when its learning rate is a number a callback may set; else an error saying why not. */
function settableOptimizer(who: string, model: TrainingModel | null): Optimizer & { learningRate: number } {
  const optimizer = model?.optimizer;
  if (!optimizer) throw new Error(`${who}: the model has no optimizer; call compile({ optimizer, loss }) before fit`);
  const lr = optimizer.learningRate;
  if (typeof lr === 'function') {
    // As in Keras: a schedule already sets the rate every step, and two owners of one rate would fight.
    throw new TypeError(`${who}: the optimizer was given a learning-rate schedule, so its rate cannot be set; give it a number instead`);
  }
  if (typeof lr !== 'number') throw new TypeError(`${who}: the optimizer has no settable learningRate (got ${String(lr)})`);
  return optimizer as Optimizer & { learningRate: number };
}

export interface LearningRateSchedulerOptions {
  /** Print a line each epoch with the rate set; default false. */
  verbose?: boolean;
  /** Where `verbose` lines go; default `console.log`. */
  print?: (line: string) => void;
}

/**
 * Sets the optimizer's learning rate at the start of each epoch to
 * `schedule(epoch, currentRate)` (epoch 0-based), as Keras's
 * LearningRateScheduler, and logs the rate as `learning_rate` in each epoch's
 * logs (and so in the `History`).
 *
 * @example
 * // Halve the rate every 10 epochs.
 * const halve = learningRateScheduler((epoch, lr) => (epoch > 0 && epoch % 10 === 0 ? lr / 2 : lr));
 * await model.fit(x, x, { epochs: 30, callbacks: [halve] });
 */
export function learningRateScheduler(schedule: (epoch: number, learningRate: number) => number, options: LearningRateSchedulerOptions = {}): Callback {
  const who = 'learningRateScheduler';
  const print = options.print ?? console.log;
  let model: TrainingModel | null = null;
  return {
    setModel(m) {
      model = m;
    },
    onEpochBegin(epoch) {
      const optimizer = settableOptimizer(who, model);
      const next = schedule(epoch, optimizer.learningRate);
      if (typeof next !== 'number' || !(next >= 0) || !Number.isFinite(next)) {
        throw new RangeError(`${who}: the schedule gave ${String(next)} at epoch ${epoch}; expected a finite non-negative number`);
      }
      optimizer.learningRate = next;
      if (options.verbose) print(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
    },
    onEpochEnd(_epoch, logs) {
      logs.learning_rate = settableOptimizer(who, model).learningRate;
    },
  };
}

export interface ReduceLROnPlateauOptions {
  /** The logged term to watch; default `val_loss`. */
  monitor?: string;
  /** The rate is multiplied by this (in (0, 1)) on a plateau; default 0.1. */
  factor?: number;
  /** Epochs without improvement before the rate drops; default 10. */
  patience?: number;
  /** The least change that counts as an improvement; default 1e-4. */
  minDelta?: number;
  /** `min` for losses (default), `max` for scores. */
  mode?: 'min' | 'max';
  /** Epochs to wait after a drop before counting again; default 0. */
  cooldown?: number;
  /** The rate never drops below this; default 0. */
  minLr?: number;
  /** Print a line at each drop; default false. */
  verbose?: boolean;
  /** Where `verbose` lines go; default `console.log`. */
  print?: (line: string) => void;
}

/**
 * Multiplies the learning rate by `factor` when a monitored term has not
 * improved for `patience` epochs, as Keras's ReduceLROnPlateau, and logs the
 * rate of each epoch as `learning_rate`.
 *
 * @example
 * await model.fit(x, x, { epochs: 100, validationSplit: 0.1, callbacks: [reduceLROnPlateau({ factor: 0.5, patience: 3 })] });
 */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions = {}): Callback {
  const who = 'reduceLROnPlateau';
  const monitor = options.monitor ?? 'val_loss';
  const factor = options.factor ?? 0.1;
  const patience = options.patience ?? 10;
  const minDelta = Math.abs(options.minDelta ?? 1e-4);
  const cooldown = options.cooldown ?? 0;
  const minLr = options.minLr ?? 0;
  const sign = (options.mode ?? 'min') === 'min' ? 1 : -1;
  const print = options.print ?? console.log;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`${who}: factor must be in (0, 1), got ${factor}`);
  for (const [name, value] of [['patience', patience], ['cooldown', cooldown]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${who}: ${name} must be a non-negative integer, got ${value}`);
  }
  if (!(minLr >= 0)) throw new RangeError(`${who}: minLr must be a non-negative number, got ${minLr}`);
  let model: TrainingModel | null = null;
  let best = Infinity;
  let wait = 0;
  let cooling = 0;
  return {
    setModel(m) {
      model = m;
    },
    onTrainBegin() {
      settableOptimizer(who, model); // fail before the first epoch, not after it
      best = Infinity;
      wait = 0;
      cooling = 0;
    },
    onEpochEnd(epoch, logs) {
      const optimizer = settableOptimizer(who, model);
      logs.learning_rate = optimizer.learningRate;
      const value = logs[monitor];
      if (value === undefined) {
        console.warn(`${who}: '${monitor}' is not logged (logged: ${Object.keys(logs).join(', ')}); the rate stays`);
        return;
      }
      if (cooling > 0) {
        cooling -= 1;
        wait = 0;
      }
      if (sign * value < best - minDelta) {
        best = sign * value;
        wait = 0;
        return;
      }
      if (cooling > 0) return;
      wait += 1;
      if (wait < patience) return;
      const old = optimizer.learningRate;
      if (old <= minLr) return;
      const next = Math.max(old * factor, minLr);
      optimizer.learningRate = next;
      if (options.verbose) print(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
      cooling = cooldown;
      wait = 0;
    },
  };
}

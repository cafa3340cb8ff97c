import { add, noGrad, Random, Tensor, withStepMemory, withTraining, zeroGrad, type LossFunction, type Optimizer, type Shape } from '@aekit/core';
import type { Callback } from './callbacks.js';
import { checkPair, identityOrder, sliceRows, takeBatch } from './batches.js';
import { History, type Logs } from './history.js';
import { epochLogger, interactiveTerminal, progressBar } from './progress.js';

export interface FitOptions {
  /** Passes over the training data; default 1. */
  epochs?: number;
  /** Samples per gradient step; default 32, as in Keras. */
  batchSize?: number;
  /** Reshuffle the samples before each epoch; default true. */
  shuffle?: boolean;
  /** `[x, y]` evaluated after each epoch and logged as `val_loss`. */
  validationData?: [Tensor, Tensor];
  /** Holds out this fraction of the samples (the last ones, before shuffling, as Keras does) as validation data. */
  validationSplit?: number;
  /** Seeds the shuffling, so the same seed gives the same run; default 0. */
  seed?: number;
  /** 0: silent; 1 (default): a live progress bar in a terminal, one line per epoch elsewhere; 2: one line per epoch always. */
  verbose?: 0 | 1 | 2;
  callbacks?: Callback[];
}

/** A batch's objective: `total` is what gradients flow from; each term is logged on its own. */
export interface Objective {
  total: Tensor;
  /** Named parts of the total (e.g. `reconstruction_loss`, `kl_loss`), each a scalar. */
  terms: Record<string, Tensor>;
}

/** What an objective may use besides the batch: the mode, and the run's seeded generator (noise, sampling). */
export interface ObjectiveContext {
  training: boolean;
  rng: Random;
}

/** What the training loop needs of a model. */
export interface Trainable {
  readonly name: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  call(x: Tensor, context: { training: boolean }): Tensor;
  parameters(): Tensor[];
  stopTraining: boolean;
  /**
   * The objective on one batch. Models with more than a reconstruction loss
   * (sparse, variational, denoising) override it; by default it is `loss(call(x), y)`.
   */
  objective?(x: Tensor, y: Tensor, loss: LossFunction, context: ObjectiveContext): Objective;
  /**
   * The regularization penalties of the latest forward pass (Keras's
   * `model.losses`), as scalars. The default objective adds their sum to the
   * loss; a model with its own `objective` includes them itself.
   */
  regularizationLosses?(): Tensor[];
}

/** `loss(call(x), y)` plus any regularization penalties (logged apart as `regularization_loss`), or the model's own objective. */
function batchObjective(model: Trainable, loss: LossFunction, x: Tensor, y: Tensor, context: ObjectiveContext): Objective {
  if (model.objective) return model.objective(x, y, loss, context);
  const dataLoss = loss(model.call(x, context), y);
  // Read after the forward pass: activity penalties belong to the batch just seen.
  const penalties = model.regularizationLosses?.() ?? [];
  if (penalties.length === 0) return { total: dataLoss, terms: {} };
  const regularization = penalties.reduce((a, b) => add(a, b));
  return { total: add(dataLoss, regularization), terms: { regularization_loss: regularization } };
}

/** Sums batch values weighted by batch size, for epoch means. */
class LogAccumulator {
  private readonly sums = new Map<string, number>();
  private count = 0;

  add(objective: Objective, size: number): void {
    this.count += size;
    this.sums.set('loss', (this.sums.get('loss') ?? 0) + objective.total.item() * size);
    for (const [name, term] of Object.entries(objective.terms)) this.sums.set(name, (this.sums.get(name) ?? 0) + term.item() * size);
  }

  means(prefix = ''): Logs {
    const logs: Logs = {};
    for (const [name, total] of this.sums) logs[prefix + name] = total / this.count;
    return logs;
  }
}

/** Raised when the loss stops being a finite number; says where. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly value: number,
    readonly epoch: number,
    readonly step: number,
  ) {
    super(
      `fit: the loss became ${value} at epoch ${epoch + 1}, step ${step + 1}; training stopped. ` +
        'Lower the learning rate, check the inputs for NaN or Infinity, or use a loss computed from logits.',
    );
    this.name = 'NonFiniteLossError';
  }
}

/**
 * The mean loss and every logged term over `x`, in batches, without recording
 * a graph. Sampling models draw from a fixed generator, so evaluating twice
 * gives the same number.
 */
export function evaluateLogs(model: Trainable, loss: LossFunction, x: Tensor, y: Tensor, batchSize: number, prefix = ''): Logs {
  checkBatchSize(`evaluate (${model.name})`, batchSize);
  return noGrad(() => {
    const n = x.shape[0];
    const order = identityOrder(n);
    const context = { training: false, rng: new Random(0) };
    const logs = new LogAccumulator();
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      // Each batch in its own step's memory, as fit's steps: the logs read the terms inside.
      withStepMemory(() => logs.add(batchObjective(model, loss, ...takeBatch(x, y, order, start, end), context), end - start));
    }
    return logs.means(prefix);
  });
}

/**
 * The mean loss over `x` in batches, without recording a graph, after the
 * checks `fit` gives its data (shapes, sample counts, emptiness, NaN).
 */
export function evaluateLoss(model: Trainable, loss: LossFunction, x: Tensor, y: Tensor, batchSize: number): number {
  checkPair(`evaluate (${model.name})`, x, y, model);
  return evaluateLogs(model, loss, x, y, batchSize).loss;
}

function checkBatchSize(where: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`${where}: batchSize must be a positive integer, got ${batchSize}`);
}

/** Training and validation data after `validationSplit`, each pair checked. */
function splitData(where: string, model: Trainable, x: Tensor, y: Tensor, options: FitOptions): { x: Tensor; y: Tensor; validation?: [Tensor, Tensor] } {
  checkPair(where, x, y, model);
  if (options.validationSplit !== undefined && options.validationData) {
    throw new RangeError(`${where}: pass validationData or validationSplit, not both`);
  }
  if (options.validationData) {
    const [vx, vy] = options.validationData;
    checkPair(where, vx, vy, model, ['validationData[0]', 'validationData[1]']);
    return { x, y, validation: [vx, vy] };
  }
  if (options.validationSplit === undefined) return { x, y };
  const split = options.validationSplit;
  if (!(split > 0 && split < 1)) throw new RangeError(`${where}: validationSplit must be in (0, 1), got ${split}`);
  const n = x.shape[0];
  const held = Math.floor(n * split);
  const kept = n - held;
  if (held === 0 || kept === 0) {
    throw new RangeError(
      `${where}: validationSplit ${split} of ${n} samples leaves ${kept} for training and ${held} for validation; expected at least one on each side`,
    );
  }
  return {
    x: sliceRows(x, 0, kept),
    y: sliceRows(y, 0, kept),
    validation: [sliceRows(x, kept, kept + held), sliceRows(y, kept, kept + held)],
  };
}

/**
 * Resolves in a new task of the event loop, so timers, I/O and input events
 * queued during an epoch run. Not `setTimeout(0)`: Node holds that back at
 * least 1 ms (1.12 ms measured, against 0.01 for setImmediate), 1% of an
 * epoch of 20 dense-autoencoder steps, and browsers clamp nested timeouts to 4 ms.
 */
function nextTask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Brings the parameters' host arrays up to date with the copies Adam updates
 * in the kernels' memory (see `Tensor.updatableIn`): a read of `.values` would
 * anyway, but code that kept an array from before (a callback, a test, a
 * plot) sees the current weights after each epoch too.
 */
function syncHosts(params: readonly Tensor[]): void {
  for (const p of params) p.syncHost();
}

/** The training loop behind `Model.fit`: minibatch gradient descent with logging and callbacks. */
export async function fitModel(
  model: Trainable,
  optimizer: Optimizer,
  loss: LossFunction,
  xAll: Tensor,
  yAll: Tensor,
  options: FitOptions = {},
): Promise<History> {
  const where = `fit (${model.name})`;
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`${where}: epochs must be a non-negative integer, got ${epochs}`);
  checkBatchSize(where, batchSize);
  const { x, y, validation } = splitData(where, model, xAll, yAll, options);
  // A batch larger than the data is almost always a mistake (a slice too small, a swapped argument); the default of 32 is not.
  if (options.batchSize !== undefined && batchSize > x.shape[0]) {
    const split = options.validationSplit !== undefined ? ` (after validationSplit ${options.validationSplit})` : '';
    throw new RangeError(`${where}: batchSize ${batchSize} is larger than the ${x.shape[0]} training samples${split}; expected at most ${x.shape[0]}`);
  }

  // verbose 1: a live bar in an interactive terminal, else a plain line per epoch (logs, pipes, CI, browsers).
  const verbose = options.verbose ?? 1;
  const terminal = verbose === 1 ? interactiveTerminal() : null;
  const display = verbose === 0 ? [] : [terminal ? progressBar(epochs, terminal) : epochLogger(epochs)];
  // The display runs last, as Keras's progress bar does, so it shows what callbacks add to the logs (learning_rate).
  const callbacks = [...(options.callbacks ?? []), ...display];
  const emit = async <K extends keyof Callback>(hook: K, ...args: Parameters<NonNullable<Callback[K]>>) => {
    for (const cb of callbacks) await (cb[hook] as ((...a: unknown[]) => unknown) | undefined)?.apply(cb, args);
  };

  const rng = new Random(options.seed ?? 0);
  const params = model.parameters();
  const n = x.shape[0];
  const steps = Math.ceil(n / batchSize);
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.({ epochs, steps });
  }
  const history = new History();
  let logs: Logs = {};
  model.stopTraining = false;
  await emit('onTrainBegin');
  for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
    await emit('onEpochBegin', epoch);
    const order = options.shuffle === false ? identityOrder(n) : rng.permutation(n);
    const epochLogs = new LogAccumulator();
    for (let step = 0; step < steps; step++) {
      const start = step * batchSize;
      const end = Math.min(start + batchSize, n);
      // One step in its own memory: the activations and gradients stay in the kernels' memory and go when it ends.
      const value = withStepMemory(() => {
        zeroGrad(params);
        const objective = withTraining(true, () => batchObjective(model, loss, ...takeBatch(x, y, order, start, end), { training: true, rng }));
        const value = objective.total.item();
        // No step from a non-finite loss: the weights stay as they were.
        if (Number.isFinite(value)) {
          objective.total.backward();
          optimizer.step(params);
          epochLogs.add(objective, end - start);
        }
        // The gradients lived in the step's memory.
        zeroGrad(params);
        return value;
      });
      if (!Number.isFinite(value)) {
        syncHosts(params);
        // Callbacks see it first; one that sets stopTraining (terminateOnNaN) ends the run gracefully, else it is an error.
        await emit('onBatchEnd', step, { loss: value });
        if (!model.stopTraining) throw new NonFiniteLossError(value, epoch, step);
        await emit('onTrainEnd', logs);
        console.warn(`${where}: the loss became ${value} at epoch ${epoch + 1}, step ${step + 1}; training stopped by a callback, the update was not applied`);
        return history;
      }
      if (callbacks.some((cb) => cb.onBatchEnd)) await emit('onBatchEnd', step, { loss: value });
    }
    syncHosts(params);
    logs = epochLogs.means();
    if (validation) Object.assign(logs, evaluateLogs(model, loss, validation[0], validation[1], batchSize, 'val_'));
    await emit('onEpochEnd', epoch, logs);
    // Recorded after the callbacks, which may add terms (learning_rate), as Keras's History runs last.
    history.record(epoch, logs);
    // Let the event loop breathe between epochs: a browser page stays responsive.
    await nextTask();
  }
  await emit('onTrainEnd', logs);
  return history;
}

import { noGrad, Random, Tensor, withTraining, zeroGrad, type LossFunction, type Optimizer, type Shape } from '@aekit/core';
import type { Callback } from './callbacks.js';
import { checkSamples, identityOrder, takeRows } from './batches.js';

/** Rows [start, start + count) of x, as a view sharing its values. */
function takeFirstRows(x: Tensor, start: number, count: number): Tensor {
  const row = x.size / x.shape[0];
  return new Tensor(x.values.subarray(start * row, (start + count) * row), [count, ...x.shape.slice(1)]);
}
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
  /** 0: silent; 1 (default): a live progress bar in a terminal, one line per epoch elsewhere. */
  verbose?: 0 | 1;
  callbacks?: Callback[];
}

/** What the training loop needs of a model. */
export interface Trainable {
  readonly name: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  call(x: Tensor, context: { training: boolean }): Tensor;
  parameters(): Tensor[];
  stopTraining: boolean;
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

/** The mean loss over `x` in batches, without recording a graph. */
export function evaluateLoss(model: Trainable, loss: LossFunction, x: Tensor, y: Tensor, batchSize: number): number {
  return noGrad(() => {
    const n = x.shape[0];
    const order = identityOrder(n);
    let total = 0;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const value = loss(model.call(takeRows(x, order, start, end), { training: false }), takeRows(y, order, start, end)).item();
      total += value * (end - start);
    }
    return total / n;
  });
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
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  let x = xAll;
  let y = yAll;
  checkSamples(`fit (${model.name})`, 'x', x, model.inputShape);
  checkSamples(`fit (${model.name})`, 'y', y, model.outputShape);
  if (x.shape[0] !== y.shape[0]) throw new RangeError(`fit: x has ${x.shape[0]} samples but y has ${y.shape[0]}`);
  if (x.shape[0] === 0) throw new RangeError('fit: x has no samples');
  if (options.validationSplit !== undefined && options.validationData) {
    throw new RangeError('fit: pass validationData or validationSplit, not both');
  }
  let validation = options.validationData;
  if (options.validationSplit !== undefined) {
    const split = options.validationSplit;
    if (!(split > 0 && split < 1)) throw new RangeError(`fit: validationSplit must be in (0, 1), got ${split}`);
    const held = Math.floor(x.shape[0] * split);
    const kept = x.shape[0] - held;
    if (held === 0 || kept === 0) throw new RangeError(`fit: validationSplit ${split} of ${x.shape[0]} samples leaves an empty side`);
    validation = [takeFirstRows(x, kept, held), takeFirstRows(y, kept, held)];
    x = takeFirstRows(x, 0, kept);
    y = takeFirstRows(y, 0, kept);
  }
  if (validation) {
    checkSamples(`fit (${model.name})`, 'validationData[0]', validation[0], model.inputShape);
    checkSamples(`fit (${model.name})`, 'validationData[1]', validation[1], model.outputShape);
  }

  // verbose 1: a live bar in an interactive terminal, else a plain line per epoch (logs, pipes, CI, browsers).
  const terminal = interactiveTerminal();
  const display = options.verbose === 0 ? [] : [terminal ? progressBar(epochs, terminal) : epochLogger(epochs)];
  const callbacks = [...display, ...(options.callbacks ?? [])];
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
    let seen = 0;
    let lossSum = 0;
    for (let step = 0; step < steps; step++) {
      const start = step * batchSize;
      const end = Math.min(start + batchSize, n);
      zeroGrad(params);
      const batchLoss = withTraining(true, () =>
        loss(model.call(takeRows(x, order, start, end), { training: true }), takeRows(y, order, start, end)),
      );
      const value = batchLoss.item();
      if (!Number.isFinite(value)) throw new NonFiniteLossError(value, epoch, step);
      batchLoss.backward();
      optimizer.step(params);
      lossSum += value * (end - start);
      seen += end - start;
      if (callbacks.some((cb) => cb.onBatchEnd)) await emit('onBatchEnd', step, { loss: value });
    }
    logs = { loss: lossSum / seen };
    if (validation) logs.val_loss = evaluateLoss(model, loss, validation[0], validation[1], batchSize);
    history.record(epoch, logs);
    await emit('onEpochEnd', epoch, logs);
    // Let the event loop breathe between epochs: a browser page stays responsive.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  await emit('onTrainEnd', logs);
  return history;
}

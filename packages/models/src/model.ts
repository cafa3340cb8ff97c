import {
  adam,
  adamw,
  rmsprop,
  sgd,
  lossByName,
  noGrad,
  sizeOf,
  Tensor,
  withStepMemory,
  type LossFunction,
  type LossName,
  type Optimizer,
  type Shape,
} from '@aekit/core';
import { checkSamples, sliceRows } from './training/batches.js';
import { evaluateLoss, fitModel, type FitOptions, type Trainable } from './training/fit.js';
import type { History } from './training/history.js';

export interface CompileOptions {
  /** An optimizer, or one by its Keras name with Keras's defaults; default `'adam'`. */
  optimizer?: Optimizer | OptimizerName;
  /** A loss by its Keras name (`'mse'`, `'binaryCrossentropy'`) or a function `(prediction, target) => scalar`. */
  loss: LossName | LossFunction;
}

/** Optimizers by their Keras names, each with Keras's default hyper-parameters. */
const optimizerFactories = { adam, adamw, sgd, rmsprop } as const;

export type OptimizerName = keyof typeof optimizerFactories;

function optimizerByName(name: OptimizerName): Optimizer {
  const make = (optimizerFactories as Record<string, (() => Optimizer) | undefined>)[name];
  if (make === undefined) {
    throw new RangeError(`compile: unknown optimizer '${name}'; known: ${Object.keys(optimizerFactories).join(', ')}`);
  }
  return make();
}

/** One row of `summary()`: a layer, its output shape (batch excluded) and its parameter count (trainable and not, as in Keras). */
export interface SummaryRow {
  layer: string;
  outputShape: Shape;
  params: number;
}

/**
 * Runs `fn` over `x` in batches without recording a graph and stacks the
 * results. Each batch runs in its own step's memory (`withStepMemory`): its
 * activations stay in the kernels' memory and go when the batch is copied out.
 */
export function mapBatches(x: Tensor, batchSize: number, fn: (batch: Tensor) => Tensor): Tensor {
  return noGrad(() => {
    const n = x.shape[0];
    let out: Float32Array | Float64Array | null = null;
    let outShape: number[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      withStepMemory(() => {
        const y = fn(sliceRows(x, start, end));
        const values = y.values;
        if (out === null) {
          outShape = [n, ...y.shape.slice(1)];
          out = new (values.constructor as Float32ArrayConstructor)(sizeOf(outShape));
        }
        out.set(values, (start * out.length) / n);
      });
    }
    return new Tensor(out ?? new Float32Array(0), out === null ? [0] : outShape);
  });
}

/**
 * What every model shares: `compile`, `fit`, `evaluate`, `predict` and
 * `summary`, in the shape Keras and TensorFlow.js users know.
 */
export abstract class Model implements Trainable {
  abstract readonly name: string;
  /** The shape of one input sample (no batch dimension). */
  abstract get inputShape(): Shape;
  /** The shape of one output sample (no batch dimension). */
  abstract get outputShape(): Shape;
  /** Applies the model to a batch, recording the graph when gradients are on. */
  abstract call(x: Tensor, context: { training: boolean }): Tensor;
  /** Every parameter with its path (`encoder.0.kernel`), in a stable order. */
  abstract namedWeights(): [string, Tensor][];
  /** The rows `summary()` prints. */
  abstract summaryRows(): SummaryRow[];

  /** Set to true (from a callback) to end `fit` after the current epoch. */
  stopTraining = false;
  private compiled: { optimizer: Optimizer; loss: LossFunction; lossName: LossName | null } | null = null;

  /**
   * The non-trainable tensors with their paths (batch normalization's moving
   * statistics): saved with the weights, never handed to an optimizer. None by default.
   */
  namedState(): [string, Tensor][] {
    return [];
  }

  /**
   * The regularization penalties (Keras's `model.losses`): weight penalties and
   * the activity penalties of the latest forward pass, as scalars for a training
   * loop to add to its loss. None by default.
   */
  regularizationLosses(): Tensor[] {
    return [];
  }

  /** The optimizer given to `compile`, or null before it. */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** The loss's name when `compile` was given one (a function has none), else null. */
  get lossName(): LossName | null {
    return this.compiled?.lossName ?? null;
  }

  /** The parameters, in the order of `namedWeights()`. */
  parameters(): Tensor[] {
    return this.namedWeights().map(([, t]) => t);
  }

  /** The number of trainable scalars (Keras's "Trainable params"). */
  countParams(): number {
    return this.parameters().reduce((n, t) => n + t.size, 0);
  }

  /** Chooses the optimizer and the loss for `fit` and `evaluate`. */
  compile(options: CompileOptions): this {
    const optimizer = typeof options.optimizer === 'object' ? options.optimizer : optimizerByName(options.optimizer ?? 'adam');
    const loss = typeof options.loss === 'function' ? options.loss : lossByName(options.loss);
    this.compiled = { optimizer, loss, lossName: typeof options.loss === 'string' ? options.loss : null };
    return this;
  }

  private requireCompiled(method: string): { optimizer: Optimizer; loss: LossFunction } {
    if (this.compiled === null) throw new Error(`${this.name}.${method}: call compile({ optimizer, loss }) first`);
    return this.compiled;
  }

  /**
   * Trains on `x` against targets `y` (for an autoencoder, `y` is `x`, or the
   * clean images when `x` is noisy). Prints a line per epoch unless `verbose: 0`.
   */
  fit(x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
    const { optimizer, loss } = this.requireCompiled('fit');
    return fitModel(this, optimizer, loss, x, y, options);
  }

  /** The mean loss on `x` against `y`. */
  evaluate(x: Tensor, y: Tensor, options: { batchSize?: number } = {}): number {
    const { loss } = this.requireCompiled('evaluate');
    checkSamples(`evaluate (${this.name})`, 'x', x, this.inputShape);
    checkSamples(`evaluate (${this.name})`, 'y', y, this.outputShape);
    return evaluateLoss(this, loss, x, y, options.batchSize ?? 32);
  }

  /** The model's outputs for `x`, computed in batches without recording a graph. */
  predict(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    checkSamples(`predict (${this.name})`, 'x', x, this.inputShape);
    return mapBatches(x, options.batchSize ?? 32, (batch) => this.call(batch, { training: false }));
  }

  /**
   * A Keras-style table of layers, output shapes and parameter counts, then the
   * total, trainable and non-trainable counts; printed unless `print` is null.
   *
   * @example
   * denseAutoencoder({ inputDim: 784, codeDim: 64 }).summary(); // ... Total params: 101,200
   */
  summary(print: ((text: string) => void) | null = console.log): string {
    const rows = this.summaryRows().map((r) => [r.layer, `(None, ${r.outputShape.join(', ')})`, String(r.params)]);
    const header = ['Layer (type)', 'Output Shape', 'Param #'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('').trimEnd();
    const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0));
    // The rows count every scalar a layer holds; what the optimizer does not train is the rest.
    const total = this.summaryRows().reduce((n, r) => n + r.params, 0);
    const trainable = this.countParams();
    const count = (n: number) => n.toLocaleString('en-US');
    const text = [
      `Model: "${this.name}"`,
      rule('_'),
      line(header),
      rule('='),
      ...rows.map(line),
      rule('='),
      `Total params: ${count(total)}`,
      `Trainable params: ${count(trainable)}`,
      `Non-trainable params: ${count(total - trainable)}`,
      rule('_'),
    ].join('\n');
    print?.(text);
    return text;
  }
}

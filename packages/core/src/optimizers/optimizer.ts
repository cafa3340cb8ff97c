import type { FloatArray, ResidentBuffer } from '@aekit/kernels-wasm';
import { formatShape, sameShape } from '../shape.js';
import { allocate, type Storage, type Tensor } from '../tensor.js';
import type { LearningRate } from './schedules.js';

/** Updates parameters in place from their `.grad`: the one place where tensors mutate. */
export interface Optimizer {
  /** Applies one update to every parameter that has a gradient. */
  step(params: readonly Tensor[]): void;
  /** The number of updates applied so far. */
  readonly iterations: number;
  /**
   * The learning rate: a number, which callbacks such as a learning-rate
   * scheduler may set between steps, or a schedule of the iteration count.
   */
  learningRate?: LearningRate;
  /** The iteration count and the slot arrays of the named parameters, for saving. */
  getState(params: NamedParameters): OptimizerState;
  /** Restores what `getState` reported, onto the parameters of the same names. */
  setState(state: OptimizerState, params: NamedParameters): void;
}

/** Parameters with the names their state is saved under: a model's `[path, tensor]` pairs. */
export type NamedParameters = Iterable<readonly [string, Tensor]>;

/**
 * What an optimizer carries between steps. Slots are named as in Keras
 * (`momentum`, `velocity`, `averageGradient`), per parameter name.
 */
export interface OptimizerState {
  /** The optimizer's name (`'Adam'`), so state is not restored into another kind. */
  optimizer: string;
  /** Updates applied so far; schedules and Adam's bias correction read it. */
  iterations: number;
  /** `slots[parameterName][slotName]`: one array per slot, the parameter's size. Parameters never updated are absent. */
  slots: Record<string, Record<string, FloatArray>>;
}

/** Hyper-parameters every optimizer accepts, as Keras 3's base optimizer does. */
export interface OptimizerOptions {
  /** A number, or a schedule from the iteration count (0 on the first update) to a rate. */
  learningRate?: LearningRate;
  /** Decoupled weight decay: before each update `w -= w * weightDecay * lr` (none by default). */
  weightDecay?: number;
  /** Clips each parameter's gradient to this L2 norm, parameter by parameter. */
  clipnorm?: number;
  /** Clips all gradients together so that their joint L2 norm is at most this. */
  globalClipnorm?: number;
  /** Clips every gradient element into `[-clipvalue, clipvalue]`. */
  clipvalue?: number;
}

/** Clears the gradients of `params` before the next backward pass. */
export function zeroGrad(params: readonly Tensor[]): void {
  for (const p of params) p.grad = null;
}

/** Where an optimizer keeps one slot of one parameter: a plain array, or a buffer resident in the kernels' memory. */
export type Slot = FloatArray | ResidentBuffer;

/** A plain slot: a zero-filled array of the parameter's size and precision. */
export function plainSlot(p: Tensor): FloatArray {
  return allocate(p.dtype, p.size);
}

/**
 * A gradient as `updateAll` receives it: host values, or, for an optimizer
 * that sets `takesResidentGradients`, possibly a resident buffer of the
 * float32 kernels (a gradient computed inside a training step's memory).
 */
export type Gradient = ArrayLike<number> | ResidentBuffer;

/** A parameter with a gradient, as `updateAll` receives it. */
export interface LiveParameter<S extends Slot> {
  /** The weights to update in place: host values, unless the optimizer keeps them elsewhere (see `weightsOf`). */
  readonly w: Storage;
  /** The (clipped) gradient. */
  readonly g: Gradient;
  readonly slots: Record<string, S>;
}

/**
 * What every optimizer shares, in the order Keras 3's `apply` runs it: skip
 * parameters without a gradient, clip the gradients, apply decoupled weight
 * decay, run the optimizer's own update with the learning rate of the current
 * iteration, then count the iteration. Subclasses write only the update, and
 * say where their slots live (`newSlot`).
 *
 * @example
 * // Plain gradient descent with a running mean of the gradient as its one slot.
 * class MeanSgd extends BaseOptimizer {
 *   constructor() { super('MeanSgd', {}, 0.01, plainSlot); }
 *   protected slotNames() { return ['mean']; }
 *   protected update(w: FloatArray, g: ArrayLike<number>, slots: Record<string, FloatArray>, lr: number) {
 *     for (let i = 0; i < w.length; i++) {
 *       slots.mean[i] = 0.9 * slots.mean[i] + 0.1 * g[i];
 *       w[i] -= lr * slots.mean[i];
 *     }
 *   }
 * }
 */
export abstract class BaseOptimizer<S extends Slot = FloatArray> implements Optimizer {
  /** The optimizer's name, in errors and in saved state. */
  readonly name: string;
  private rate: LearningRate;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly globalClipnorm: number | null;
  readonly clipvalue: number | null;
  private t = 0;
  private readonly slots = new Map<Tensor, Record<string, S>>();

  /**
   * @param newSlot a zero-filled slot for a parameter: {@link plainSlot}, or a
   *   resident buffer for an optimizer whose update runs inside the kernels
   */
  protected constructor(name: string, options: OptimizerOptions, defaultLearningRate: number, private readonly newSlot: (p: Tensor) => S) {
    this.name = name;
    this.rate = options.learningRate ?? defaultLearningRate;
    if (typeof this.rate === 'number') checkNonNegative(name, 'learningRate', this.rate);
    this.weightDecay = options.weightDecay ?? null;
    if (this.weightDecay !== null) checkNonNegative(name, 'weightDecay', this.weightDecay);
    this.clipnorm = options.clipnorm ?? null;
    this.globalClipnorm = options.globalClipnorm ?? null;
    this.clipvalue = options.clipvalue ?? null;
    const clips = (['clipnorm', 'globalClipnorm', 'clipvalue'] as const).filter((k) => this[k] !== null);
    // Keras refuses the combination too: the order the clips would apply in is not obvious.
    if (clips.length > 1) throw new RangeError(`${name}: set only one of clipnorm, globalClipnorm and clipvalue, got ${clips.join(' and ')}`);
    for (const k of clips) {
      const v = this[k] as number;
      if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name}: ${k} must be a positive number, got ${v}`);
    }
  }

  /** The number of updates applied so far. */
  get iterations(): number {
    return this.t;
  }

  /** The learning rate or schedule; setting it (between steps) changes the rate of the next update. */
  get learningRate(): LearningRate {
    return this.rate;
  }

  set learningRate(value: LearningRate) {
    if (typeof value === 'number') checkNonNegative(this.name, 'learningRate', value);
    else if (typeof value !== 'function') throw new TypeError(`${this.name}: learningRate must be a number or a schedule, got ${String(value)}`);
    this.rate = value;
  }

  /** The learning rate the next update will use (the schedule's value at `iterations`). */
  get currentLearningRate(): number {
    const lr = typeof this.learningRate === 'number' ? this.learningRate : this.learningRate(this.t);
    if (!Number.isFinite(lr)) throw new RangeError(`${this.name}: the learning-rate schedule gave ${lr} at iteration ${this.t}`);
    return lr;
  }

  /** The slot names this optimizer keeps per parameter, given its hyper-parameters. */
  protected abstract slotNames(): readonly string[];

  /**
   * Updates `w` in place from the (clipped) gradient `g`.
   * @param slots this parameter's slot arrays, zero before the first update
   * @param lr the learning rate of this iteration
   * @param step the 1-based number of this update (Adam's bias correction)
   */
  protected abstract update(w: FloatArray, g: ArrayLike<number>, slots: Record<string, S>, lr: number, step: number): void;

  /**
   * Whether `updateAll` takes gradients where they are (resident buffers
   * included) instead of host values; an optimizer whose update runs in the
   * kernels sets it, so a gradient never leaves their memory.
   */
  protected readonly takesResidentGradients: boolean = false;

  /**
   * Whether `updateAll` applies the decoupled weight decay itself, in the
   * same pass as the update (Adam's kernels do, where the weights live);
   * otherwise `step` first shrinks the host values.
   */
  protected readonly appliesWeightDecay: boolean = false;

  /**
   * Where `updateAll` finds a parameter's weights: its host values, unless an
   * optimizer whose update runs in the kernels keeps them in their memory
   * (`Tensor.updatableIn`), as Adam does.
   */
  protected weightsOf(p: Tensor): Storage {
    return p.values;
  }

  /** Updates every live parameter; one `update` each unless an optimizer batches them into one kernel call. */
  protected updateAll(live: readonly LiveParameter<S>[], lr: number, step: number): void {
    // Without takesResidentGradients and an override of weightsOf, step hands over host values only.
    for (const p of live) this.update(p.w as FloatArray, p.g as ArrayLike<number>, p.slots, lr, step);
  }

  /**
   * Applies one update to every parameter that has a gradient; does nothing,
   * not even count an iteration, when none has (as Keras).
   */
  step(params: readonly Tensor[]): void {
    const live = params.filter((p) => p.grad !== null);
    if (live.length === 0) return;
    for (const p of live) {
      const grad = p.grad as Tensor;
      if (!sameShape(grad.shape, p.shape)) {
        throw new RangeError(`${this.name}: a gradient of shape ${formatShape(grad.shape)} for a parameter of shape ${formatShape(p.shape)}`);
      }
    }
    const clipping = this.clipnorm !== null || this.globalClipnorm !== null || this.clipvalue !== null;
    const grads: Gradient[] =
      this.takesResidentGradients && !clipping
        ? live.map((p) => (p.grad as Tensor).storage)
        : this.clipGradients(live.map((p) => (p.grad as Tensor).values));
    const lr = this.currentLearningRate;
    const step = this.t + 1;
    if (this.weightDecay !== null && this.weightDecay !== 0 && !this.appliesWeightDecay) {
      // Decoupled weight decay (Loshchilov and Hutter), applied before the update as Keras does.
      const decay = this.weightDecay * lr;
      for (const p of live) {
        const w = p.values;
        for (let j = 0; j < w.length; j++) w[j] -= w[j] * decay;
      }
    }
    this.updateAll(
      live.map((p, i) => ({ w: this.weightsOf(p), g: grads[i], slots: this.slotsOf(p) })),
      lr,
      step,
    );
    this.t = step;
  }

  /** Keras's clipping: per-parameter norm, global norm, or value (gradients are copied, never changed in place). */
  private clipGradients(grads: FloatArray[]): ArrayLike<number>[] {
    if (this.clipnorm !== null) {
      const c = this.clipnorm;
      // g * c / max(|g|, c): unchanged below the threshold, rescaled to norm c above it.
      return grads.map((g) => scaled(g, c / Math.max(Math.sqrt(sumOfSquares(g)), c)));
    }
    if (this.globalClipnorm !== null) {
      const c = this.globalClipnorm;
      const norm = Math.sqrt(grads.reduce((s, g) => s + sumOfSquares(g), 0));
      const factor = c / Math.max(norm, c);
      return grads.map((g) => scaled(g, factor));
    }
    if (this.clipvalue !== null) {
      const c = this.clipvalue;
      return grads.map((g) => {
        const out = new Float64Array(g.length);
        for (let i = 0; i < g.length; i++) out[i] = Math.min(Math.max(g[i], -c), c);
        return out;
      });
    }
    return grads;
  }

  private slotsOf(p: Tensor): Record<string, S> {
    let slots = this.slots.get(p);
    if (slots === undefined) {
      slots = {};
      for (const name of this.slotNames()) slots[name] = this.newSlot(p);
      this.slots.set(p, slots);
    }
    return slots;
  }

  /**
   * The iteration count and a copy of every slot of the named parameters.
   *
   * @param params `[name, parameter]` pairs, e.g. a model's state-dict walk.
   * @example
   * const state = opt.getState([['encoder.0.kernel', kernel]]);
   * state.slots['encoder.0.kernel'].momentum; // a Float32Array the kernel's size
   */
  getState(params: NamedParameters): OptimizerState {
    const slots: OptimizerState['slots'] = {};
    for (const [name, p] of uniqueNames(this.name, params)) {
      const own = this.slots.get(p);
      if (own === undefined) continue;
      slots[name] = Object.fromEntries(Object.entries(own).map(([k, v]) => [k, ArrayBuffer.isView(v) ? v.slice() : v.read()]));
    }
    return { optimizer: this.name, iterations: this.t, slots };
  }

  /**
   * Restores a state from `getState` onto the parameters of the same names
   * (copying the arrays); parameters absent from the state start afresh.
   *
   * @example
   * const fresh = adam();
   * fresh.setState(saved, [['encoder.0.kernel', kernel]]);
   */
  setState(state: OptimizerState, params: NamedParameters): void {
    if (state.optimizer !== this.name) {
      throw new RangeError(`${this.name}: cannot restore the state of a ${state.optimizer} optimizer`);
    }
    if (!Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new RangeError(`${this.name}: the state's iteration count must be a non-negative integer, got ${state.iterations}`);
    }
    const byName = uniqueNames(this.name, params);
    const expected = [...this.slotNames()].sort();
    const restored = new Map<Tensor, Record<string, S>>();
    for (const [name, saved] of Object.entries(state.slots)) {
      const p = byName.get(name);
      if (p === undefined) throw new RangeError(`${this.name}: the state has slots for '${name}', which is not among the parameters`);
      const names = Object.keys(saved).sort();
      if (names.join() !== expected.join()) {
        throw new RangeError(`${this.name}: parameter '${name}' has slots [${names.join(', ')}], expected [${expected.join(', ')}]`);
      }
      const slots: Record<string, S> = {};
      for (const slot of expected) {
        const values = saved[slot];
        if (values.length !== p.size) {
          throw new RangeError(`${this.name}: slot '${slot}' of '${name}' has ${values.length} values, but the parameter has shape ${formatShape(p.shape)} (${p.size} values)`);
        }
        const copy = this.newSlot(p);
        if (ArrayBuffer.isView(copy)) copy.set(values);
        else copy.write(values);
        slots[slot] = copy;
      }
      restored.set(p, slots);
    }
    this.slots.clear();
    for (const [p, slots] of restored) this.slots.set(p, slots);
    this.t = state.iterations;
  }
}

function uniqueNames(optimizer: string, params: NamedParameters): Map<string, Tensor> {
  const byName = new Map<string, Tensor>();
  for (const [name, p] of params) {
    if (byName.has(name)) throw new RangeError(`${optimizer}: two parameters are named '${name}'`);
    byName.set(name, p);
  }
  return byName;
}

export function checkNonNegative(optimizer: string, what: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${optimizer}: ${what} must be a non-negative number, got ${value}`);
}

/** Throws unless `value` lies in [0, 1] (a decay or momentum factor). */
export function checkUnitInterval(optimizer: string, what: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${optimizer}: ${what} must lie in [0, 1], got ${value}`);
}

function sumOfSquares(g: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return s;
}

/** `g * factor` in float64 scratch (the update stores into the parameter's own precision). */
function scaled(g: FloatArray, factor: number): ArrayLike<number> {
  if (factor === 1) return g;
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i] * factor;
  return out;
}

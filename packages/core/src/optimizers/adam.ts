import { isResidentBuffer, type AdamUpdate, type FloatArray, type Kernels, type ResidentBuffer } from '@aekit/kernels-wasm';
import { kernelsFor } from '../backend.js';
import { dtypeOf, type Storage, type Tensor } from '../tensor.js';
import { BaseOptimizer, checkNonNegative, checkUnitInterval, plainSlot, type Gradient, type LiveParameter, type OptimizerOptions, type Slot } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  /** Step size; Keras's default 1e-3. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first-moment estimate; default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate; default 0.999. */
  beta2?: number;
  /** Added to the denominator for stability; Keras's default 1e-7 (not PyTorch's 1e-8). */
  epsilon?: number;
}

/**
 * Adam's update, shared by `Adam` and `AdamW`, which differ in name and default weight decay.
 *
 * A float32 parameter's moments live in the kernels' memory (resident
 * buffers) and every float32 parameter is updated in one kernel call: for the
 * dense autoencoder's four parameters, 0.125 -> 0.089 ms a step. Its weights
 * stay there too (`Tensor.updatableIn`), where the layers' kernels read them,
 * so a training step copies no weights at all (AdamW's decay runs in the
 * update's own pass); inside `fit` no gradient leaves that memory either.
 * Float64 moments are plain arrays.
 */
export abstract class AdamBase extends BaseOptimizer<Slot> {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The kernels holding the resident moments: the update runs there even if `setKernels` swaps them later. */
  private residentKernels: Kernels | null = null;
  /** A step's resident gradients go straight into adamMany, where the moments already are. */
  protected override readonly takesResidentGradients = true;
  /** AdamW's decay runs in the update's own pass, so the weights never leave the kernels' memory for it. */
  protected override readonly appliesWeightDecay = true;

  protected constructor(name: string, options: AdamOptions) {
    super(name, options, 1e-3, (p) => this.newMoment(p));
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    checkUnitInterval(name, 'beta1', this.beta1);
    checkUnitInterval(name, 'beta2', this.beta2);
    checkNonNegative(name, 'epsilon', this.epsilon);
  }

  protected slotNames(): readonly string[] {
    return ['momentum', 'velocity'];
  }

  private newMoment(p: Tensor): Slot {
    return p.dtype === 'float32' ? this.kernels().residentBuffer(p.size) : plainSlot(p);
  }

  /** The kernels that hold the moments and run the update: the active ones when the first float32 parameter arrived. */
  private kernels(): Kernels {
    return (this.residentKernels ??= kernelsFor('float32'));
  }

  /** A float32 parameter's weights are updated where its moments are, and stay there. */
  protected override weightsOf(p: Tensor): Storage {
    return p.dtype === 'float32' ? p.updatableIn(this.kernels()) : p.values;
  }

  /** The bias-corrected step size of update number `step` (Keras folds the correction into it). */
  private alpha(lr: number, step: number): number {
    return (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
  }

  protected update(w: FloatArray, g: Gradient, slots: Record<string, Slot>, lr: number, step: number): void {
    this.updateAll([{ w, g, slots }], lr, step);
  }

  protected override updateAll(live: readonly LiveParameter<Slot>[], lr: number, step: number): void {
    const { beta1, beta2, epsilon } = this;
    const alpha = this.alpha(lr, step);
    // Decoupled weight decay, w -= w * weightDecay * lr before the update (as Keras), inside the same kernel pass.
    const decay = (this.weightDecay ?? 0) * lr;
    const resident: AdamUpdate[] = [];
    for (const { w, g, slots } of live) {
      const { momentum: m, velocity: v } = slots;
      // A clipped gradient arrives in float64 scratch and is brought to the parameter's precision.
      const Precision = ArrayBuffer.isView(w) && !(w instanceof Float32Array) ? Float64Array : Float32Array;
      const host = (values: ArrayLike<number>) => (values instanceof Precision ? values : Precision.from(values));
      if (ArrayBuffer.isView(m) && ArrayBuffer.isView(v) && ArrayBuffer.isView(w)) {
        kernelsFor(dtypeOf(w)).adam(w.length, w, host(isResidentBuffer(g) ? g.read() : g), m, v, alpha, beta1, beta2, epsilon, decay);
      } else if (!ArrayBuffer.isView(m) && !ArrayBuffer.isView(v)) {
        resident.push({ w: w as Float32Array | ResidentBuffer, g: isResidentBuffer(g) ? g : (host(g) as Float32Array), m, v });
      } else {
        throw new Error(`${this.name}: a parameter's weights and moments are held in different places`);
      }
    }
    if (resident.length > 0) this.kernels().adamMany(resident, alpha, beta1, beta2, epsilon, decay);
  }
}

/**
 * Adam (Kingma and Ba, 2015) in the form Keras implements:
 * `α_t = lr √(1-β2^t) / (1-β1^t)`, `m ← m + (g-m)(1-β1)`, `v ← v + (g²-v)(1-β2)`,
 * `θ ← θ - α_t m / (√v + ε)`. The bias correction is folded into α_t, so ε is
 * not bias-corrected: this matches Keras's trajectory, not PyTorch's.
 */
export class Adam extends AdamBase {
  constructor(options: AdamOptions = {}) {
    super('Adam', options);
  }
}

/**
 * Adam with Keras's defaults unless overridden.
 *
 * @example
 * const opt = adam({ learningRate: 1e-3 });
 * opt.step(params);
 */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options);
}

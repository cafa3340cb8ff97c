import { checkConvArgs, checkFused, checkNotFreed, convLayerSizes, checkGemmArgs, checkResidentRead, checkResidentWrite, type ConvGeometry, type Operand, type ResidentBuffer, type FloatArray, type FusedActivation, type Kernels, type KernelTier, type UpSamplingGeometry } from './kernels.js';
import { relaxedSimdWasmBase64 } from './generated/relaxed-simd.js';
import { simd128WasmBase64 } from './generated/simd128.js';

/** What the AssemblyScript module exports; pointers are byte offsets into its memory. */
interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  gemmScratchFloats(m: number, n: number, k: number): number;
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
    scratch: number,
  ): void;
  convScratchFloats(mode: number, rows: number, kLen: number, f: number): number;
  conv(
    mode: number,
    n: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number,
    oh: number, ow: number, padTop: number, padLeft: number, f: number,
    x: number, filter: number, y: number, chunk: number, scratch: number,
  ): void;
  winogradApplies(mode: number, c: number, f: number, kh: number, kw: number, sh: number, sw: number): number;
  winogradTiles(mode: number, c: number, f: number): number;
  winogradScratchFloats(mode: number, c: number, f: number, tiles: number): number;
  winograd(
    mode: number,
    n: number, h: number, w: number, c: number, oh: number, ow: number, padTop: number, padLeft: number, f: number,
    x: number, filter: number, y: number, tiles: number, scratch: number,
  ): void;
  biasActivation(act: number, rows: number, cols: number, x: number, bias: number, y: number): void;
  biasActivationGrad(act: number, rows: number, cols: number, y: number, dy: number, dx: number, dBias: number): void;
  squaredErrorSum(n: number, p: number, t: number, scale: number, dp: number): number;
  squaredErrorGrad(n: number, p: number, t: number, scale: number, dp: number): void;
  binaryCrossentropySum(n: number, p: number, t: number, epsilon: number, scale: number, dp: number): number;
  adam(n: number, w: number, g: number, m: number, v: number, alpha: number, beta1: number, beta2: number, epsilon: number, decay: number): void;
  maxPool(
    n: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number,
    oh: number, ow: number, padTop: number, padLeft: number, x: number, y: number, argmax: number,
  ): void;
  maxPoolBackprop(count: number, xSize: number, dy: number, argmax: number, dx: number): number;
  upSample(n: number, h: number, w: number, c: number, fy: number, fx: number, x: number, y: number, backward: number): void;
}

/**
 * A profiling clock over the gemm arithmetic alone (inside WebAssembly, copies
 * excluded), including the gemms inside fused kernels such as denseForward:
 * set `enabled`, run, read `ms`. Off by default; it costs one check per gemm.
 */
export const gemmClock = { enabled: false, ms: 0 };

/** Activation codes of assembly/fused.ts. */
const ACTIVATION_CODE: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2 };

/** The three convolution kernels, as `conv`'s mode argument. */
const enum ConvMode {
  Forward = 0,
  BackpropInput = 1,
  BackpropFilter = 2,
}

/**
 * Output positions per im2col chunk (see assembly/conv.ts for the measurement),
 * tiles per Winograd chunk (assembly/winograd.ts; 0 lets it choose), and floats
 * of input and output per slice of images (streamSlice).
 * Internal and mutable only so the tuning script and the kernel law can vary them.
 */
export const convTuning = { rowsForward: 0, rowsBackpropInput: 0, rowsBackpropFilter: 0, targetFloats: 0, winogradTiles: 0, streamFloats: 0 };
convTuning.targetFloats = 64 * 1024;
// 40 images of the seed's 28x28 1 -> 32 layer (4 MB).
convTuning.streamFloats = 1 << 20;

/** Rows per chunk: as many as keep the chunk's im2col block near targetFloats, in whole 4-row panels. */
function chunkRows(mode: ConvMode, total: number, kLen: number): number {
  const fixed = [convTuning.rowsForward, convTuning.rowsBackpropInput, convTuning.rowsBackpropFilter][mode];
  const rows = fixed > 0 ? fixed : Math.max(16, Math.floor(convTuning.targetFloats / kLen / 16) * 16);
  return Math.min(rows, total);
}

/**
 * Images per slice of runConv. One input channel gives the direct kernels of
 * assembly/conv.ts little arithmetic per byte moved, so the batch goes through
 * WebAssembly memory a slice at a time: copied in, computed and copied out
 * while it is still in cache. The seed's 28x28 1 -> 32 layer, batch 128
 * (best of 25 with copies): input gradient 3.06 ms whole, 2.35 ms in slices of
 * 32 images (2.43 of 8, 2.39 of 2); forward 3.18 -> 2.84 (32). Layers with more
 * channels gained nothing (Winograd repeats its filter transform for each
 * slice: 14x14 32 -> 64 15.1 -> 16.1 ms; im2col at stride 2 within noise),
 * and the filter gradient sums over the batch, so they run whole.
 */
function streamSlice(mode: ConvMode, g: ConvGeometry, floatsPerImage: number): number {
  if (mode === ConvMode.BackpropFilter || g.c !== 1) return g.n;
  return Math.max(1, Math.min(g.n, Math.floor(convTuning.streamFloats / floatsPerImage)));
}

/** Elements of a convolution's input, filter and output. */
function convSizes(g: ConvGeometry): [number, number, number] {
  return [g.n * g.h * g.w * g.c, g.kh * g.kw * g.c * g.f, g.n * g.oh * g.ow * g.f];
}

const PAGE_BYTES = 65536;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The module's memory past its static data: resident blocks at the bottom
 * (buffers that live between calls, such as an optimizer's moments), then
 * scratch, a bump allocator reset after every kernel call, so nothing else is
 * retained between calls and memory only grows to the resident blocks plus
 * the largest single call. The Float32Array view is rebuilt after
 * `memory.grow`, which detaches the old one.
 */
class ScratchArena {
  /** Where scratch begins: the end of the resident blocks. */
  private base: number;
  private top: number;
  private view: Float32Array;
  /** Freed resident blocks below `base`, reused first-fit. */
  private holes: { ptr: number; bytes: number }[] = [];

  constructor(private readonly memory: WebAssembly.Memory, base: number) {
    this.base = base;
    this.top = base;
    this.view = new Float32Array(memory.buffer);
  }

  /** Reserves room for `count` floats, 16-byte aligned for v128 loads; returns the byte offset. */
  alloc(count: number): number {
    const ptr = this.top;
    this.top = (ptr + count * 4 + 15) & ~15;
    this.ensure(this.top);
    return ptr;
  }

  /** The top of scratch now: release(mark) frees everything allocated after it. */
  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  private ensure(end: number): void {
    const needed = end - this.memory.buffer.byteLength;
    if (needed > 0) {
      this.memory.grow(Math.ceil(needed / PAGE_BYTES));
      this.view = new Float32Array(this.memory.buffer);
    }
  }

  /** Copies `data` into fresh scratch memory; returns its byte offset. */
  put(data: Float32Array, count: number): number {
    const ptr = this.alloc(count);
    this.view.set(count === data.length ? data : data.subarray(0, count), ptr >> 2);
    return ptr;
  }

  /** Copies `count` floats at `ptr` out into the start of `target`. */
  get(ptr: number, count: number, target: Float32Array): void {
    target.set(this.view.subarray(ptr >> 2, (ptr >> 2) + count));
  }

  /** Copies `values` to `ptr` (into a resident block). */
  set(ptr: number, values: ArrayLike<number>): void {
    this.view.set(values, ptr >> 2);
  }

  /** Copies the first `count` integers of `data` into fresh scratch memory; returns its byte offset. */
  putInt32(data: Int32Array, count: number): number {
    const ptr = this.alloc(count);
    new Int32Array(this.memory.buffer, ptr, count).set(count === data.length ? data : data.subarray(0, count));
    return ptr;
  }

  /** Copies `count` integers at `ptr` out into the start of `target`. */
  getInt32(ptr: number, count: number, target: Int32Array): void {
    target.set(new Int32Array(this.memory.buffer, ptr, count));
  }

  reset(): void {
    this.top = this.base;
  }

  /** A resident block of `count` floats, zero-filled unless told not to (only between kernel calls); returns its byte offset and size. */
  allocResident(count: number, zeroed: boolean): { ptr: number; bytes: number } {
    if (this.top !== this.base) throw new Error('kernels-wasm: a resident buffer was requested during a kernel call');
    const bytes = Math.max(16, (count * 4 + 15) & ~15);
    const hole = this.holes.findIndex((h) => h.bytes >= bytes);
    let ptr: number;
    if (hole >= 0) {
      ptr = this.holes[hole].ptr;
      if (this.holes[hole].bytes === bytes) this.holes.splice(hole, 1);
      else this.holes[hole] = { ptr: ptr + bytes, bytes: this.holes[hole].bytes - bytes };
    } else {
      ptr = this.base;
      this.ensure(ptr + bytes);
      this.base = this.top = ptr + bytes;
    }
    if (zeroed) this.view.fill(0, ptr >> 2, (ptr + bytes) >> 2);
    return { ptr, bytes };
  }

  /** Gives a resident block back: a hole to reuse, or, at the top, room for scratch. */
  freeResident(block: { ptr: number; bytes: number }): void {
    this.holes.push({ ...block });
    this.holes.sort((a, b) => a.ptr - b.ptr);
    // Merge neighbours, then hand a hole that ends at the scratch base back to scratch.
    const merged: { ptr: number; bytes: number }[] = [];
    for (const h of this.holes) {
      const last = merged[merged.length - 1];
      if (last !== undefined && last.ptr + last.bytes === h.ptr) last.bytes += h.bytes;
      else merged.push(h);
    }
    const last = merged[merged.length - 1];
    if (last.ptr + last.bytes === this.base) {
      merged.pop();
      // Between calls top equals base; a finalizer never runs inside a (synchronous) call.
      this.base = this.top = last.ptr;
    }
    this.holes = merged;
  }
}

/** A resident buffer of the WebAssembly tiers: a block of the arena's resident memory. */
class WasmResidentBuffer implements ResidentBuffer {
  freed = false;

  constructor(
    readonly arena: ScratchArena,
    private readonly block: { ptr: number; bytes: number },
    readonly length: number,
    /** Hands the block back to the arena, at most once. */
    private readonly release: (buffer: WasmResidentBuffer, block: { ptr: number; bytes: number }) => void,
  ) {}

  /** The block's byte offset in the module's memory. */
  get ptr(): number {
    checkNotFreed(this, 'use');
    return this.block.ptr;
  }

  read(into?: Float32Array): Float32Array {
    checkResidentRead(this.length, into);
    const out = into ?? new Float32Array(this.length);
    this.arena.get(this.ptr, this.length, out);
    return out;
  }

  write(values: ArrayLike<number>, offset?: number): void {
    checkResidentWrite(this.length, values, offset);
    this.arena.set(this.ptr + (offset ?? 0) * 4, values);
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.release(this, this.block);
  }
}

function requireFloat32(op: string, name: string, arr: FloatArray): Float32Array {
  if (!(arr instanceof Float32Array)) {
    throw new TypeError(`${op}: the WebAssembly kernels take Float32Array; ${name} is a ${arr.constructor.name}`);
  }
  return arr;
}

/** Instantiates one compiled tier synchronously (the modules are small enough for any host). */
function instantiate(bytes: Uint8Array<ArrayBuffer>): KernelExports {
  const module = new WebAssembly.Module(bytes);
  const imports = {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`kernels-wasm: the WebAssembly kernel aborted at ${line}:${column}`);
      },
    },
  };
  return new WebAssembly.Instance(module, imports).exports as unknown as KernelExports;
}

function createKernels(exports: KernelExports, tier: KernelTier): Kernels {
  const arena = new ScratchArena(exports.memory, (exports.heapBase() + 15) & ~15);
  // A resident buffer's block goes back to the arena when the buffer is collected.
  const residentBlocks = new FinalizationRegistry<{ ptr: number; bytes: number }>((block) => arena.freeResident(block));
  const releaseResident = (buffer: WasmResidentBuffer, block: { ptr: number; bytes: number }) => {
    residentBlocks.unregister(buffer);
    arena.freeResident(block);
  };
  /** The block behind a resident buffer of this arena (one of another tier or instance would point elsewhere). */
  const residentPtr = (op: string, name: string, buffer: ResidentBuffer): number => {
    if (!(buffer instanceof WasmResidentBuffer) || buffer.arena !== arena) {
      throw new TypeError(`${op}: ${name} is not a resident buffer of these kernels (${tier})`);
    }
    return buffer.ptr;
  };
  /** Where a kernel reads an operand: a resident buffer where it lives, a host array copied into scratch. */
  const input = (op: string, name: string, x: Operand, count: number): number =>
    ArrayBuffer.isView(x) ? arena.put(requireFloat32(op, name, x), count) : residentPtr(op, name, x);
  /** Where a kernel writes an operand: a resident buffer in place, a host array in scratch until `deliver`. */
  const output = (op: string, name: string, y: Operand, count: number): number =>
    ArrayBuffer.isView(y) ? (requireFloat32(op, name, y), arena.alloc(count)) : residentPtr(op, name, y);
  /**
   * Where a kernel may write a result computed element by element from input
   * `x` (read at `px`): over x's scratch copy when x is a host array, else
   * fresh scratch, since a resident x is the caller's and stays as it was.
   */
  const overwritable = (x: Operand, px: number, count: number): number => (ArrayBuffer.isView(x) ? px : arena.alloc(count));
  /** Copies an output written in scratch out to its host array (a resident one is already in place). */
  const deliver = (y: Operand, ptr: number, count: number): void => {
    if (ArrayBuffer.isView(y)) arena.get(ptr, count, y as Float32Array);
  };
  const kernels: Kernels = {
    tier,
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c) {
      checkGemmArgs(m, n, k, a, b, c, transA, transB);
      const a32 = requireFloat32('gemm', 'A', a);
      const b32 = requireFloat32('gemm', 'B', b);
      const c32 = requireFloat32('gemm', 'C', c);
      if (m === 0 || n === 0) return;
      try {
        const pa = arena.put(a32, m * k);
        const pb = arena.put(b32, k * n);
        const pc = beta === 0 ? arena.alloc(m * n) : arena.put(c32, m * n);
        runGemm(transA, transB, m, n, k, alpha, pa, pb, beta, pc);
        arena.get(pc, m * n, c32);
      } finally {
        arena.reset();
      }
    },
    conv2d(g, x, filter, y) {
      checkConvArgs('conv2d', g, x, filter, y);
      runConv(ConvMode.Forward, g, x, filter, y);
    },
    conv2dBackpropInput(g, dy, filter, dx) {
      checkConvArgs('conv2dBackpropInput', g, dx, filter, dy);
      runConv(ConvMode.BackpropInput, g, dx, filter, dy);
    },
    conv2dBackpropFilter(g, x, dy, dFilter) {
      checkConvArgs('conv2dBackpropFilter', g, x, dFilter, dy);
      runConv(ConvMode.BackpropFilter, g, x, dFilter, dy);
    },
    biasActivation(act, rows, cols, x, bias, y) {
      checkFused.biasActivation(act, rows, cols, x, bias, y);
      const op = 'biasActivation';
      const size = rows * cols;
      try {
        const px = arena.put(requireFloat32(op, 'x', x), size);
        const pb = bias === null ? 0 : arena.put(requireFloat32(op, 'bias', bias), cols);
        const y32 = requireFloat32(op, 'y', y);
        const py = arena.alloc(size);
        exports.biasActivation(ACTIVATION_CODE[act], rows, cols, px, pb, py);
        arena.get(py, size, y32);
      } finally {
        arena.reset();
      }
    },
    biasActivationGrad(act, rows, cols, y, dy, dx, dBias) {
      checkFused.biasActivationGrad(act, rows, cols, y, dy, dx, dBias);
      const op = 'biasActivationGrad';
      const size = rows * cols;
      try {
        const py = arena.put(requireFloat32(op, 'y', y), size);
        const pdy = arena.put(requireFloat32(op, 'dy', dy), size);
        const dx32 = requireFloat32(op, 'dx', dx);
        const db32 = dBias === null ? null : requireFloat32(op, 'dBias', dBias);
        const pdx = arena.alloc(size);
        const pdb = db32 === null ? 0 : arena.alloc(cols);
        exports.biasActivationGrad(ACTIVATION_CODE[act], rows, cols, py, pdy, pdx, pdb);
        arena.get(pdx, size, dx32);
        if (db32 !== null) arena.get(pdb, cols, db32);
      } finally {
        arena.reset();
      }
    },
    squaredErrorSum(n, p, t, scale, dp) {
      const op = 'squaredErrorSum';
      checkFused.squaredError(op, n, p, t, dp);
      try {
        const pp = input(op, 'p', p, n);
        const pt = input(op, 't', t, n);
        const pdp = dp === null ? 0 : output(op, 'dp', dp, n);
        const total = exports.squaredErrorSum(n, pp, pt, scale, pdp);
        if (dp !== null) deliver(dp, pdp, n);
        return total;
      } finally {
        arena.reset();
      }
    },
    binaryCrossentropySum(n, p, t, epsilon, scale, dp) {
      const op = 'binaryCrossentropySum';
      checkFused.squaredError(op, n, p, t, dp);
      try {
        const pp = input(op, 'p', p, n);
        const pt = input(op, 't', t, n);
        const pdp = dp === null ? 0 : output(op, 'dp', dp, n);
        const total = exports.binaryCrossentropySum(n, pp, pt, epsilon, scale, pdp);
        if (dp !== null) deliver(dp, pdp, n);
        return total;
      } finally {
        arena.reset();
      }
    },
    squaredErrorGrad(n, p, t, scale, dp) {
      checkFused.squaredError('squaredErrorGrad', n, p, t, dp);
      const op = 'squaredErrorGrad';
      try {
        const pp = arena.put(requireFloat32(op, 'p', p), n);
        const pt = arena.put(requireFloat32(op, 't', t), n);
        const dp32 = requireFloat32(op, 'dp', dp);
        const pdp = arena.alloc(n);
        exports.squaredErrorGrad(n, pp, pt, scale, pdp);
        arena.get(pdp, n, dp32);
      } finally {
        arena.reset();
      }
    },
    adam(n, w, g, m, v, alpha, beta1, beta2, epsilon, decay = 0) {
      checkFused.adam(n, w, g, m, v);
      const [w32, g32, m32, v32] = (['w', 'g', 'm', 'v'] as const).map((name, i) => requireFloat32('adam', name, [w, g, m, v][i]));
      try {
        const pw = arena.put(w32, n);
        const pg = arena.put(g32, n);
        const pm = arena.put(m32, n);
        const pv = arena.put(v32, n);
        exports.adam(n, pw, pg, pm, pv, alpha, beta1, beta2, epsilon, decay);
        arena.get(pw, n, w32);
        arena.get(pm, n, m32);
        arena.get(pv, n, v32);
      } finally {
        arena.reset();
      }
    },
    residentBuffer(length, contents = 'zeros') {
      checkFused.residentLength(length);
      const block = arena.allocResident(length, contents === 'zeros');
      const buffer = new WasmResidentBuffer(arena, block, length, releaseResident);
      residentBlocks.register(buffer, block, buffer);
      return buffer;
    },
    adamMany(updates, alpha, beta1, beta2, epsilon, decay = 0) {
      checkFused.adamMany(updates);
      const moments = updates.map(({ m, v }, i) => [residentPtr(`adamMany: update ${i}`, 'm', m), residentPtr(`adamMany: update ${i}`, 'v', v)]);
      try {
        // Host weights and gradients in, one pass each, host weights out: the moments and every resident operand stay.
        const operands = updates.map(({ w, g }, i) => [input(`adamMany: update ${i}`, 'w', w, w.length), input(`adamMany: update ${i}`, 'g', g, w.length)]);
        updates.forEach(({ w }, i) => exports.adam(w.length, operands[i][0], operands[i][1], moments[i][0], moments[i][1], alpha, beta1, beta2, epsilon, decay));
        updates.forEach(({ w }, i) => deliver(w, operands[i][0], w.length));
      } finally {
        arena.reset();
      }
    },
    denseForward(m, n, k, x, w, bias, act, y) {
      checkFused.denseForward(m, n, k, x, w, bias, act, y);
      const op = 'denseForward';
      try {
        const px = input(op, 'x', x, m * k);
        const pw = input(op, 'w', w, k * n);
        const pb = bias === null ? 0 : input(op, 'bias', bias, n);
        const py = output(op, 'y', y, m * n);
        runGemm(false, false, m, n, k, 1, px, pw, 0, py);
        // In place on gemm's output: the kernel reads each element before writing it.
        exports.biasActivation(ACTIVATION_CODE[act], m, n, py, pb, py);
        deliver(y, py, m * n);
      } finally {
        arena.reset();
      }
    },
    denseBackward(m, n, k, x, w, y, dy, act, dx, dW, dBias) {
      checkFused.denseBackward(m, n, k, x, w, y, dy, act, dx, dW, dBias);
      const op = 'denseBackward';
      try {
        const pdx = dx === null ? 0 : output(op, 'dx', dx, m * k);
        const pdw = dW === null ? 0 : output(op, 'dW', dW, k * n);
        const pdb = dBias === null ? 0 : output(op, 'dBias', dBias, n);
        const py = input(op, 'y', y, m * n);
        const pdy = input(op, 'dy', dy, m * n);
        // biasActivationGrad reads each element of dy before writing dz there.
        const pdz = overwritable(dy, pdy, m * n);
        exports.biasActivationGrad(ACTIVATION_CODE[act], m, n, py, pdy, pdz, pdb);
        if (dBias !== null) deliver(dBias, pdb, n);
        if (dW !== null) {
          runGemm(true, false, k, n, m, 1, input(op, 'x', x, m * k), pdz, 0, pdw);
          deliver(dW, pdw, k * n);
        }
        if (dx !== null) {
          runGemm(false, true, m, k, n, 1, pdz, input(op, 'w', w, k * n), 0, pdx);
          deliver(dx, pdx, m * k);
        }
      } finally {
        arena.reset();
      }
    },
    convForward(g, transposed, x, filter, bias, act, y) {
      checkFused.convForward(g, transposed, x, filter, bias, act, y);
      const op = 'convForward';
      const { inSize, outSize, rows, channels } = convLayerSizes(g, transposed);
      const [, fSize] = convSizes(g);
      try {
        const pin = input(op, 'x', x, inSize);
        const pf = input(op, 'filter', filter, fSize);
        const pb = bias === null ? 0 : input(op, 'bias', bias, channels);
        const pout = output(op, 'y', y, outSize);
        layerConv(ConvMode.Forward, g, transposed, pin, pf, pout);
        // In place on the convolution's output, as denseForward does on gemm's.
        exports.biasActivation(ACTIVATION_CODE[act], rows, channels, pout, pb, pout);
        deliver(y, pout, outSize);
      } finally {
        arena.reset();
      }
    },
    convBackward(g, transposed, x, filter, y, dy, act, dx, dFilter, dBias) {
      checkFused.convBackward(g, transposed, x, filter, y, dy, act, dx, dFilter, dBias);
      const op = 'convBackward';
      const { inSize, outSize, rows, channels } = convLayerSizes(g, transposed);
      const [, fSize] = convSizes(g);
      try {
        const pout = input(op, 'y', y, outSize);
        const pdy = input(op, 'dy', dy, outSize);
        // biasActivationGrad reads each element of dy before writing dz there.
        const pdz = overwritable(dy, pdy, outSize);
        const pdb = dBias === null ? 0 : output(op, 'dBias', dBias, channels);
        exports.biasActivationGrad(ACTIVATION_CODE[act], rows, channels, pout, pdy, pdz, pdb);
        if (dBias !== null) deliver(dBias, pdb, channels);
        if (dFilter !== null) {
          const pin = input(op, 'x', x, inSize);
          const pdf = output(op, 'dFilter', dFilter, fSize);
          layerConv(ConvMode.BackpropFilter, g, transposed, pin, pdf, pdz);
          deliver(dFilter, pdf, fSize);
        }
        if (dx !== null) {
          const pf = input(op, 'filter', filter, fSize);
          const pdx = output(op, 'dx', dx, inSize);
          layerConv(ConvMode.BackpropInput, g, transposed, pdx, pf, pdz);
          deliver(dx, pdx, inSize);
        }
      } finally {
        arena.reset();
      }
    },
    maxPool2d(g, x, y, argmax) {
      checkFused.pool('maxPool2d', g, x, y, argmax);
      const xSize = g.n * g.h * g.w * g.c;
      const ySize = g.n * g.oh * g.ow * g.c;
      try {
        const px = input('maxPool2d', 'x', x, xSize);
        const py = output('maxPool2d', 'y', y, ySize);
        const pa = arena.alloc(ySize);
        exports.maxPool(g.n, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.oh, g.ow, g.padTop, g.padLeft, px, py, pa);
        deliver(y, py, ySize);
        arena.getInt32(pa, ySize, argmax);
      } finally {
        arena.reset();
      }
    },
    maxPool2dBackprop(g, dy, argmax, dx) {
      checkFused.pool('maxPool2dBackprop', g, dx, dy, argmax);
      const xSize = g.n * g.h * g.w * g.c;
      const ySize = g.n * g.oh * g.ow * g.c;
      try {
        const pdy = input('maxPool2dBackprop', 'dy', dy, ySize);
        const pa = arena.putInt32(argmax, ySize);
        const pdx = output('maxPool2dBackprop', 'dx', dx, xSize);
        // The kernel skips an index past x (it never writes outside dx) and reports the first.
        const bad = exports.maxPoolBackprop(ySize, xSize, pdy, pa, pdx);
        if (bad >= 0) throw new RangeError(`maxPool2dBackprop: argmax[${bad}] = ${argmax[bad]} is outside the input's ${xSize} elements`);
        deliver(dx, pdx, xSize);
      } finally {
        arena.reset();
      }
    },
    upSampling2d(g, x, y) {
      checkFused.upSampling('upSampling2d', g, x, y);
      runUpSampling(g, requireFloat32('upSampling2d', 'x', x), requireFloat32('upSampling2d', 'y', y), false);
    },
    upSampling2dBackprop(g, dy, dx) {
      checkFused.upSampling('upSampling2dBackprop', g, dx, dy);
      runUpSampling(g, requireFloat32('upSampling2dBackprop', 'dx', dx), requireFloat32('upSampling2dBackprop', 'dy', dy), true);
    },
  };
  return kernels;

  /** One gemm over operands already in this memory (its scratch from the arena), clocked when gemmClock is on. */
  function runGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, pa: number, pb: number, beta: number, pc: number): void {
    if (m === 0 || n === 0) return;
    const scratch = arena.alloc(exports.gemmScratchFloats(m, n, k));
    const start = gemmClock.enabled ? performance.now() : 0;
    exports.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pa, pb, beta, pc, scratch);
    if (gemmClock.enabled) gemmClock.ms += performance.now() - start;
  }

  /** Nearest upsampling (x small, y big) or its backward (y read, x written). */
  function runUpSampling(g: UpSamplingGeometry, x: Float32Array, y: Float32Array, backward: boolean): void {
    const small = g.n * g.h * g.w * g.c;
    const big = small * g.fy * g.fx;
    try {
      const px = backward ? arena.alloc(small) : arena.put(x, small);
      const py = backward ? arena.put(y, big) : arena.alloc(big);
      exports.upSample(g.n, g.h, g.w, g.c, g.fy, g.fx, px, py, backward ? 1 : 0);
      if (backward) arena.get(px, small, x);
      else arena.get(py, big, y);
    } finally {
      arena.reset();
    }
  }

  /**
   * Copies the operands in, runs one conv mode, copies its result out; `x`,
   * `filter`, `y` as in checkConvArgs. Forward and input gradient take the
   * batch in slices of images where streamSlice says so.
   */
  function runConv(mode: ConvMode, g: ConvGeometry, x: FloatArray, filter: FloatArray, y: FloatArray): void {
    const op = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter'][mode];
    const x32 = requireFloat32(op, mode === ConvMode.BackpropInput ? 'dx' : 'x', x);
    const f32 = requireFloat32(op, mode === ConvMode.BackpropFilter ? 'dFilter' : 'filter', filter);
    const y32 = requireFloat32(op, mode === ConvMode.Forward ? 'y' : 'dy', y);
    const [xSize, fSize, ySize] = convSizes(g);
    const perX = xSize / g.n;
    const perY = ySize / g.n;
    const slice = streamSlice(mode, g, perX + perY);
    try {
      const pf = mode === ConvMode.BackpropFilter ? arena.alloc(fSize) : arena.put(f32, fSize);
      const px = arena.alloc(slice * perX);
      const py = arena.alloc(slice * perY);
      const scratch = arena.mark();
      for (let b = 0; b < g.n; b += slice) {
        const n = Math.min(slice, g.n - b);
        const xs = x32.subarray(b * perX, (b + n) * perX);
        const ys = y32.subarray(b * perY, (b + n) * perY);
        if (mode !== ConvMode.BackpropInput) arena.set(px, xs);
        if (mode !== ConvMode.Forward) arena.set(py, ys);
        convAt(mode, n === g.n ? g : { ...g, n }, px, pf, py);
        arena.release(scratch);
        if (mode === ConvMode.Forward) arena.get(py, n * perY, ys);
        else if (mode === ConvMode.BackpropInput) arena.get(px, n * perX, xs);
      }
      if (mode === ConvMode.BackpropFilter) arena.get(pf, fSize, f32);
    } finally {
      arena.reset();
    }
  }

  /**
   * One convolution kernel over buffers already in this memory (x-, filter- and
   * y-shaped, as conv's modes read and write them), by Winograd where it applies
   * and im2col plus gemm (or direct) otherwise, its scratch from the arena.
   */
  /**
   * Kernel `mode` of a conv2d layer, or of a Conv2DTranspose layer with the
   * same geometry, over buffers in this memory: `pin` is the layer's input (or
   * its gradient), `pout` its output (or its gradient). A transposed layer is
   * the adjoint: its input is the convolution's y, and its forward and input
   * gradient are the convolution's input gradient and forward.
   */
  function layerConv(mode: ConvMode, g: ConvGeometry, transposed: boolean, pin: number, pf: number, pout: number): void {
    if (!transposed) convAt(mode, g, pin, pf, pout);
    else if (mode === ConvMode.BackpropFilter) convAt(mode, g, pout, pf, pin);
    else convAt(mode === ConvMode.Forward ? ConvMode.BackpropInput : ConvMode.Forward, g, pout, pf, pin);
  }

  function convAt(mode: ConvMode, g: ConvGeometry, px: number, pf: number, py: number): void {
    if (exports.winogradApplies(mode, g.c, g.f, g.kh, g.kw, g.sh, g.sw)) {
      const tiles = convTuning.winogradTiles > 0 ? convTuning.winogradTiles : exports.winogradTiles(mode, g.c, g.f);
      const scratch = arena.alloc(exports.winogradScratchFloats(mode, g.c, g.f, tiles));
      exports.winograd(mode, g.n, g.h, g.w, g.c, g.oh, g.ow, g.padTop, g.padLeft, g.f, px, pf, py, tiles, scratch);
    } else {
      const kLen = g.kh * g.kw * g.c;
      const chunk = chunkRows(mode, g.n * g.oh * g.ow, kLen);
      const scratch = arena.alloc(exports.convScratchFloats(mode, chunk, kLen, g.f));
      exports.conv(mode, g.n, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.oh, g.ow, g.padTop, g.padLeft, g.f, px, pf, py, chunk, scratch);
    }
  }

}

/** The compiled tiers, fastest first. */
const TIERS: readonly { tier: Exclude<KernelTier, 'reference'>; base64: string }[] = [
  { tier: 'relaxed-simd', base64: relaxedSimdWasmBase64 },
  { tier: 'simd128', base64: simd128WasmBase64 },
];

interface LoadedTier {
  kernels: Kernels;
  exports: KernelExports;
}

const loaded = new Map<KernelTier, LoadedTier | null>();

/** Instantiates one tier, once; `null` where this host does not validate it. */
function loadTier(tier: Exclude<KernelTier, 'reference'>): LoadedTier | null {
  let entry = loaded.get(tier);
  if (entry !== undefined) return entry;
  entry = null;
  if (typeof WebAssembly === 'object') {
    const bytes = decodeBase64(TIERS.find((t) => t.tier === tier)!.base64);
    if (WebAssembly.validate(bytes)) {
      const exports = instantiate(bytes);
      entry = { kernels: createKernels(exports, tier), exports };
    }
  }
  loaded.set(tier, entry);
  return entry;
}

/** The best tier this host validates, chosen on first use. */
function best(): LoadedTier | null {
  for (const { tier } of TIERS) {
    // validate() is the feature test: relaxed SIMD is on by default from Node 22
    // and in current Chrome, behind --experimental-wasm-relaxed-simd in Node 20.
    const entry = loadTier(tier);
    if (entry) return entry;
  }
  return null;
}

/**
 * Bytes of WebAssembly memory the active kernels hold, or 0 where WebAssembly
 * SIMD is missing. Internal (not re-exported from the package): the test that
 * millions of calls never grow memory reads it.
 */
export function wasmMemoryBytes(): number {
  return best()?.exports.memory.buffer.byteLength ?? 0;
}

/**
 * One named WebAssembly tier, or `null` where this host does not validate it.
 * Internal (not re-exported): the kernel law runs on every tier the host has,
 * not only the one selected.
 */
export function wasmKernelsOfTier(tier: Exclude<KernelTier, 'reference'>): Kernels | null {
  return loadTier(tier)?.kernels ?? null;
}

/**
 * Whether the WebAssembly kernels run this convolution by Winograd's F(2x2, 3x3)
 * (assembly/winograd.ts) rather than im2col. Internal (not re-exported): the
 * kernel law bounds that path's rounding differently.
 */
export function usesWinograd(kernel: 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter', g: ConvGeometry): boolean {
  const exports = loadTier('simd128')?.exports;
  const mode = kernel === 'conv2d' ? ConvMode.Forward : kernel === 'conv2dBackpropInput' ? ConvMode.BackpropInput : ConvMode.BackpropFilter;
  return exports !== undefined && exports.winogradApplies(mode, g.c, g.f, g.kh, g.kw, g.sh, g.sw) !== 0;
}

/**
 * The fastest WebAssembly kernels this host runs: relaxed SIMD where the engine
 * validates it, else plain SIMD128, else `null`. Compiled once, on first use.
 */
export function wasmKernels(): Kernels | null {
  return best()?.kernels ?? null;
}

import { checkGemmArgs, type FloatArray, type Kernels, type KernelTier } from './kernels.js';
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
}

const PAGE_BYTES = 65536;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Scratch memory inside the module: a bump allocator reset after every kernel
 * call, so nothing is retained between calls and memory only grows to the
 * largest single call. The Float32Array view is rebuilt after `memory.grow`,
 * which detaches the old one.
 */
class ScratchArena {
  private top: number;
  private view: Float32Array;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly base: number,
  ) {
    this.top = base;
    this.view = new Float32Array(memory.buffer);
  }

  /** Reserves room for `count` floats, 16-byte aligned for v128 loads; returns the byte offset. */
  alloc(count: number): number {
    const ptr = this.top;
    this.top = (ptr + count * 4 + 15) & ~15;
    const needed = this.top - this.memory.buffer.byteLength;
    if (needed > 0) {
      this.memory.grow(Math.ceil(needed / PAGE_BYTES));
      this.view = new Float32Array(this.memory.buffer);
    }
    return ptr;
  }

  /** Copies `data` into fresh scratch memory; returns its byte offset. */
  put(data: Float32Array, count: number): number {
    const ptr = this.alloc(count);
    this.view.set(count === data.length ? data : data.subarray(0, count), ptr >> 2);
    return ptr;
  }

  /** Copies `count` floats at `ptr` out into `target`. */
  get(ptr: number, count: number, target: Float32Array): void {
    target.set(this.view.subarray(ptr >> 2, (ptr >> 2) + count));
  }

  reset(): void {
    this.top = this.base;
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
  return {
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
        const scratch = arena.alloc(exports.gemmScratchFloats(m, n, k));
        exports.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pa, pb, beta, pc, scratch);
        arena.get(pc, m * n, c32);
      } finally {
        arena.reset();
      }
    },
  };
}

let cached: Kernels | null | undefined;
let cachedMemory: WebAssembly.Memory | undefined;

/**
 * Bytes of WebAssembly memory the loaded kernels hold, or 0 before they load.
 * Internal (not re-exported from the package): the test that millions of calls
 * never grow memory reads it.
 */
export function wasmMemoryBytes(): number {
  return cachedMemory?.buffer.byteLength ?? 0;
}

/**
 * The WebAssembly SIMD kernels, or `null` where the host cannot run WebAssembly SIMD.
 * Compiled once, on first use.
 */
export function wasmKernels(): Kernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (typeof WebAssembly === 'object') {
    const bytes = decodeBase64(simd128WasmBase64);
    if (WebAssembly.validate(bytes)) {
      const exports = instantiate(bytes);
      cachedMemory = exports.memory;
      cached = createKernels(exports, 'simd128');
    }
  }
  return cached;
}

import { kernelsFor } from '../backend.js';
import { formatShape } from '../shape.js';
import { allocate, Tensor } from '../tensor.js';
import { apply, type OpDef } from './primitive.js';

interface MatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

const matmulDef: OpDef<[Tensor, Tensor], MatmulAttrs> = {
  forward([a, b], { transposeA, transposeB }) {
    if (a.rank !== 2 || b.rank !== 2) {
      throw new RangeError(`matmul: expected two matrices, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    }
    if (a.dtype !== b.dtype) throw new TypeError(`matmul: dtypes ${a.dtype} and ${b.dtype} differ`);
    const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = transposeB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (k !== kb) {
      const describe = (t: Tensor, trans: boolean) => `${formatShape(t.shape)}${trans ? 'ᵀ' : ''}`;
      throw new RangeError(`matmul: inner dimensions differ: ${describe(a, transposeA)} by ${describe(b, transposeB)} (${k} vs ${kb})`);
    }
    const out = allocate(a.dtype, m * n);
    kernelsFor(a.dtype).gemm(transposeA, transposeB, m, n, k, 1, a.values, b.values, 0, out);
    return new Tensor(out, [m, n]);
  },
  // For C = AB: dA = dC Bᵀ and dB = Aᵀ dC. The transposed cases are the same
  // identities with the flags moved, so every gradient is one gemm, never a copy.
  // An input that needs no gradient (a batch of data) gets no gemm at all.
  vjp(dy, [a, b], _out, { transposeA, transposeB }) {
    const [da, db] = !transposeA
      ? !transposeB
        ? [() => matmul(dy, b, false, true), () => matmul(a, dy, true, false)]
        : [() => matmul(dy, b, false, false), () => matmul(dy, a, true, false)]
      : !transposeB
        ? [() => matmul(b, dy, false, true), () => matmul(a, dy, false, false)]
        : [() => matmul(b, dy, true, true), () => matmul(dy, a, true, true)];
    return [a.requiresGrad ? da() : null, b.requiresGrad ? db() : null];
  },
};

export const matmulPrimitives = { matmul: matmulDef };

/**
 * The matrix product `op(a) · op(b)`, where `op` transposes when its flag is set.
 * Runs on the gemm kernel (WebAssembly SIMD for float32).
 *
 * @example
 * matmul(x, kernel); // [batch, in] by [in, out] -> [batch, out]
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return apply('matmul', matmulDef, [a, b], { transposeA, transposeB });
}

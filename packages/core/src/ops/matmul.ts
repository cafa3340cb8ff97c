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
    const batched = a.rank === 3 && b.rank === 3;
    if (!((a.rank === 2 && b.rank === 2) || batched) || (batched && a.shape[0] !== b.shape[0])) {
      throw new RangeError(
        `matmul: expected two matrices or two batches of equal size, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
      );
    }
    if (a.dtype !== b.dtype) throw new TypeError(`matmul: dtypes ${a.dtype} and ${b.dtype} differ`);
    const [ar, ac] = a.shape.slice(-2);
    const [br, bc] = b.shape.slice(-2);
    const [m, k] = transposeA ? [ac, ar] : [ar, ac];
    const [kb, n] = transposeB ? [bc, br] : [br, bc];
    if (k !== kb) {
      const describe = (t: Tensor, trans: boolean) => `${formatShape(t.shape)}${trans ? 'ᵀ' : ''}`;
      throw new RangeError(`matmul: inner dimensions differ: ${describe(a, transposeA)} by ${describe(b, transposeB)} (${k} vs ${kb})`);
    }
    const batch = batched ? a.shape[0] : 1;
    const out = allocate(a.dtype, batch * m * n);
    const kernels = kernelsFor(a.dtype);
    for (let i = 0; i < batch; i++) {
      const av = a.values.subarray(i * m * k, (i + 1) * m * k);
      const bv = b.values.subarray(i * k * n, (i + 1) * k * n);
      kernels.gemm(transposeA, transposeB, m, n, k, 1, av, bv, 0, out.subarray(i * m * n, (i + 1) * m * n));
    }
    return new Tensor(out, batched ? [batch, m, n] : [m, n]);
  },
  // For C = AB: dA = dC Bᵀ and dB = Aᵀ dC (batch by batch for batched products). The transposed cases are the same
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
 * The matrix product `op(a) · op(b)`, where `op` transposes the last two axes
 * when its flag is set; two rank-3 tensors multiply batch by batch.
 * Runs on the gemm kernel (WebAssembly SIMD for float32).
 *
 * @example
 * matmul(x, kernel); // [batch, in] by [in, out] -> [batch, out]
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return apply('matmul', matmulDef, [a, b], { transposeA, transposeB });
}

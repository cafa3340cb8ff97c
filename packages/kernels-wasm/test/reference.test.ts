import { describe, expect, it } from 'vitest';
import { referenceKernels } from '@aekit/kernels-wasm';

describe('referenceKernels.gemm', () => {
  it('multiplies a 2x3 by a 3x2 matrix (hand-computed)', () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6]);
    const b = new Float64Array([7, 8, 9, 10, 11, 12]);
    const c = new Float64Array(4);
    referenceKernels.gemm(false, false, 2, 2, 3, 1, a, b, 0, c);
    expect([...c]).toEqual([58, 64, 139, 154]);
  });
});

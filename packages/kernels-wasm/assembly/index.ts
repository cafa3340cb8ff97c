// Placeholder scalar kernel to prove the build pipeline; replaced by the packed SIMD gemm.
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, beta: f32, c: usize): void {
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc: f32 = 0;
      for (let p = 0; p < k; p++) {
        acc += load<f32>(a + (<usize>(i * aRow + p * aCol) << 2)) * load<f32>(b + (<usize>(p * bRow + j * bCol) << 2));
      }
      const ci = c + (<usize>(i * n + j) << 2);
      store<f32>(ci, beta == 0 ? alpha * acc : alpha * acc + beta * load<f32>(ci));
    }
  }
}

export function heapBase(): usize {
  return __heap_base;
}

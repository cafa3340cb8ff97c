import { formatShape, sameShape, Tensor, type Shape } from '@aekit/core';

/** Rows `order[start..end)` of `x`, copied into one contiguous batch. */
export function takeRows(x: Tensor, order: Int32Array, start: number, end: number): Tensor {
  const rowSize = x.size / x.shape[0];
  const src = x.values;
  const out = new (src.constructor as Float32ArrayConstructor | Float64ArrayConstructor)((end - start) * rowSize);
  for (let i = start; i < end; i++) {
    const row = order[i] * rowSize;
    out.set(src.subarray(row, row + rowSize), (i - start) * rowSize);
  }
  return new Tensor(out, [end - start, ...x.shape.slice(1)]);
}

/** Throws unless `x` is a batch of samples of `sampleShape`; the message names the argument and the shapes. */
export function checkSamples(where: string, what: string, x: Tensor, sampleShape: Shape): void {
  if (x.rank !== sampleShape.length + 1 || !sameShape(x.shape.slice(1), sampleShape)) {
    throw new RangeError(`${where}: ${what} has shape ${formatShape(x.shape)}, expected [samples, ${sampleShape.join(', ')}]`);
  }
}

/** The identity ordering 0..n-1. */
export function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

import { gzipSync } from 'fflate';
import type { IdxDType } from '../../src/idx.js';

// Type codes from the format description, kept here rather than imported so the
// reader's table is checked, not echoed.
const CODE: Record<IdxDType, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };
const WIDTH: Record<IdxDType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/**
 * Test-only IDX writer, written from the format description independently of
 * the reader: header `00 00 <type> <rank>`, big-endian uint32 dimensions, then
 * big-endian values. Optionally gzipped.
 */
export function encodeIdx(
  dtype: IdxDType,
  shape: readonly number[],
  values: ArrayLike<number>,
  options: { gzip?: boolean } = {},
): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new Error(`encodeIdx: shape [${shape}] needs ${count} values, got ${values.length}`);
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + count * WIDTH[dtype]);
  const view = new DataView(bytes.buffer);
  bytes[2] = CODE[dtype];
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const at = header + i * WIDTH[dtype];
    const v = values[i];
    switch (dtype) {
      case 'uint8': view.setUint8(at, v); break;
      case 'int8': view.setInt8(at, v); break;
      case 'int16': view.setInt16(at, v, false); break;
      case 'int32': view.setInt32(at, v, false); break;
      case 'float32': view.setFloat32(at, v, false); break;
      case 'float64': view.setFloat64(at, v, false); break;
    }
  }
  return options.gzip ? gzipSync(bytes) : bytes;
}

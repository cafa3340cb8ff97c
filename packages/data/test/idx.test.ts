import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { IdxFormatError, parseIdx, type IdxDType } from '../src/idx.js';
import { encodeIdx } from './helpers/idx-encoder.js';

const DTYPES: IdxDType[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

/** Values representable exactly in each dtype, NaN and ±0 included for floats. */
function valuesOf(dtype: IdxDType, count: number): fc.Arbitrary<number[]> {
  const element: fc.Arbitrary<number> = {
    uint8: fc.integer({ min: 0, max: 255 }),
    int8: fc.integer({ min: -128, max: 127 }),
    int16: fc.integer({ min: -32768, max: 32767 }),
    int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    float32: fc.float(),
    float64: fc.double(),
  }[dtype];
  return fc.array(element, { minLength: count, maxLength: count });
}

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 });

const idxCase = fc
  .record({ dtype: fc.constantFrom(...DTYPES), shape: shapeArb, gzip: fc.boolean() })
  .chain(({ dtype, shape, gzip }) =>
    valuesOf(dtype, shape.reduce((a, b) => a * b, 1)).map((values) => ({ dtype, shape, gzip, values })),
  );

/** Runs `fn`, expecting an IdxFormatError, and returns it. */
function idxError(fn: () => unknown): IdxFormatError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(IdxFormatError);
    return error as IdxFormatError;
  }
  throw new Error('expected an IdxFormatError, but nothing was thrown');
}

describe('parseIdx', () => {
  it('reads the documented example: a 2×3 uint8 array', () => {
    const bytes = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    const { dtype, shape, data } = parseIdx(bytes, 'tiny-idx2-ubyte');
    expect(dtype).toBe('uint8');
    expect(shape).toEqual([2, 3]);
    expect(data).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6]));
  });

  it('reads multi-byte values big-endian', () => {
    const bytes = new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    const parsed = parseIdx(bytes);
    expect(parsed.dtype).toBe('int16');
    expect(Array.from(parsed.data)).toEqual([0x0102, -2]);
    const f = parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0]));
    expect(f.data).toEqual(new Float32Array([1]));
  });

  it.each(DTYPES)('gives a %s file the matching typed array', (dtype) => {
    const parsed = parseIdx(encodeIdx(dtype, [2, 2], [1, 2, 3, 4]));
    const expected = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[dtype];
    expect(parsed.dtype).toBe(dtype);
    expect(parsed.data).toBeInstanceOf(expected);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4]);
  });

  it('round-trips every dtype and shape, plain and gzipped', () => {
    fc.assert(
      fc.property(idxCase, ({ dtype, shape, gzip, values }) => {
        const parsed = parseIdx(encodeIdx(dtype, shape, values, { gzip }), 'case');
        expect(parsed.dtype).toBe(dtype);
        expect(parsed.shape).toEqual(shape);
        // toEqual on arrays treats NaN as equal to NaN and tells -0 from +0.
        expect(Array.from(parsed.data)).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it('reads from a view into a larger buffer, and does not alias its input', () => {
    const file = encodeIdx('int32', [3], [7, -8, 9]);
    const padded = new Uint8Array(file.length + 5);
    padded.set(file, 3);
    const input = padded.subarray(3, 3 + file.length);
    const parsed = parseIdx(input);
    expect(Array.from(parsed.data)).toEqual([7, -8, 9]);
    const u8 = encodeIdx('uint8', [2], [1, 2]);
    const parsedU8 = parseIdx(u8);
    u8[u8.length - 1] = 99;
    expect(Array.from(parsedU8.data)).toEqual([1, 2]);
  });

  describe('rejects malformed files, naming the source, the offset, and expected vs found', () => {
    it('empty and tiny files', () => {
      const e = idxError(() => parseIdx(new Uint8Array([0, 0]), 'tiny.idx'));
      expect(e.source).toBe('tiny.idx');
      expect(e.offset).toBe(2);
      expect(e.message).toMatch(/^tiny\.idx: .*byte 2.*expected a 4-byte header.*found only 2 bytes/);
      expect(idxError(() => parseIdx(new Uint8Array(0), 'empty')).message).toMatch(/found only 0 bytes/);
    });

    it('bad magic', () => {
      const bytes = encodeIdx('uint8', [1], [0]);
      bytes[1] = 0x08;
      const e = idxError(() => parseIdx(bytes, 'labels.idx'));
      expect(e.offset).toBe(0);
      expect(e.message).toMatch(/^labels\.idx: invalid IDX file at byte 0: expected magic 00 00, found 00 08$/);
    });

    it('an unknown type code', () => {
      const bytes = encodeIdx('uint8', [1], [0]);
      bytes[2] = 0x0a;
      const e = idxError(() => parseIdx(bytes, 'x.idx'));
      expect(e.offset).toBe(2);
      expect(e.message).toMatch(/x\.idx: .*byte 2: expected a type code 08 \(uint8\).*found 0a$/);
    });

    it('zero dimensions', () => {
      const e = idxError(() => parseIdx(new Uint8Array([0, 0, 0x08, 0, 1, 2]), 'x.idx'));
      expect(e.offset).toBe(3);
      expect(e.message).toMatch(/x\.idx: .*byte 3: expected at least one dimension, found a dimension count of 0/);
    });

    it('a truncated header', () => {
      const e = idxError(() => parseIdx(new Uint8Array([0, 0, 0x08, 3, 0, 0, 0, 1, 0, 0]), 'x.idx'));
      expect(e.offset).toBe(10);
      expect(e.message).toMatch(/x\.idx: .*byte 10: truncated header: 3 dimensions need 16 header bytes, found 10/);
    });

    it('truncated data, with the size the header implies', () => {
      const bytes = encodeIdx('int16', [2, 3], [1, 2, 3, 4, 5, 6]).subarray(0, 12 + 7);
      const e = idxError(() => parseIdx(bytes, 'x.idx'));
      expect(e.offset).toBe(19);
      expect(e.message).toMatch(/x\.idx: .*byte 19: truncated data: the header's dimensions 2×3 int16 \(2 bytes each\) need 12 bytes of data after the 12-byte header, found 7/);
    });

    it('dimensions too large for any file, without trying to allocate them', () => {
      const bytes = new Uint8Array([0, 0, 0x0e, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2]);
      expect(idxError(() => parseIdx(bytes, 'huge.idx')).message).toMatch(/truncated data: .* found 2$/);
    });

    it('trailing bytes', () => {
      const file = encodeIdx('uint8', [2], [1, 2]);
      const bytes = new Uint8Array([...file, 0, 0, 0]);
      const e = idxError(() => parseIdx(bytes, 'x.idx'));
      expect(e.offset).toBe(10);
      expect(e.message).toMatch(/x\.idx: .*byte 10: expected the file to end after 2 bytes of data \(2 uint8 \(1 byte each\)\), found 3 trailing bytes/);
    });

    it('a gzipped file whose IDX content is bad, counting offsets in the inflated bytes', () => {
      const bytes = gzipSync(encodeIdx('float32', [4], [1, 2, 3, 4]).subarray(0, 20));
      const e = idxError(() => parseIdx(bytes, 'x.idx.gz'));
      expect(e.decompressed).toBe(true);
      expect(e.offset).toBe(20);
      expect(e.message).toMatch(/x\.idx\.gz: invalid IDX file at byte 20 of the inflated data: truncated data: .* need 16 bytes .* found 12$/);
    });

    it('corrupt gzip: a flipped byte in the stream, a truncated stream, a wrong trailer', () => {
      const gz = encodeIdx('uint8', [50], Array.from({ length: 50 }, (_, i) => (i * 37) % 256), { gzip: true });
      const flipped = gz.slice();
      flipped[15] ^= 0x55;
      const e1 = idxError(() => parseIdx(flipped, 'x.gz'));
      expect(e1.message).toMatch(/^x\.gz: corrupt gzip at byte \d+: /);

      const e2 = idxError(() => parseIdx(gz.subarray(0, gz.length - 12), 'x.gz'));
      expect(e2.message).toMatch(/^x\.gz: corrupt gzip at byte \d+: /);

      const badCrc = gz.slice();
      badCrc[gz.length - 8] ^= 1;
      const e3 = idxError(() => parseIdx(badCrc, 'x.gz'));
      expect(e3.offset).toBe(gz.length - 8);
      expect(e3.message).toMatch(/corrupt gzip at byte \d+: trailer CRC-32 is 0x[0-9a-f]{8}, the inflated data's is 0x[0-9a-f]{8}/);

      const badSize = gz.slice();
      badSize[gz.length - 4] += 1;
      expect(idxError(() => parseIdx(badSize, 'x.gz')).message).toMatch(/trailer says 59 inflated bytes, found 58/);

      expect(idxError(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8]), 'x.gz')).message).toMatch(
        /x\.gz: corrupt gzip at byte 3: expected at least 18 bytes/,
      );
    });

    it('any truncation of a valid file, plain or gzipped, is an error (never a wrong array)', () => {
      fc.assert(
        fc.property(idxCase, fc.nat(), ({ dtype, shape, gzip, values }, cut) => {
          const file = encodeIdx(dtype, shape, values, { gzip });
          const length = cut % file.length;
          idxError(() => parseIdx(file.subarray(0, length), 'cut'));
        }),
        { numRuns: 300 },
      );
    });

    it('any bytes appended to a valid plain file are an error', () => {
      fc.assert(
        fc.property(idxCase, fc.uint8Array({ minLength: 1, maxLength: 16 }), ({ dtype, shape, values }, extra) => {
          const file = encodeIdx(dtype, shape, values);
          idxError(() => parseIdx(new Uint8Array([...file, ...extra]), 'extra'));
        }),
      );
    });
  });
});

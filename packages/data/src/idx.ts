import { GzipFormatError, gunzip, isGzip } from './gzip.js';

/** The element types an IDX header can declare. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds each IDX element type. */
export interface IdxTypedArrays {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/**
 * A parsed IDX file: its element type, its dimensions (outermost first) and its
 * values, flat and row-major. Narrowing on `dtype` narrows `data`.
 */
export type IdxArray = {
  [K in IdxDType]: { dtype: K; shape: number[]; data: IdxTypedArrays[K] };
}[IdxDType];

/**
 * Thrown for bytes that are not a well-formed IDX file (or gzipped IDX file).
 * The message names the source, the byte offset, and what was expected and found.
 */
export class IdxFormatError extends Error {
  /** Where the bytes came from (a file name or URL). */
  readonly source: string;
  /** The byte offset of the problem; in the inflated bytes when `decompressed` is true. */
  readonly offset: number;
  /** Whether `offset` counts bytes after gunzip rather than in the file itself. */
  readonly decompressed: boolean;

  constructor(message: string, details: { source: string; offset: number; decompressed?: boolean; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'IdxFormatError';
    this.source = details.source;
    this.offset = details.offset;
    this.decompressed = details.decompressed ?? false;
  }
}

interface TypeInfo {
  readonly dtype: IdxDType;
  readonly bytes: number;
}

/** Type codes from the IDX format description (LeCun et al., the MNIST page). */
const TYPES: Readonly<Record<number, TypeInfo>> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** The IDX type code for each element type, for writers. */
export const IDX_TYPE_CODES: Readonly<Record<IdxDType, number>> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

/**
 * Parses an IDX file (the format MNIST and its relatives ship in), plain or gzipped.
 *
 * The header decides everything: two zero bytes, a type code, the number of
 * dimensions, then each dimension as a big-endian uint32; the values follow,
 * big-endian, and must fill the file exactly. Gzipped input (magic `1f 8b`)
 * is detected and inflated first. The result owns fresh typed arrays; it does
 * not alias `bytes`.
 *
 * @param bytes - The file's bytes.
 * @param source - A name for the bytes (file name or URL), used in error messages.
 * @returns The element type, shape and flat row-major values.
 * @throws {IdxFormatError} for bad magic, an unknown type code, zero dimensions,
 *   a truncated header or data, trailing bytes, or corrupt gzip; the message
 *   names `source`, the byte offset, and what was expected and found.
 * @example
 * ```ts
 * // A 2×3 uint8 array.
 * const bytes = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
 * const { dtype, shape, data } = parseIdx(bytes, 'tiny-idx2-ubyte');
 * // dtype 'uint8', shape [2, 3], data Uint8Array [1, 2, 3, 4, 5, 6]
 * ```
 */
export function parseIdx(bytes: Uint8Array, source = '<bytes>'): IdxArray {
  let decompressed = false;
  if (isGzip(bytes)) {
    try {
      bytes = gunzip(bytes, source);
    } catch (error) {
      if (error instanceof GzipFormatError) {
        throw new IdxFormatError(error.message, { source, offset: error.offset, cause: error });
      }
      throw error;
    }
    decompressed = true;
  }
  const fail = (offset: number, message: string): never => {
    const where = decompressed ? `byte ${offset} of the inflated data` : `byte ${offset}`;
    throw new IdxFormatError(`${source}: invalid IDX file at ${where}: ${message}`, { source, offset, decompressed });
  };

  if (bytes.length < 4) {
    fail(bytes.length, `expected a 4-byte header (00 00, type code, dimension count), found only ${bytes.length} bytes`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(0, `expected magic 00 00, found ${hexByte(bytes[0])} ${hexByte(bytes[1])}`);
  }
  const type = TYPES[bytes[2]];
  if (type === undefined) {
    fail(2, `expected a type code 08 (uint8), 09 (int8), 0b (int16), 0c (int32), 0d (float32) or 0e (float64), found ${hexByte(bytes[2])}`);
  }
  const { dtype, bytes: width } = type as TypeInfo;
  const rank = bytes[3];
  if (rank === 0) fail(3, 'expected at least one dimension, found a dimension count of 0');
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    fail(bytes.length, `truncated header: ${rank} dimensions need ${headerSize} header bytes, found ${bytes.length}`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  // A float product stays exact up to 2^53 and is compared before anything is
  // allocated, so absurd dimensions give an error rather than an allocation.
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * width;
  const found = bytes.length - headerSize;
  const dims = `${shape.join('×')} ${dtype} (${width} byte${width > 1 ? 's' : ''} each)`;
  if (found < expected) {
    fail(bytes.length, `truncated data: the header's dimensions ${dims} need ${expected} bytes of data after the ${headerSize}-byte header, found ${found}`);
  }
  if (found > expected) {
    fail(headerSize + expected, `expected the file to end after ${expected} bytes of data (${dims}), found ${found - expected} trailing bytes`);
  }

  return { dtype, shape, data: readValues(dtype, view, headerSize, count) } as IdxArray;
}

/** Reads `count` big-endian values into a fresh typed array. */
function readValues(dtype: IdxDType, view: DataView, start: number, count: number): IdxTypedArrays[IdxDType] {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + start, count * TYPES[IDX_TYPE_CODES[dtype]].bytes);
  switch (dtype) {
    case 'uint8':
      return bytes.slice();
    case 'int8':
      return new Int8Array(bytes.slice().buffer);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(start + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(start + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, false);
      return out;
    }
  }
}

function hexByte(byte: number | undefined): string {
  return byte === undefined ? '(end)' : byte.toString(16).padStart(2, '0');
}

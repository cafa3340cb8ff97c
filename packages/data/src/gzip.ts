import { inflateSync } from 'fflate';

/**
 * Thrown for a gzip stream that cannot be inflated: a bad header, a truncated
 * stream, or a trailer whose CRC-32 or length disagrees with the inflated data.
 */
export class GzipFormatError extends Error {
  /** Where the bytes came from (a file name or URL), for the message. */
  readonly source: string;
  /** Byte offset in the compressed input at which the problem was found. */
  readonly offset: number;

  constructor(source: string, offset: number, message: string) {
    super(`${source}: corrupt gzip at byte ${offset}: ${message}`);
    this.name = 'GzipFormatError';
    this.source = source;
    this.offset = offset;
  }
}

/** Whether `bytes` begins with the gzip magic number `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

// Gzip header flag bits (RFC 1952, section 2.3.1).
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const HEADER_SIZE = 10;
const TRAILER_SIZE = 8;

/**
 * Inflates a single-member gzip stream, checking its trailer.
 *
 * We parse the header and trailer ourselves and hand only the raw DEFLATE body
 * to fflate's `inflateSync`, rather than calling `gunzipSync`: `gunzipSync`
 * sizes its output from the trailer's length field without checking it, so a
 * truncated file (whose last four bytes are then compressed data) makes it
 * allocate up to 4 GiB, and a wrong length silently truncates the output.
 * Here the output grows as needed and is then checked against the trailer's
 * CRC-32 and length, so a corrupt stream is an error, never a wrong array.
 *
 * @param bytes - The whole gzip file.
 * @param source - A name for the bytes, used in error messages.
 * @returns The inflated bytes.
 * @throws {GzipFormatError} naming the source, the byte offset and what was wrong.
 * @example
 * ```ts
 * const plain = gunzip(gzipSync(new Uint8Array([1, 2, 3])), 'three.gz'); // Uint8Array [1, 2, 3]
 * ```
 */
export function gunzip(bytes: Uint8Array, source = '<bytes>'): Uint8Array {
  const fail = (offset: number, message: string): never => {
    throw new GzipFormatError(source, offset, message);
  };
  if (bytes.length < HEADER_SIZE + TRAILER_SIZE) {
    fail(bytes.length, `expected at least ${HEADER_SIZE + TRAILER_SIZE} bytes (header and trailer), found ${bytes.length}`);
  }
  if (!isGzip(bytes)) fail(0, `expected magic 1f 8b, found ${hex(bytes[0])} ${hex(bytes[1])}`);
  if (bytes[2] !== 8) fail(2, `expected compression method 8 (deflate), found ${bytes[2]}`);
  const flags = bytes[3];
  const bodyLimit = bytes.length - TRAILER_SIZE;
  let offset = HEADER_SIZE;
  if (flags & FEXTRA) {
    if (offset + 2 > bodyLimit) fail(offset, 'header ends inside the FEXTRA length');
    offset += 2 + (bytes[offset] | (bytes[offset + 1] << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    // Zero-terminated Latin-1 string.
    while (offset < bodyLimit && bytes[offset] !== 0) offset++;
    if (offset >= bodyLimit) fail(offset, `header ends inside the ${flag === FNAME ? 'file name' : 'comment'}`);
    offset++;
  }
  if (flags & FHCRC) offset += 2;
  if (offset > bodyLimit) fail(offset, 'header runs into the trailer');

  let out: Uint8Array;
  try {
    out = inflateSync(bytes.subarray(offset, bodyLimit));
  } catch (error) {
    // fflate reports no position; the body starts at `offset`.
    return fail(offset, `deflate stream: ${(error as Error).message}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expectedCrc = view.getUint32(bodyLimit, true);
  const expectedSize = view.getUint32(bodyLimit + 4, true);
  // ISIZE is the length modulo 2^32.
  if (expectedSize !== out.length % 2 ** 32) {
    fail(bodyLimit + 4, `trailer says ${expectedSize} inflated bytes, found ${out.length} (truncated or multi-member gzip?)`);
  }
  const actualCrc = crc32(out);
  if (actualCrc !== expectedCrc) {
    fail(bodyLimit, `trailer CRC-32 is ${hex32(expectedCrc)}, the inflated data's is ${hex32(actualCrc)}`);
  }
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as gzip's trailer uses. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function hex(byte: number | undefined): string {
  return byte === undefined ? '(end)' : byte.toString(16).padStart(2, '0');
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { GzipFormatError, crc32, gunzip, isGzip } from '../src/gzip.js';

describe('crc32', () => {
  it('matches the standard check value', () => {
    // The CRC-32/ISO-HDLC check value for the ASCII digits "123456789".
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('gunzip', () => {
  it('inflates what fflate deflates, with and without a file name in the header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), (data, named) => {
        const gz = gzipSync(data, named ? { filename: 'digits.idx' } : {});
        expect(isGzip(gz)).toBe(true);
        expect(gunzip(gz, 'g')).toEqual(data);
      }),
    );
  });

  it('skips an FEXTRA field and a comment', () => {
    const data = new TextEncoder().encode('hello, idx');
    const plain = gzipSync(data);
    const extra = [4, 0, 9, 9, 9, 9];
    const comment = [...new TextEncoder().encode('a comment'), 0];
    const header = [...plain.subarray(0, 10)];
    header[3] = 4 | 16; // FEXTRA | FCOMMENT
    const gz = new Uint8Array([...header, ...extra, ...comment, ...plain.subarray(10)]);
    expect(new TextDecoder().decode(gunzip(gz))).toBe('hello, idx');
  });

  it('reports a header that runs off the end, with the source and offset', () => {
    const gz = gzipSync(new Uint8Array([1, 2, 3]));
    const named = new Uint8Array([...gz.subarray(0, 10), 65, 66, 67, 68, 69, 70, 71, 72, 73, 74]);
    named[3] = 8; // FNAME, never terminated
    let error: unknown;
    try {
      gunzip(named, 'n.gz');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GzipFormatError);
    expect((error as GzipFormatError).message).toMatch(/^n\.gz: corrupt gzip at byte \d+: header ends inside the file name$/);
  });

  it('rejects a compression method other than deflate', () => {
    const gz = gzipSync(new Uint8Array([1, 2, 3]));
    gz[2] = 7;
    expect(() => gunzip(gz, 'm.gz')).toThrow(/m\.gz: corrupt gzip at byte 2: expected compression method 8 \(deflate\), found 7/);
  });

  it('never returns wrong bytes for a stream with one byte changed', () => {
    const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * i) % 251);
    const gz = gzipSync(data);
    fc.assert(
      fc.property(fc.nat({ max: gz.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bad = gz.slice();
        bad[at] ^= flip;
        let out: Uint8Array | undefined;
        try {
          out = gunzip(bad, 'f.gz');
        } catch (error) {
          expect(error).toBeInstanceOf(GzipFormatError);
          return;
        }
        // Flipping a header flag or time byte can leave a valid stream: then the output must be exact.
        expect(out).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });
});

import { tensor } from '@aekit/core';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { imageGrid } from '../src/image-grid.js';
import { encodePng } from '../src/png.js';

describe('encodePng', () => {
  it('writes a gray grid that decodes back to the same pixels', () => {
    const values = Float32Array.from({ length: 3 * 5 * 4 }, (_, i) => (i % 17) / 16);
    const grid = imageGrid([tensor(values, [3, 20])], { imageShape: [5, 4], padding: 1, background: 0 });
    const png = encodePng(grid);
    // The PNG signature.
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const decoded = decode(png);
    expect([decoded.width, decoded.height, decoded.channels, decoded.depth]).toEqual([grid.width, grid.height, 1, 8]);
    expect(Array.from(decoded.data)).toEqual(Array.from(grid.data));
  });

  it('writes RGB', () => {
    const image = { width: 2, height: 1, channels: 3 as const, data: new Uint8Array([255, 0, 0, 1, 2, 3]) };
    const decoded = decode(encodePng(image));
    expect(decoded.channels).toBe(3);
    expect(Array.from(decoded.data)).toEqual([255, 0, 0, 1, 2, 3]);
  });

  it('rejects data of the wrong length', () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) })).toThrow(
      'encodePng: a 2×2 image with 1 channel(s) needs 4 bytes, got 3',
    );
  });
});

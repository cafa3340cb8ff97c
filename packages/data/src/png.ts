import { encode } from 'fast-png';
import type { RasterImage } from './image-grid.js';

/**
 * Encodes an 8-bit gray or RGB raster as a PNG file's bytes (browser-safe).
 *
 * @param image - The raster, e.g. from {@link imageGrid}.
 * @returns The PNG bytes.
 * @throws {RangeError} when `data` does not hold `width * height * channels` bytes.
 * @example
 * ```ts
 * const png = encodePng({ width: 2, height: 1, channels: 1, data: new Uint8Array([0, 255]) });
 * ```
 */
export function encodePng(image: RasterImage): Uint8Array {
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `encodePng: a ${width}×${height} image with ${channels} channel(s) needs ${width * height * channels} bytes, got ${data.length}`,
    );
  }
  return encode({ width, height, channels, depth: 8, data });
}

import { tensor } from '@aekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageGrid, type RasterImage } from '../src/image-grid.js';

const at = (image: RasterImage, x: number, y: number, c = 0) => image.data[(y * image.width + x) * image.channels + c];

describe('imageGrid', () => {
  it('lays out the seed figure: 2 rows of 6 flat 28×28 digits with padding 2', () => {
    const originals = tensor(new Float32Array(6 * 784).fill(0.5), [6, 784]);
    const reconstructions = tensor(new Float32Array(6 * 784).fill(0.25), [6, 784]);
    const grid = imageGrid([originals, reconstructions], { imageShape: [28, 28], padding: 2 });
    expect(grid.width).toBe(6 * 28 + 7 * 2);
    expect(grid.height).toBe(2 * 28 + 3 * 2);
    expect(grid.channels).toBe(1);
    expect(grid.data.length).toBe(grid.width * grid.height);
    expect(at(grid, 2, 2)).toBe(128); // first pixel of the first original
    expect(at(grid, 2, 2 + 28 + 2)).toBe(64); // first pixel of the first reconstruction
    expect(at(grid, 0, 0)).toBe(255); // background defaults to white
    expect(at(grid, 2 + 28, 2)).toBe(255); // the gap between two images
  });

  it('places every pixel: image i of row r, pixel (y, x) lands at the padded offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }), // rows
        fc.integer({ min: 1, max: 4 }), // images per row
        fc.integer({ min: 1, max: 5 }), // h
        fc.integer({ min: 1, max: 5 }), // w
        fc.integer({ min: 0, max: 3 }), // padding
        (rows, count, h, w, padding) => {
          // Each pixel gets a distinct byte value so a misplaced one is caught.
          const code = (r: number, i: number, y: number, x: number) => (((r * count + i) * h + y) * w + x) % 250;
          const tensors = Array.from({ length: rows }, (_, r) =>
            tensor(
              Float32Array.from({ length: count * h * w }, (_, k) => {
                const i = Math.floor(k / (h * w));
                const y = Math.floor((k % (h * w)) / w);
                return code(r, i, y, k % w) / 255;
              }),
              [count, h, w, 1],
            ),
          );
          const grid = imageGrid(tensors, { padding, background: 1 });
          expect(grid.width).toBe(count * w + (count + 1) * padding);
          expect(grid.height).toBe(rows * h + (rows + 1) * padding);
          let imagePixels = 0;
          for (let r = 0; r < rows; r++)
            for (let i = 0; i < count; i++)
              for (let y = 0; y < h; y++)
                for (let x = 0; x < w; x++) {
                  expect(at(grid, padding + i * (w + padding) + x, padding + r * (h + padding) + y)).toBe(code(r, i, y, x));
                  imagePixels++;
                }
          // Everything else is background.
          const background = grid.data.filter((v) => v === 255).length;
          expect(background).toBe(grid.width * grid.height - imagePixels);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('clamps to [0, 1] and maps NaN to 0', () => {
    const row = tensor(new Float32Array([-1, 0, 0.5, 1, 2, NaN, 1 / 255, 0.999]), [1, 2, 4]);
    const grid = imageGrid([row], { padding: 0 });
    expect(Array.from(grid.data)).toEqual([0, 0, 128, 255, 255, 0, 1, 255]);
  });

  it('accepts [count, h, w], [count, h, w, 1] and float64 rows, and fills short rows with background', () => {
    const a = tensor(new Float64Array([1, 1, 1, 1, 0, 0, 0, 0]), [2, 2, 2]);
    const b = tensor(new Float32Array([0.2, 0.2, 0.2, 0.2]), [1, 2, 2, 1]);
    const grid = imageGrid([a, b], { padding: 1, background: 0.6 });
    expect([grid.width, grid.height]).toEqual([7, 7]);
    expect(at(grid, 1, 4)).toBe(51);
    expect(at(grid, 4, 4)).toBe(153); // no second image in row 1: background
    expect(at(grid, 4, 1)).toBe(0);
  });

  it('makes an RGB grid when a row is RGB, repeating gray rows on all channels', () => {
    const rgb = tensor(new Float32Array([1, 0, 0, 0, 1, 0]), [1, 1, 2, 3]);
    const gray = tensor(new Float32Array([0.2, 0.4]), [1, 1, 2]);
    const grid = imageGrid([rgb, gray], { padding: 0 });
    expect(grid.channels).toBe(3);
    expect(Array.from(grid.data)).toEqual([255, 0, 0, 0, 255, 0, 51, 51, 51, 102, 102, 102]);
    const flat = imageGrid([tensor(new Float32Array(6).fill(1), [1, 6])], { imageShape: [1, 2], padding: 0 });
    expect(flat.channels).toBe(3);
  });

  it('names the row and its shape when a row does not fit', () => {
    const flat = tensor(new Float32Array(10), [2, 5]);
    expect(() => imageGrid([flat])).toThrow(/imageGrid: row 0 has shape \[2, 5\]; expected .*pass imageShape/);
    expect(() => imageGrid([flat], { imageShape: [2, 2] })).toThrow(
      'imageGrid: row 0 has shape [2, 5]; expected [count, 4] (or [count, 12] for RGB) for imageShape [2, 2]',
    );
    const small = tensor(new Float32Array(4), [1, 2, 2]);
    const large = tensor(new Float32Array(9), [1, 3, 3]);
    expect(() => imageGrid([small, large])).toThrow('imageGrid: row 1 has shape [1, 3, 3], whose images are 3×3, but expected 2×2');
    expect(() => imageGrid([tensor(new Float32Array(8), [1, 2, 2, 2])])).toThrow(/row 0 has shape \[1, 2, 2, 2\]/);
    expect(() => imageGrid([])).toThrow('imageGrid: expected at least one row, got none');
    expect(() => imageGrid([small], { padding: 1.5 })).toThrow(/padding must be a non-negative integer, got 1.5/);
    expect(() => imageGrid([small], { background: 2 })).toThrow(/background must be in \[0, 1\], got 2/);
  });

  it('scales the finished grid by a whole factor, each pixel a block', () => {
    const small = imageGrid([tensor([0, 1, 1, 0], [1, 2, 2])], { padding: 0 });
    const big = imageGrid([tensor([0, 1, 1, 0], [1, 2, 2])], { padding: 0, scale: 3 });
    expect([big.width, big.height]).toEqual([6, 6]);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) expect(big.data[y * 6 + x]).toBe(small.data[Math.floor(y / 3) * 2 + Math.floor(x / 3)]);
    }
    expect(() => imageGrid([tensor([0], [1, 1, 1])], { scale: 1.5 })).toThrow(/scale must be a positive integer, got 1.5/);
  });
});

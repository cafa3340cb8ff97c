import { formatShape, type Tensor } from '@aekit/core';

/** An 8-bit raster image, row-major, channels interleaved (gray: 1, RGB: 3). */
export interface RasterImage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** `height * width * channels` bytes, top row first. */
  data: Uint8Array;
}

/** Options for {@link imageGrid}. */
export interface ImageGridOptions {
  /** `[height, width]` of each image, needed when a row is given flat as `[count, height * width]` (or `* 3` for RGB). */
  imageShape?: [number, number];
  /** Pixels of background around and between the images. Default 2. */
  padding?: number;
  /** Background level in [0, 1]. Default 1 (white, like the tutorial's matplotlib figure). */
  background?: number;
  /** Enlarges the finished grid by this whole factor (nearest neighbour), so 28-pixel digits are visible. Default 1. */
  scale?: number;
}

interface GridRow {
  values: ArrayLike<number>;
  count: number;
  channels: 1 | 3;
}

/**
 * Lays images out as one picture: each tensor is one row of the grid, its
 * images left to right.
 *
 * Each row is a tensor of `count` images shaped `[count, h, w]`,
 * `[count, h, w, 1]`, `[count, h, w, 3]` (RGB), or flat `[count, h*w]` (or
 * `[count, h*w*3]`) with `options.imageShape`. All images share one `h × w`;
 * rows may hold different counts (short rows are filled with background). Values
 * are clamped to [0, 1] (NaN counts as 0) and mapped to 0–255. The grid is RGB
 * if any row is, gray otherwise.
 *
 * @param rows - One tensor per grid row.
 * @param options - The image shape for flat rows, padding and background.
 * @returns The grid as an 8-bit raster, ready for {@link encodePng}.
 * @throws {RangeError} naming the row and its shape when a row does not fit.
 * @example
 * ```ts
 * // The seed tutorial's figure: six test digits over their reconstructions.
 * const grid = imageGrid([originals, reconstructions], { imageShape: [28, 28], padding: 2 });
 * const png = encodePng(grid);
 * ```
 */
export function imageGrid(rows: readonly Tensor[], options: ImageGridOptions = {}): RasterImage {
  const padding = options.padding ?? 2;
  const background = options.background ?? 1;
  if (!Number.isInteger(padding) || padding < 0) {
    throw new RangeError(`imageGrid: padding must be a non-negative integer, got ${padding}`);
  }
  if (!(background >= 0 && background <= 1)) {
    throw new RangeError(`imageGrid: background must be in [0, 1], got ${background}`);
  }
  if (rows.length === 0) throw new RangeError('imageGrid: expected at least one row, got none');
  const scale = options.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`imageGrid: scale must be a positive integer, got ${scale}`);

  let imageSize: [number, number] | undefined = options.imageShape;
  const grid: GridRow[] = rows.map((row, r) => {
    const { size, channels } = rowLayout(row, r, options.imageShape);
    if (imageSize && (imageSize[0] !== size[0] || imageSize[1] !== size[1])) {
      throw new RangeError(
        `imageGrid: row ${r} has shape ${formatShape(row.shape)}, whose images are ${size[0]}×${size[1]}, but expected ${imageSize[0]}×${imageSize[1]}`,
      );
    }
    imageSize = size;
    return { values: row.values, count: row.shape[0], channels };
  });
  const [h, w] = imageSize as [number, number];
  const channels: 1 | 3 = grid.some((row) => row.channels === 3) ? 3 : 1;
  const columns = Math.max(...grid.map((row) => row.count));
  const width = columns * w + (columns + 1) * padding;
  const height = grid.length * h + (grid.length + 1) * padding;
  const data = new Uint8Array(width * height * channels).fill(toByte(background));

  grid.forEach((row, r) => {
    const top = padding + r * (h + padding);
    const pixelsPerImage = h * w * row.channels;
    for (let i = 0; i < row.count; i++) {
      const left = padding + i * (w + padding);
      const base = i * pixelsPerImage;
      for (let y = 0; y < h; y++) {
        let out = ((top + y) * width + left) * channels;
        let src = base + y * w * row.channels;
        for (let x = 0; x < w; x++) {
          if (row.channels === channels) {
            for (let c = 0; c < channels; c++) data[out++] = toByte(row.values[src++]);
          } else {
            // A gray row in an RGB grid: the same level on all three channels.
            const level = toByte(row.values[src++]);
            data[out++] = level;
            data[out++] = level;
            data[out++] = level;
          }
        }
      }
    }
  });
  return scaleImage({ width, height, channels, data }, scale);
}

/**
 * Enlarges an image by a whole factor, each pixel becoming a `factor × factor`
 * block (nearest neighbour: no blur is added to what the model produced).
 */
export function scaleImage(image: RasterImage, factor: number): RasterImage {
  if (factor === 1) return image;
  const { width, height, channels, data } = image;
  const outWidth = width * factor;
  const out = new Uint8Array(outWidth * height * factor * channels);
  for (let y = 0; y < height * factor; y++) {
    const srcRow = Math.floor(y / factor) * width * channels;
    let o = y * outWidth * channels;
    for (let x = 0; x < outWidth; x++) {
      const src = srcRow + Math.floor(x / factor) * channels;
      for (let c = 0; c < channels; c++) out[o++] = data[src + c];
    }
  }
  return { width: outWidth, height: height * factor, channels, data: out };
}

/** Works out one row's image size and channel count from its shape. */
function rowLayout(row: Tensor, r: number, imageShape?: [number, number]): { size: [number, number]; channels: 1 | 3 } {
  const shape = row.shape;
  const bad = (expected: string): never => {
    throw new RangeError(`imageGrid: row ${r} has shape ${formatShape(shape)}; expected ${expected}`);
  };
  if (shape.length === 2) {
    if (!imageShape) return bad('[count, h, w], [count, h, w, 1] or [count, h, w, 3], or pass imageShape for a flat [count, h*w]');
    const [h, w] = imageShape;
    if (shape[1] === h * w) return { size: [h, w], channels: 1 };
    if (shape[1] === h * w * 3) return { size: [h, w], channels: 3 };
    return bad(`[count, ${h * w}] (or [count, ${h * w * 3}] for RGB) for imageShape [${h}, ${w}]`);
  }
  if (shape.length === 3) return { size: [shape[1], shape[2]], channels: 1 };
  if (shape.length === 4 && (shape[3] === 1 || shape[3] === 3)) {
    return { size: [shape[1], shape[2]], channels: shape[3] as 1 | 3 };
  }
  return bad('[count, h, w], [count, h, w, 1], [count, h, w, 3], or [count, h*w] with imageShape');
}

/** Maps [0, 1] to 0–255, clamping; NaN becomes 0 rather than a silent garbage value. */
function toByte(value: number): number {
  if (!(value > 0)) return 0;
  if (value >= 1) return 255;
  return Math.round(value * 255);
}

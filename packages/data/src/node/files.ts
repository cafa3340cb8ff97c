import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseIdx, type IdxArray } from '../idx.js';
import type { RasterImage } from '../image-grid.js';
import { encodePng } from '../png.js';

/**
 * Reads and parses an IDX file, plain or gzipped.
 *
 * @param path - The file's path; errors name it.
 * @returns The element type, shape and flat row-major values.
 * @throws {IdxFormatError} for a malformed file, naming the path and byte offset.
 * @example
 * ```ts
 * const labels = readIdxFile('data/train-labels-idx1-ubyte.gz'); // { dtype: 'uint8', shape: [60000], data }
 * ```
 */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(readFileSync(path), path);
}

/**
 * Writes a file atomically: readers see the old content or the new, never a
 * partial file. Writes a temporary file in the same directory (a rename is only
 * atomic within one file system), flushes it to disk, then renames it over
 * `path`. Creates missing parent directories; replaces an existing file.
 *
 * @param path - The file to write.
 * @param data - Bytes, or a string written as UTF-8.
 * @example
 * ```ts
 * await writeFileAtomic('out/history.json', JSON.stringify(history));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // A dot-file so directory listings and globs skip it while it exists.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Encodes a raster as PNG and writes it atomically, creating parent directories.
 *
 * @param path - The PNG file to write.
 * @param image - The raster, e.g. from `imageGrid`.
 * @example
 * ```ts
 * await writePng('out/reconstructions.png', imageGrid([originals, reconstructions], { imageShape: [28, 28] }));
 * ```
 */
export async function writePng(path: string, image: RasterImage): Promise<void> {
  await writeFileAtomic(path, encodePng(image));
}

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@aekit/core';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { imageGrid } from '../../src/image-grid.js';
import { IdxFormatError } from '../../src/idx.js';
import { readIdxFile, writeFileAtomic, writePng } from '../../src/node/files.js';
import { encodeIdx } from '../helpers/idx-encoder.js';

const dir = mkdtempSync(join(tmpdir(), 'aekit-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates parent directories and writes bytes or UTF-8 text, leaving no temporary file', async () => {
    const path = join(dir, 'a', 'b', 'out.txt');
    await writeFileAtomic(path, 'héllo');
    expect(readFileSync(path, 'utf8')).toBe('héllo');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.txt']);
    await writeFileAtomic(join(dir, 'a', 'bytes.bin'), new Uint8Array([1, 2, 3]));
    expect(Array.from(readFileSync(join(dir, 'a', 'bytes.bin')))).toEqual([1, 2, 3]);
  });

  it('replaces an existing file, even a longer one', async () => {
    const path = join(dir, 'replace.txt');
    writeFileSync(path, 'the old, longer content');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((name) => name.includes('replace'))).toEqual(['replace.txt']);
  });

  it('fails without a trace when the rename cannot happen', async () => {
    const target = join(dir, 'is-a-dir');
    await writeFileAtomic(join(target, 'inside.txt'), 'x');
    // Renaming a file over a non-empty directory fails.
    await expect(writeFileAtomic(target, 'y')).rejects.toThrow();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('writePng', () => {
  it('writes a PNG that decodes to the grid', async () => {
    const grid = imageGrid([tensor(new Float32Array([0, 0.5, 1, 0.25]), [2, 2])], { imageShape: [1, 2], padding: 1 });
    const path = join(dir, 'figures', 'grid.png');
    await writePng(path, grid);
    const decoded = decode(readFileSync(path));
    expect([decoded.width, decoded.height]).toEqual([grid.width, grid.height]);
    expect(Array.from(decoded.data)).toEqual(Array.from(grid.data));
  });
});

describe('readIdxFile', () => {
  it('reads plain and gzipped files, and names the path in errors', () => {
    writeFileSync(join(dir, 'x.idx'), encodeIdx('int32', [2], [-1, 70000]));
    writeFileSync(join(dir, 'x.idx.gz'), encodeIdx('float64', [1, 2], [0.5, -3], { gzip: true }));
    expect(Array.from(readIdxFile(join(dir, 'x.idx')).data)).toEqual([-1, 70000]);
    expect(readIdxFile(join(dir, 'x.idx.gz'))).toEqual({ dtype: 'float64', shape: [1, 2], data: new Float64Array([0.5, -3]) });
    const bad = join(dir, 'bad.idx');
    writeFileSync(bad, new Uint8Array([0, 0, 8]));
    expect(() => readIdxFile(bad)).toThrow(IdxFormatError);
    expect(() => readIdxFile(bad)).toThrow(`${bad}: invalid IDX file at byte 3`);
  });
});

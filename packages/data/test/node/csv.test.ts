import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvFormatError } from '../../src/csv.js';
import { readCsv } from '../../src/node/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'aekit-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCsv', () => {
  it('reads a file as a numeric table', () => {
    const path = join(dir, 'good.csv');
    writeFileSync(path, 'temp,load\n20.5,3\n21,4\n');
    const table = readCsv(path);
    expect(table.columns).toEqual(['temp', 'load']);
    expect(Array.from(table.values.values)).toEqual([20.5, 3, 21, 4]);
  });

  it('names the file in format errors', () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'temp,load\n20.5,x\n');
    expect(() => readCsv(path)).toThrow(CsvFormatError);
    expect(() => readCsv(path)).toThrow(`${path}: line 2 (data row 1), column 'load': expected a number, found "x"`);
  });

  it('names the file when it cannot be read', () => {
    const path = join(dir, 'absent.csv');
    expect(() => readCsv(path)).toThrow(`readCsv: cannot read ${path}: ENOENT`);
  });
});

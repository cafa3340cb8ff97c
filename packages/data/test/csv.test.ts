import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvFormatError, formatCsv, parseCsv } from '../src/csv.js';

/** The error a call throws, so its fields and message can both be checked. */
function errorOf(run: () => unknown): CsvFormatError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CsvFormatError);
    return error as CsvFormatError;
  }
  throw new Error('expected a CsvFormatError, none was thrown');
}

describe('parseCsv on good input', () => {
  it('reads a header and numeric rows into a [rows, columns] tensor', () => {
    const table = parseCsv('a,b,c\n1,2,3\n-4.5,.5,1e-3\n');
    expect(table.columns).toEqual(['a', 'b', 'c']);
    expect(table.values.shape).toEqual([2, 3]);
    expect(table.values.dtype).toBe('float32');
    expect(Array.from(table.values.values)).toEqual([1, 2, 3, -4.5, 0.5, Math.fround(1e-3)]);
    expect(table.missing).toEqual([]);
    expect(Array.from(table.mask)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('handles quoted fields with delimiters, doubled quotes and line breaks, CRLF, a BOM and blank lines', () => {
    const text = '\uFEFF"x, first","say ""hi""\nthere",plain\r\n\r\n" 1 ",2,3\r\n\n4,"5",6';
    const table = parseCsv(text, { dtype: 'float64' });
    expect(table.columns).toEqual(['x, first', 'say "hi"\nthere', 'plain']);
    expect(Array.from(table.values.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(table.values.dtype).toBe('float64');
  });

  it('selects columns by name or index, in the order asked, ignoring text in the others', () => {
    const table = parseCsv('time;temp;state;load\n2024-01-01;20.5;ok;3\n2024-01-02;21;bad;4\n', {
      delimiter: ';',
      columns: ['load', 1],
    });
    expect(table.columns).toEqual(['load', 'temp']);
    expect(Array.from(table.values.values)).toEqual([3, 20.5, 4, 21]);
  });

  it('names columns by index without a header', () => {
    const table = parseCsv('1,2\n3,4', { header: false });
    expect(table.columns).toEqual(['0', '1']);
    expect(table.values.shape).toEqual([2, 2]);
  });

  it('gives a [0, columns] table for a header alone', () => {
    const table = parseCsv('a,b\n');
    expect(table.columns).toEqual(['a', 'b']);
    expect(table.values.shape).toEqual([0, 2]);
  });

  it('collects missing values (empty, NA, NaN) with their row, column and line when asked', () => {
    const text = 'a,b\n1,\n"2\n",NA\nNaN,4\n';
    const table = parseCsv(text, { missing: 'collect', fill: -1, columns: ['b', 'a'] });
    expect(Array.from(table.values.values)).toEqual([-1, 1, -1, 2, 4, -1]);
    expect(Array.from(table.mask)).toEqual([1, 0, 1, 0, 0, 1]);
    expect(table.missing).toEqual([
      { row: 0, column: 0, name: 'b', line: 2 },
      { row: 1, column: 0, name: 'b', line: 3 },
      { row: 2, column: 1, name: 'a', line: 5 },
    ]);
    expect(Number.isNaN(parseCsv('a\n1\nNA\n', { missing: 'collect' }).values.values[1])).toBe(true);
  });

  it('uses the caller’s list of missing markers', () => {
    const table = parseCsv('a\n?\n1\n', { missing: 'collect', missingValues: ['?'] });
    expect(table.missing.map((m) => m.row)).toEqual([0]);
    expect(() => parseCsv('a\nNA\n', { missingValues: ['?'] })).toThrow(/expected a number, found "NA"/);
  });
});

describe('parseCsv on malformed input', () => {
  it('reports a missing value by line, data row and column', () => {
    const text = 'time,temp\n' + Array.from({ length: 16 }, (_, i) => `${i},20`).join('\n') + '\n16,\n';
    const error = errorOf(() => parseCsv(text, { source: 'sensors.csv' }));
    expect(error.message).toBe("sensors.csv: line 18 (data row 17), column 'temp': missing value");
    expect([error.line, error.row, error.column]).toEqual([18, 16, 'temp']);
    expect(() => parseCsv('a,b\n1,NA\n')).toThrow("line 2 (data row 1), column 'b': missing value (\"NA\")");
  });

  it('reports a non-numeric cell with the text found', () => {
    for (const bad of ['abc', '1,5', '0x10', 'Infinity', '1e', '--1', '1 2']) {
      const error = errorOf(() => parseCsv(`x,y\n1,2\n3,"${bad}"\n`));
      expect(error.message).toBe(`line 3 (data row 2), column 'y': expected a number, found ${JSON.stringify(bad)}`);
      expect(error.row).toBe(1);
    }
  });

  it('reports ragged rows with the counts', () => {
    const error = errorOf(() => parseCsv('a,b,c\n1,2,3\n4,5\n'));
    expect(error.message).toBe('line 3 (data row 2): expected 3 fields like the header, found 2');
    expect(() => parseCsv('1,2\n3,4,5\n', { header: false })).toThrow('expected 2 fields like the first row, found 3');
  });

  it('reports an unclosed quote, stray quotes, unknown columns and empty input', () => {
    expect(() => parseCsv('a,b\n1,"2\n3,4\n')).toThrow('line 2: a quoted field is never closed');
    expect(() => parseCsv('a,b\n1,"2"x\n')).toThrow('line 2: unexpected "x" after a closing quote');
    expect(() => parseCsv('a,b\n1,2"\n')).toThrow('line 2: a quote inside an unquoted field "2\\""');
    expect(() => parseCsv('a,b\n1,2\n', { columns: ['c'] })).toThrow("no column named 'c'; the columns are 'a', 'b'");
    expect(() => parseCsv('a,b\n1,2\n', { columns: [2] })).toThrow('column index 2 is out of range: the input has 2 columns');
    expect(() => parseCsv('\n\n', { source: 'empty.csv' })).toThrow('empty.csv: no records found');
  });

  it('refuses a bad delimiter or missing mode', () => {
    expect(() => parseCsv('a', { delimiter: ';;' })).toThrow(/delimiter must be one character/);
    expect(() => parseCsv('a', { delimiter: '"' })).toThrow(/delimiter must be one character/);
    expect(() => parseCsv('a', { missing: 'skip' as never })).toThrow(/missing must be 'error' or 'collect'/);
  });
});

describe('formatCsv', () => {
  it('writes a header and rows, quoting names that need it', () => {
    expect(formatCsv(['epoch', 'val loss', 'a,b', 'say "x"'], [[1, 0.5, -2, 3e-7]])).toBe(
      'epoch,val loss,"a,b","say ""x"""\n1,0.5,-2,3e-7\n',
    );
    expect(() => formatCsv(['a', 'b'], [[1]])).toThrow('formatCsv: row 0 has 1 values, but there are 2 columns');
  });

  // Constructive: finite doubles only, no filtering.
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const name = fc.string({ minLength: 1, maxLength: 6 }).map((s) => s.trim() || 'x');

  it('round-trips random numeric tables exactly (float64) through parseCsv', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((cols) =>
          fc.tuple(fc.array(name, { minLength: cols, maxLength: cols }), fc.array(fc.array(finite, { minLength: cols, maxLength: cols }), { maxLength: 8 })),
        ),
        fc.constantFrom(',', ';', '\t'),
        ([columns, rows], delimiter) => {
          const table = parseCsv(formatCsv(columns, rows, { delimiter }), { delimiter, dtype: 'float64' });
          expect(table.columns).toEqual(columns.map((c) => c.trim()));
          expect(table.values.shape).toEqual([rows.length, columns.length]);
          // -0 prints as "0": compare with == semantics for zero, exactly otherwise.
          expect(Array.from(table.values.values)).toEqual(rows.flat().map((x) => (x === 0 ? 0 : x)));
        },
      ),
    );
  });

  it('round-trips a float32 tensor', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 20 }), (numbers) => {
        const even = numbers.slice(0, numbers.length - (numbers.length % 2));
        const source = parseCsv(formatCsv(['a', 'b'], Array.from({ length: even.length / 2 }, (_, r) => even.slice(2 * r, 2 * r + 2))));
        const again = parseCsv(formatCsv(source.columns, source.values));
        expect(Array.from(again.values.values)).toEqual(Array.from(source.values.values));
        expect(Array.from(source.values.values)).toEqual(even.map((x) => (x === 0 ? 0 : x)));
      }),
    );
  });
});

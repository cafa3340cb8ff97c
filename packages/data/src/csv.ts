import { Tensor, type DType } from '@aekit/core';

/** A CSV input that cannot be read as a numeric table; the message names the line, row and column. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
  /** 1-based line of the file where the offending record starts. */
  readonly line: number;
  /** 0-based data row (header excluded), or -1 for the header / a whole-file problem. */
  readonly row: number;
  /** The column's name, when one column is at fault. */
  readonly column: string | undefined;

  constructor(message: string, line: number, row: number, column?: string) {
    super(message);
    this.line = line;
    this.row = row;
    this.column = column;
  }
}

/** One missing cell, as collected by `parseCsv(text, { missing: 'collect' })`. */
export interface MissingCell {
  /** 0-based data row: the row of `values`. */
  row: number;
  /** 0-based index into the returned `columns` (and the column of `values`). */
  column: number;
  /** The column's name. */
  name: string;
  /** 1-based line of the file, for a person looking at it. */
  line: number;
}

/** Options for {@link parseCsv}. */
export interface CsvOptions {
  /** Whether the first record names the columns. Default true; without, columns are named `'0'`, `'1'`, …. */
  header?: boolean;
  /** One-character field separator. Default `','`. */
  delimiter?: string;
  /**
   * The columns to keep, by name or 0-based index, in the order wanted. Default:
   * every column. Columns not kept may hold anything (dates, labels).
   */
  columns?: readonly (string | number)[];
  /** Cell texts that mean "no value" (compared after trimming spaces). Default `['', 'NA', 'NaN']`. */
  missingValues?: readonly string[];
  /**
   * `'error'` (default): the first missing value throws a {@link CsvFormatError}.
   * `'collect'`: missing cells get `fill` and are listed in `missing` and `mask`.
   */
  missing?: 'error' | 'collect';
  /** The value a collected missing cell gets. Default NaN, so it cannot pass unnoticed into arithmetic. */
  fill?: number;
  /** Element type of `values`. Default `'float32'`. */
  dtype?: DType;
  /** A name for the input (a file path) put at the front of error messages. */
  source?: string;
}

/** A numeric table read by {@link parseCsv}. */
export interface CsvTable {
  /** The kept columns' names, in the order of `values`' columns. */
  columns: string[];
  /** The numbers, shaped `[rows, columns.length]`. */
  values: Tensor;
  /** The missing cells in row-major order (empty unless `missing: 'collect'`). */
  missing: MissingCell[];
  /** 1 where a cell was missing, 0 elsewhere, row-major like `values`. */
  mask: Uint8Array;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses CSV text into a numeric table.
 *
 * Fields may be quoted with `"` (a doubled `""` inside is one quote; quoted
 * fields may hold delimiters and line breaks). Line breaks are `\n`, `\r\n` or
 * `\r`; blank lines are skipped; a leading byte-order mark is ignored. Numbers
 * are plain decimals (`-1.5`, `.5`, `2e-3`); anything else in a kept column
 * (`1,5`, `0x10`, `Infinity`, `abc`) is an error naming the line, row, column
 * and the text found. Every record must have as many fields as the first one.
 *
 * @param text - The CSV text.
 * @param options - Header, delimiter, the columns to keep, and what to do with missing values.
 * @returns The column names, the values as a `[rows, columns]` tensor, and the missing cells.
 * @throws {CsvFormatError} naming the line, data row, column and offending text.
 * @example
 * ```ts
 * const { columns, values } = parseCsv('time,temp,pressure\n0,20.5,1.01\n1,20.7,1.02\n', { columns: ['temp', 'pressure'] });
 * // columns: ['temp', 'pressure'], values: a [2, 2] tensor
 * const { missing } = parseCsv('a,b\n1,NA\n2,3\n', { missing: 'collect' });
 * // missing: [{ row: 0, column: 1, name: 'b', line: 2 }]
 * ```
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(`parseCsv: delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const prefix = options.source ? `${options.source}: ` : '';
  const missingValues = new Set(options.missingValues ?? ['', 'NA', 'NaN']);
  const collect = (options.missing ?? 'error') === 'collect';
  if (options.missing !== undefined && options.missing !== 'error' && options.missing !== 'collect') {
    throw new RangeError(`parseCsv: missing must be 'error' or 'collect', got ${JSON.stringify(options.missing)}`);
  }
  const fill = options.fill ?? Number.NaN;

  const records = readRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, delimiter, prefix);
  const hasHeader = options.header ?? true;
  if (records.length === 0) {
    throw new CsvFormatError(`${prefix}no records found (the input is empty)`, 1, -1);
  }
  const width = records[0].fields.length;
  const names = hasHeader ? records[0].fields.map((name) => name.trim()) : Array.from({ length: width }, (_, i) => String(i));
  const data = hasHeader ? records.slice(1) : records;

  const keep = selectColumns(names, options.columns, prefix);
  const columns = keep.map((c) => names[c]);
  const rows = data.length;
  const dtype = options.dtype ?? 'float32';
  const values = dtype === 'float64' ? new Float64Array(rows * keep.length) : new Float32Array(rows * keep.length);
  const mask = new Uint8Array(rows * keep.length);
  const missing: MissingCell[] = [];

  data.forEach((record, row) => {
    const where = `line ${record.line} (data row ${row + 1})`;
    if (record.fields.length !== width) {
      throw new CsvFormatError(
        `${prefix}${where}: expected ${width} fields like ${hasHeader ? 'the header' : 'the first row'}, found ${record.fields.length}`,
        record.line,
        row,
      );
    }
    keep.forEach((c, k) => {
      const cell = record.fields[c].trim();
      const at = row * keep.length + k;
      if (missingValues.has(cell)) {
        if (!collect) {
          throw new CsvFormatError(
            `${prefix}${where}, column '${names[c]}': missing value${cell === '' ? '' : ` (${JSON.stringify(cell)})`}`,
            record.line,
            row,
            names[c],
          );
        }
        values[at] = fill;
        mask[at] = 1;
        missing.push({ row, column: k, name: names[c], line: record.line });
      } else if (NUMBER.test(cell)) {
        values[at] = Number(cell);
      } else {
        throw new CsvFormatError(
          `${prefix}${where}, column '${names[c]}': expected a number, found ${JSON.stringify(record.fields[c])}`,
          record.line,
          row,
          names[c],
        );
      }
    });
  });
  return { columns, values: new Tensor(values, [rows, keep.length]), missing, mask };
}

/** Options for {@link formatCsv}. */
export interface FormatCsvOptions {
  /** Field separator. Default `','`. */
  delimiter?: string;
}

/**
 * Writes a numeric table as CSV text: a header, then one line per row, each
 * ending in `\n`. Names are quoted when they need it; numbers are written in
 * full (`String(x)`), so {@link parseCsv} reads back the same values.
 *
 * @param columns - The column names.
 * @param rows - A `[rows, columns]` tensor, or the rows as arrays of numbers.
 * @throws {RangeError} when a row's length differs from the header's.
 * @example
 * ```ts
 * formatCsv(['epoch', 'loss'], [[1, 0.25], [2, 0.125]]); // 'epoch,loss\n1,0.25\n2,0.125\n'
 * ```
 */
export function formatCsv(columns: readonly string[], rows: Tensor | readonly ArrayLike<number>[], options: FormatCsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const lines = [columns.map((name) => quoteField(name, delimiter)).join(delimiter)];
  const list: ArrayLike<number>[] =
    rows instanceof Tensor ? tensorRows(rows, columns.length) : (rows as readonly ArrayLike<number>[]).slice();
  list.forEach((row, r) => {
    if (row.length !== columns.length) {
      throw new RangeError(`formatCsv: row ${r} has ${row.length} values, but there are ${columns.length} columns`);
    }
    lines.push(Array.from(row, (x) => String(x)).join(delimiter));
  });
  return `${lines.join('\n')}\n`;
}

function tensorRows(t: Tensor, width: number): ArrayLike<number>[] {
  if (t.rank !== 2 || t.shape[1] !== width) {
    throw new RangeError(`formatCsv: expected a [rows, ${width}] tensor, got [${t.shape.join(', ')}]`);
  }
  return Array.from({ length: t.shape[0] }, (_, r) => t.values.subarray(r * width, (r + 1) * width));
}

function quoteField(text: string, delimiter: string): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** Splits text into records of raw fields (RFC 4180 quoting), skipping blank lines. */
function readRecords(text: string, delimiter: string, prefix: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // Whether the current record has any content, so blank lines can be skipped.
  let started = false;
  const endRecord = (): void => {
    if (started) {
      fields.push(field);
      records.push({ fields, line: recordLine });
    }
    fields = [];
    field = '';
    started = false;
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && field.trim() === '') {
      // A quoted field: read to the closing quote.
      const openLine = line;
      started = true;
      field = '';
      i++;
      for (;;) {
        if (i >= text.length) {
          throw new CsvFormatError(`${prefix}line ${openLine}: a quoted field is never closed`, openLine, -1);
        }
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
        i++;
      }
      // Only spaces may sit between the closing quote and the next delimiter or line end.
      while ((text[i] === ' ' || text[i] === '\t') && text[i] !== delimiter) i++;
      if (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
        throw new CsvFormatError(
          `${prefix}line ${line}: unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written "")`,
          line,
          -1,
        );
      }
      continue;
    }
    if (ch === delimiter) {
      started = true;
      fields.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      if (ch === '"') {
        throw new CsvFormatError(
          `${prefix}line ${line}: a quote inside an unquoted field ${JSON.stringify(field + ch)}; quote the whole field and double the quote`,
          line,
          -1,
        );
      }
      if (ch !== ' ' && ch !== '\t') started = true;
      field += ch;
      i++;
    }
  }
  endRecord();
  return records;
}

/** Resolves the `columns` option to indices, naming what is missing. */
function selectColumns(names: readonly string[], wanted: CsvOptions['columns'], prefix: string): number[] {
  if (!wanted) return names.map((_, i) => i);
  return wanted.map((w) => {
    const index = typeof w === 'number' ? w : names.indexOf(w);
    if (typeof w === 'number' ? !Number.isInteger(w) || w < 0 || w >= names.length : index < 0) {
      const known = names.map((n) => `'${n}'`).join(', ');
      throw new CsvFormatError(
        typeof w === 'number'
          ? `${prefix}column index ${w} is out of range: the input has ${names.length} columns (${known})`
          : `${prefix}no column named '${w}'; the columns are ${known}`,
        1,
        -1,
        String(w),
      );
    }
    return index;
  });
}

import { readFileSync } from 'node:fs';
import { parseCsv, type CsvOptions, type CsvTable } from '../csv.js';

/**
 * Reads a CSV file (UTF-8) as a numeric table; see `parseCsv` for the format.
 *
 * @param path - The file; every error message starts with it.
 * @param options - As for `parseCsv` (`source` defaults to `path`).
 * @throws {CsvFormatError} naming the file, line, data row and column.
 * @example
 * ```ts
 * const { columns, values } = readCsv('data/sensors.csv', { columns: ['temp', 'pressure'] });
 * ```
 */
export function readCsv(path: string, options: CsvOptions = {}): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`readCsv: cannot read ${path}: ${reason}`, { cause: error });
  }
  return parseCsv(text, { source: path, ...options });
}

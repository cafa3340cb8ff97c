import { isAbsolute, join, normalize, sep } from 'node:path';
import { htmlReport, type ReportOptions } from '../report/html.js';
import { writeFileAtomic } from './files.js';

/**
 * Writes a report folder: each extra file (figures the page links to by
 * relative path), then `report.html`, each atomically, so the page never
 * points at a file not yet written. Creates the folder if needed.
 *
 * @param dir - The folder, e.g. `runs/conv`.
 * @param report - The page's content (see `htmlReport`), or a finished HTML string.
 * @param files - Extra files by path relative to `dir` (e.g. `{ 'reconstructions.png': pngBytes }`).
 * @returns The path of `report.html`.
 * @throws {RangeError} for a file path that is absolute or leaves `dir`.
 * @example
 * ```ts
 * await writeReport('runs/conv', {
 *   title: 'Convolutional denoising autoencoder',
 *   sections: [{ title: 'Reconstructions', figures: [{ src: 'reconstructions.png', caption: 'original / noisy / denoised' }] }],
 * }, { 'reconstructions.png': encodePng(grid) });
 * ```
 */
export async function writeReport(
  dir: string,
  report: ReportOptions | string,
  files: Readonly<Record<string, Uint8Array | string>> = {},
): Promise<string> {
  const targets = Object.entries(files).map(([name, data]) => {
    const relative = normalize(name);
    if (isAbsolute(name) || relative === '..' || relative.startsWith(`..${sep}`) || relative === 'report.html') {
      throw new RangeError(`writeReport: file ${JSON.stringify(name)} must be a path inside the report folder other than report.html`);
    }
    return [join(dir, relative), data] as const;
  });
  const html = typeof report === 'string' ? report : htmlReport(report);
  for (const [path, data] of targets) await writeFileAtomic(path, data);
  const page = join(dir, 'report.html');
  await writeFileAtomic(page, html);
  return page;
}

import { escapeXml } from '../plot/svg.js';

/**
 * One figure of a report section: exactly one of `svg` (inlined), `src` (a
 * relative path or data URL, for PNGs next to the page) or `png` (bytes,
 * embedded as a data URL).
 */
export interface ReportFigure {
  /** An SVG document, e.g. from `lineChart` or `scatterPlot`, inlined as markup (trusted: it is not escaped). */
  svg?: string;
  /** An image URL: a path relative to the report (`reconstructions.png`) or a `data:` URL. */
  src?: string;
  /** PNG bytes (e.g. from `encodePng`), embedded in the page as a data URL. */
  png?: Uint8Array;
  /** Shown under the figure, and the image's alternative text. */
  caption?: string;
}

/** A table: a header row, then rows of text or numbers (numbers are rounded to 4 significant digits). */
export interface ReportTable {
  header: readonly string[];
  rows: readonly (readonly (string | number | null)[])[];
  caption?: string;
}

/** One section of a report. */
export interface ReportSection {
  title: string;
  /** Prose; a blank line starts a new paragraph. */
  text?: string;
  figures?: readonly ReportFigure[];
  table?: ReportTable;
  /** Preformatted text (a log, a model summary), shown as is. */
  pre?: string;
}

/** What {@link htmlReport} puts on the page, in this order: title, intro, metrics, sections, configuration, model summary. */
export interface ReportOptions {
  title: string;
  /** A short text under the title (what was run, what came out); a blank line starts a new paragraph. */
  intro?: string;
  /** Headline numbers, by name. */
  metrics?: Readonly<Record<string, number | string>>;
  sections?: readonly ReportSection[];
  /** The run's configuration (options, seed, versions); nested values are shown as JSON. */
  config?: Readonly<Record<string, unknown>>;
  /** The model summary (`model.summary()`), shown preformatted under "Model". */
  summary?: string;
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fafafa; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { margin: 0 0 8px; font-size: 28px; }
h2 { margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #ddd; font-size: 21px; }
nav ol { margin: 8px 0 0; padding-left: 20px; columns: 2; }
table { border-collapse: collapse; margin: 12px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
td.number { text-align: right; }
th { background: #f3f3f3; }
caption { caption-side: bottom; color: #666; font-size: 13px; padding-top: 4px; text-align: left; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; max-width: 100%; }
figure svg, figure img { max-width: 100%; height: auto; display: block; }
figure img { image-rendering: pixelated; }
figcaption { color: #555; font-size: 13px; margin-top: 4px; }
pre { background: #f6f6f6; padding: 12px; overflow-x: auto; font-size: 13px; line-height: 1.35; }
`;

/**
 * Builds a self-contained HTML page for a run: its title, headline metrics,
 * sections of prose, figures (inline SVG; PNGs by relative path or data URL)
 * and tables, its configuration and the model summary, with a little CSS and
 * no script. Every piece of text is escaped; only `svg` figures are inlined
 * as given.
 *
 * The markup is also well-formed XML (void elements are self-closed), so it
 * can be checked or transformed with XML tools.
 *
 * @param report - The page's content.
 * @returns The HTML document.
 * @throws {RangeError} naming the section and figure that has not exactly one of `svg`, `src` and `png`, or whose `svg` is not an SVG document.
 * @example
 * ```ts
 * const html = htmlReport({
 *   title: 'Denoising autoencoder',
 *   metrics: { 'test PSNR (dB)': 24.1 },
 *   sections: [{ title: 'Training', figures: [{ svg: lossCurves(history.history), caption: 'Loss by epoch' }] }],
 *   config: { epochs: 5, seed: 1 },
 * });
 * ```
 */
export function htmlReport(report: ReportOptions): string {
  const sections = report.sections ?? [];
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    '<meta name="generator" content="aekit" />',
    `<title>${escapeXml(report.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeXml(report.title)}</h1>`,
  ];
  if (report.intro) out.push(paragraphs(report.intro));
  const toc: [string, string][] = [];
  const body: string[] = [];
  if (report.metrics && Object.keys(report.metrics).length > 0) {
    toc.push(['metrics', 'Metrics']);
    body.push('<section id="metrics">', '<h2>Metrics</h2>', table({ header: ['metric', 'value'], rows: Object.entries(report.metrics) }), '</section>');
  }
  sections.forEach((section, s) => {
    const id = `section-${s + 1}`;
    toc.push([id, section.title]);
    body.push(`<section id="${id}">`, `<h2>${escapeXml(section.title)}</h2>`);
    if (section.text) body.push(paragraphs(section.text));
    if (section.figures && section.figures.length > 0) {
      body.push('<div class="figures">', ...section.figures.map((figure, f) => renderFigure(figure, `section ${s + 1} ('${section.title}'), figure ${f + 1}`)), '</div>');
    }
    if (section.table) body.push(table(section.table));
    if (section.pre !== undefined) body.push(`<pre>${escapeXml(section.pre)}</pre>`);
    body.push('</section>');
  });
  if (report.config && Object.keys(report.config).length > 0) {
    toc.push(['configuration', 'Configuration']);
    const rows = Object.entries(report.config).map(([key, value]): [string, string | number] => [
      key,
      typeof value === 'string' || typeof value === 'number' ? value : String(JSON.stringify(value)),
    ]);
    body.push('<section id="configuration">', '<h2>Configuration</h2>', table({ header: ['option', 'value'], rows }), '</section>');
  }
  if (report.summary !== undefined) {
    toc.push(['model', 'Model']);
    body.push('<section id="model">', '<h2>Model</h2>', `<pre>${escapeXml(report.summary)}</pre>`, '</section>');
  }
  if (toc.length > 1) {
    out.push(`<nav><ol>${toc.map(([id, title]) => `<li><a href="#${id}">${escapeXml(title)}</a></li>`).join('')}</ol></nav>`);
  }
  out.push(...body, '</main>', '</body>', '</html>', '');
  return out.join('\n');
}

/**
 * PNG bytes as a `data:image/png;base64,…` URL, to embed an image in a page
 * (browser-safe: no Buffer).
 */
export function pngDataUrl(png: Uint8Array): string {
  let binary = '';
  // In chunks: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < png.length; i += 0x8000) binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(binary)}`;
}

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeXml(p)}</p>`)
    .join('\n');
}

function renderFigure(figure: ReportFigure, where: string): string {
  const given = (['svg', 'src', 'png'] as const).filter((key) => figure[key] !== undefined);
  if (given.length !== 1) {
    throw new RangeError(`htmlReport: ${where} needs exactly one of svg, src and png, got ${given.length === 0 ? 'none' : given.join(' and ')}`);
  }
  const caption = figure.caption ?? '';
  let content: string;
  if (figure.svg !== undefined) {
    const svg = figure.svg.trim();
    if (!svg.startsWith('<svg') || !svg.endsWith('</svg>')) {
      throw new RangeError(`htmlReport: ${where}: svg must be an SVG document from <svg to </svg>, got ${JSON.stringify(svg.slice(0, 40))}`);
    }
    content = svg;
  } else {
    const src = figure.src ?? pngDataUrl(figure.png as Uint8Array);
    content = `<img src="${escapeXml(src)}" alt="${escapeXml(caption)}" />`;
  }
  return `<figure>\n${content}\n${caption ? `<figcaption>${escapeXml(caption)}</figcaption>\n` : ''}</figure>`;
}

function table(t: ReportTable): string {
  const width = t.header.length;
  t.rows.forEach((row, r) => {
    if (row.length !== width) throw new RangeError(`htmlReport: table row ${r} has ${row.length} cells, but the header has ${width}`);
  });
  const head = `<tr>${t.header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`);
  const caption = t.caption ? `<caption>${escapeXml(t.caption)}</caption>` : '';
  return `<table>${caption}\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** A table cell; numbers right-aligned, rounded to 4 significant digits (integers kept whole), NaN shown as NaN. */
function cell(value: string | number | null): string {
  if (value === null) return '<td>—</td>';
  if (typeof value === 'number') {
    const text = Number.isInteger(value) ? String(value) : Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
    return `<td class="number">${text}</td>`;
  }
  return `<td>${escapeXml(value)}</td>`;
}

import { readFileSync } from 'node:fs';
import { htmlReport, lossCurves, type ReportSection } from '@aekit/data';
import { modelTypes } from './catalogue.js';
import { RUN_FILES, type RunFolder } from './run-folder.js';

const fixed = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(v));

/** A two-column table of a flat JSON object. */
const keyValueTable = (record: object) => ({ header: ['', ''], rows: Object.entries(record).map(([k, v]) => [k, fixed(v)]) });

/**
 * Writes `report.html` from whatever the run folder holds (so `train`, `eval`,
 * `sample` and `anomaly` all end the same way) and returns its path. The loss
 * curves are drawn from `history.json` and written beside it as `loss.svg`.
 */
export async function writeRunReport(folder: RunFolder): Promise<string> {
  const config = folder.config();
  const sections: ReportSection[] = [];
  const description = modelTypes[config.model]?.description ?? config.model;
  sections.push({
    title: 'Configuration',
    text: `A ${config.model} autoencoder (${description}), trained for ${config.epochs} epochs in ${config.seconds} s on the ${config.kernels} kernels.`,
    table: keyValueTable(config),
  });

  const metrics = folder.readJsonIfPresent<Record<string, number>>(RUN_FILES.metrics);
  if (metrics) sections.push({ title: 'Test metrics', table: keyValueTable(metrics) });

  const anomaly = folder.readJsonIfPresent<{ normal: number; percentile: number; autoencoder: object; pca: object }>(RUN_FILES.anomaly);
  if (anomaly) {
    const names = Object.keys(anomaly.autoencoder);
    sections.push({
      title: 'Anomaly detection',
      text: `Digit ${anomaly.normal} is normal, every other digit an anomaly; the threshold is the ${anomaly.percentile}th percentile of held-out normal errors.`,
      table: {
        header: ['scorer', ...names],
        rows: [
          ['autoencoder', ...names.map((n) => fixed((anomaly.autoencoder as Record<string, number>)[n]))],
          [`PCA-${config.codeDim}`, ...names.map((n) => fixed((anomaly.pca as Record<string, number>)[n]))],
        ],
      },
    });
  }

  const history = folder.readJsonIfPresent<{ history: Record<string, number[]> }>(RUN_FILES.history);
  if (history) {
    const svg = lossCurves(history.history, { title: 'Loss per epoch' });
    await folder.write(RUN_FILES.lossCurves, svg);
    sections.push({ title: 'Training', figures: [{ svg, caption: 'Training and validation loss (every logged term) per epoch' }] });
  }

  const figures = [
    [RUN_FILES.reconstructions, 'Test digits: (noisy inputs,) reconstructions, originals'],
    [RUN_FILES.latentMap, 'The test digits in code space, coloured by label'],
    [RUN_FILES.samples, 'New digits decoded from codes drawn from the prior'],
    [RUN_FILES.interpolation, 'Decoding the straight line between the codes of two test digits'],
  ] as const;
  const present = figures.filter(([file]) => folder.has(file));
  if (present.length > 0) {
    sections.push({
      title: 'Figures',
      figures: present.map(([file, caption]) => (file.endsWith('.svg') ? { svg: readFileSync(folder.path(file), 'utf8'), caption } : { src: file, caption })),
    });
  }
  if (folder.has(RUN_FILES.summary)) sections.push({ title: 'Model', pre: readFileSync(folder.path(RUN_FILES.summary), 'utf8') });

  await folder.write(RUN_FILES.report, htmlReport({ title: `aekit run: ${config.model}`, sections }));
  return folder.path(RUN_FILES.report);
}

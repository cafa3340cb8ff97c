import type { OptionSpecs, Options } from '../args.js';
import type { Io } from '../io.js';
import { writeRunReport } from '../report.js';
import { RunFolder } from '../run-folder.js';

export const reportOptions: OptionSpecs = {
  run: { type: 'string', description: 'A run folder', placeholder: 'DIR' },
};

export const reportHelp = {
  summary: "Writes a run folder's report.html again from the files in it: configuration, metrics, model summary and every figure.",
  examples: ['aekit report --run runs/conv'],
};

/** `aekit report`: rebuilds report.html. */
export async function report(options: Options, io: Io): Promise<void> {
  const folder = new RunFolder(options.string('run'));
  folder.config();
  io.out(`Wrote ${await writeRunReport(folder)}`);
}

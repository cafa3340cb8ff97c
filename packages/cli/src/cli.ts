import { helpText, parseOptions, UsageError, type OptionSpecs, type Options } from './args.js';
import { anomaly, anomalyHelp, anomalyOptions } from './commands/anomaly.js';
import { evaluate, evalHelp, evalOptions } from './commands/eval.js';
import { report, reportHelp, reportOptions } from './commands/report.js';
import { sample, sampleHelp, sampleOptions } from './commands/sample.js';
import { train, trainHelp, trainOptions } from './commands/train.js';
import type { Io } from './io.js';

interface Command {
  summary: string;
  examples: readonly string[];
  options: OptionSpecs;
  run(options: Options, io: Io): Promise<unknown>;
}

const commands: Record<string, Command> = {
  train: { ...trainHelp, options: trainOptions, run: train },
  eval: { ...evalHelp, options: evalOptions, run: evaluate },
  anomaly: { ...anomalyHelp, options: anomalyOptions, run: anomaly },
  sample: { ...sampleHelp, options: sampleOptions, run: sample },
  report: { ...reportHelp, options: reportOptions, run: report },
};

const overview = [
  'Usage: aekit <command> [options]',
  '',
  'Autoencoders on a plain CPU: train one on MNIST, evaluate it, score anomalies, draw samples, and see it all in a report.',
  '',
  'Commands:',
  ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(9)}${c.summary.split('. ')[0].replace(/\.$/, '')}`),
  '',
  "Run 'aekit <command> --help' for a command's options.",
].join('\n');

/**
 * Runs the command line `argv` (without the program name) and returns the exit
 * code: 0 on success, 2 for a usage mistake, 1 when the work failed. Errors are
 * one line on `io.err`, never a stack trace (set AEKIT_DEBUG=1 to see one).
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.err(`aekit: unknown command '${name}'; known: ${Object.keys(commands).join(', ')} (see aekit --help)`);
    return 2;
  }
  try {
    const { options, help } = parseOptions(name, rest, command.options);
    if (help) {
      io.out(helpText(name, command.summary, command.options, command.examples));
      return 0;
    }
    await command.run(options, io);
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError;
    const message = error instanceof Error ? error.message : String(error);
    io.err(`aekit ${name}: ${message.split('\n')[0].replace(new RegExp(`^${name}: `), '')}`);
    if (process.env.AEKIT_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
    return usage ? 2 : 1;
  }
}

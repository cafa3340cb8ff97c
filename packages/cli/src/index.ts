/**
 * The aekit command line as a library: `runCli(argv, io)` runs a command and
 * returns its exit code, so scripts and tests can drive it without a shell.
 * The `aekit` bin is `main.ts`.
 */
export { runCli } from './cli.js';
export { processIo, type Io } from './io.js';
export { modelTypes, modelType, type ModelType, type ModelSettings } from './catalogue.js';
export { RunFolder, RUN_FILES, type RunConfig } from './run-folder.js';
export { writeRunReport } from './report.js';
export { UsageError } from './args.js';

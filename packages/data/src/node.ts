// Node-only entry point: files. The browser-safe API lives in `./index.ts`.
export { readIdxFile, writeFileAtomic, writePng } from './node/files.js';
export { loadMnist, mnistDataDir, type LoadMnistOptions } from './node/mnist.js';
export { readCsv } from './node/csv.js';
export { writeReport } from './node/report.js';

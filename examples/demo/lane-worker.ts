// One lane of the demo in a worker thread: see lanes.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { runLane, type LaneName } from './lanes.js';

const { lane, seed } = workerData as { lane: LaneName; seed: number };
const result = await runLane(lane, seed, (text) => parentPort?.postMessage({ log: text }));
parentPort?.postMessage({ result });

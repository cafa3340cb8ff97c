export { saveModel, loadModel, MODEL_JSON, WEIGHTS_BIN, type ModelJson } from './node/files.js';
export { modelCheckpoint, formatCheckpointPath, type ModelCheckpointOptions } from './node/checkpoint.js';

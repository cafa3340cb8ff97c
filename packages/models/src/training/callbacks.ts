import type { Logs } from './history.js';

/** Hooks into `fit`; every method is optional and may return a promise, which `fit` awaits. */
export interface Callback {
  onTrainBegin?(): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  /** After each batch, with its loss. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** After each epoch, with the epoch's mean training loss and the validation loss. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
}

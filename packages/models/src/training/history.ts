/** Logged values for one epoch or one batch: `loss`, `val_loss`, and any other term. */
export type Logs = Record<string, number>;

/**
 * What `fit` returns, as in Keras: `history.history.loss[e]` is the training
 * loss of epoch e, `history.history.val_loss[e]` the validation loss.
 */
export class History {
  /** The epochs run, 0-based. */
  readonly epoch: number[] = [];
  /** Each logged term by name, one value per epoch. */
  readonly history: Record<string, number[]> = {};

  /** Records the logs of one epoch. */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}

/** Logged values for one epoch or one batch: `loss`, `val_loss`, and any other term. */
export type Logs = Record<string, number>;

/** A `History` as plain JSON: what `toJSON()` gives (NaN and the infinities become null, as JSON has no such numbers). */
export interface HistoryJson {
  epoch: number[];
  history: Record<string, (number | null)[]>;
}

/**
 * What `fit` returns, as in Keras: `history.history.loss[e]` is the training
 * loss of epoch e, `history.history.val_loss[e]` the validation loss.
 */
export class History {
  /** The epochs run, 0-based. */
  readonly epoch: number[] = [];
  /** Each logged term by name, one value per epoch. */
  readonly history: Record<string, number[]> = {};
  /** Each epoch's logs as recorded, so a term missing from some epochs still lines up in `toCSV`. */
  private readonly rows: Logs[] = [];

  /** Records the logs of one epoch. */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    this.rows.push({ ...logs });
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }

  /** Every term logged in any epoch, in the order first seen. */
  get terms(): string[] {
    const seen = new Set<string>();
    for (const row of this.rows) for (const key of Object.keys(row)) seen.add(key);
    return [...seen];
  }

  /**
   * The epochs and terms as plain JSON, so `JSON.stringify(history)` gives a
   * file a run folder can keep.
   *
   * @example
   * const history = await model.fit(x, x, { epochs: 10 });
   * await writeFileAtomic('run/history.json', JSON.stringify(history, null, 2));
   */
  toJSON(): HistoryJson {
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    return {
      epoch: [...this.epoch],
      history: Object.fromEntries(Object.entries(this.history).map(([key, values]) => [key, values.map(finite)])),
    };
  }

  /**
   * The history as CSV, as Keras's CSVLogger writes it: a header `epoch,` then
   * every logged term, and one row per epoch (0-based); a term an epoch did not
   * log is an empty cell. Values keep full precision.
   *
   * @example
   * history.toCSV(); // "epoch,loss,val_loss\n0,0.0412,0.0315\n1,0.0254,0.0221\n"
   */
  toCSV(): string {
    const terms = this.terms;
    const lines = [['epoch', ...terms].map(csvField).join(',')];
    this.rows.forEach((row, i) => {
      lines.push([String(this.epoch[i]), ...terms.map((t) => (t in row ? String(row[t]) : ''))].join(','));
    });
    return lines.join('\n') + '\n';
  }
}

/** A header cell, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

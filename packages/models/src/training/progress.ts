import type { Callback } from './callbacks.js';
import type { Logs } from './history.js';

/** Formats a logged value as Keras does: four decimals, or scientific notation below 1e-3. */
export function formatLogValue(value: number): string {
  return Math.abs(value) >= 1e-3 || value === 0 ? value.toFixed(4) : value.toExponential(4);
}

/** One epoch's summary line: `Epoch 3/10 - 2.1s - loss: 0.0197 - val_loss: 0.0151`. */
export function formatEpochLine(epoch: number, epochs: number, seconds: number, logs: Logs): string {
  const terms = Object.entries(logs).map(([key, value]) => ` - ${key}: ${formatLogValue(value)}`);
  return `Epoch ${epoch + 1}/${epochs} - ${seconds.toFixed(1)}s${terms.join('')}`;
}

/** Prints one line per epoch through `print` (default `console.log`). */
export function epochLogger(epochs: number, print: (line: string) => void = console.log): Callback {
  let started = 0;
  return {
    onEpochBegin() {
      started = performance.now();
    },
    onEpochEnd(epoch, logs) {
      print(formatEpochLine(epoch, epochs, (performance.now() - started) / 1000, logs));
    },
  };
}

/** The part of a Node terminal stream the live bar needs; reached through globalThis, so no `node:` import. */
export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

/** Standard output when it is an interactive terminal, else null (a pipe, a file, a CI log, a browser). */
export function interactiveTerminal(): TerminalStream | null {
  const stdout = (globalThis as { process?: { stdout?: TerminalStream } }).process?.stdout;
  return stdout?.isTTY ? stdout : null;
}

/**
 * A live progress bar for a terminal: step/steps, ETA and the running mean of
 * the batch losses, redrawn in place at most ten times a second (cut to the
 * terminal's width, so a narrow window does not wrap it), then the epoch's
 * summary line.
 *
 * @example
 * const bar = progressBar(10, process.stdout); // what fit uses with verbose 1 in a terminal
 */
export function progressBar(epochs: number, stream: TerminalStream): Callback {
  let steps = 0;
  let started = 0;
  let lastDraw = -Infinity;
  let lossSum = 0;
  let epochNow = 0;
  // True while a bar is drawn without its line ended: a run stopped mid-epoch still ends it.
  let open = false;
  const fit = (line: string) => (stream.columns && stream.columns > 1 ? line.slice(0, stream.columns - 1) : line);
  return {
    setParams(params) {
      steps = params.steps;
    },
    onEpochBegin(epoch) {
      epochNow = epoch;
      started = performance.now();
      lastDraw = -Infinity;
      lossSum = 0;
    },
    onBatchEnd(batch, logs) {
      lossSum += logs.loss;
      const now = performance.now();
      if (now - lastDraw < 100 && batch + 1 < steps) return;
      lastDraw = now;
      const done = batch + 1;
      const width = 30;
      const filled = Math.round((width * done) / steps);
      const bar = '='.repeat(Math.max(filled - 1, 0)) + (done < steps ? '>' : '=') + '.'.repeat(width - filled);
      const eta = formatDuration((((now - started) / done) * (steps - done)) / 1000);
      const line = `Epoch ${epochNow + 1}/${epochs} [${bar}] ${done}/${steps} - ETA ${eta} - loss: ${formatLogValue(lossSum / done)}`;
      stream.write(`\r${fit(line)}\x1b[K`);
      open = true;
    },
    onEpochEnd(epoch, logs) {
      stream.write(`\r${formatEpochLine(epoch, epochs, (performance.now() - started) / 1000, logs)}\x1b[K\n`);
      open = false;
    },
    onTrainEnd() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}

/** Seconds as `4.2s` below a minute, `3:07` below an hour, `1:02:03` above (as Keras's progress bar). */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

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

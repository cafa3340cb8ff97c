import { describe, expect, it } from 'vitest';
import { formatEpochLine, formatLogValue } from '@aekit/models';

describe('progress lines', () => {
  it('prints an epoch the way Keras does', () => {
    expect(formatEpochLine(2, 10, 2.08, { loss: 0.0197, val_loss: 0.0151 })).toBe('Epoch 3/10 - 2.1s - loss: 0.0197 - val_loss: 0.0151');
  });

  it('switches to scientific notation below 1e-3', () => {
    expect(formatLogValue(0.00042)).toBe('4.2000e-4');
    expect(formatLogValue(0.0051)).toBe('0.0051');
  });
});

import { describe, expect, it } from 'vitest';
import { History } from '@aekit/models';

function sample(): History {
  const h = new History();
  h.record(0, { loss: 0.5, val_loss: 0.25 });
  h.record(1, { loss: 0.125, val_loss: 0.0625, learning_rate: 0.001 });
  h.record(2, { loss: Number.NaN, val_loss: 0.03125, learning_rate: 0.0005 });
  return h;
}

describe('History', () => {
  it('writes CSV with an epoch column and every term, a term missing from an epoch left empty', () => {
    expect(sample().toCSV()).toBe(
      ['epoch,loss,val_loss,learning_rate', '0,0.5,0.25,', '1,0.125,0.0625,0.001', '2,NaN,0.03125,0.0005', ''].join('\n'),
    );
  });

  it('keeps full precision in CSV and quotes a header cell that needs it', () => {
    const h = new History();
    h.record(0, { loss: 1 / 3, 'a,b': 2 });
    expect(h.toCSV()).toBe(`epoch,loss,"a,b"\n0,${String(1 / 3)},2\n`);
    expect(Number(h.toCSV().split('\n')[1].split(',')[1])).toBe(1 / 3);
  });

  it('gives plain JSON, NaN as null, that JSON.stringify uses', () => {
    const h = sample();
    expect(h.toJSON()).toEqual({
      epoch: [0, 1, 2],
      history: { loss: [0.5, 0.125, null], val_loss: [0.25, 0.0625, 0.03125], learning_rate: [0.001, 0.0005] },
    });
    expect(JSON.parse(JSON.stringify(h))).toEqual(h.toJSON());
  });

  it('gives a header only for an empty run', () => {
    expect(new History().toCSV()).toBe('epoch\n');
    expect(new History().toJSON()).toEqual({ epoch: [], history: {} });
  });
});

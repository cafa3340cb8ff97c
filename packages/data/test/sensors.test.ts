import { describe, expect, it } from 'vitest';
import { factorySensors, type SensorFaultKind } from '../src/sensors.js';

describe('factorySensors', () => {
  const data = factorySensors({ seed: 3 });
  const sensors = data.names.length;

  it('has the requested shape, names and a fault-free training part', () => {
    expect(data.values.shape).toEqual([6000, 6]);
    expect(data.clean.shape).toEqual([6000, 6]);
    expect(data.names).toEqual(['temperature_C', 'pressure_bar', 'vibration_mm_s', 'current_A', 'flow_l_min', 'speed_rpm']);
    expect(data.faultFrom).toBe(3000);
    expect(data.labels.subarray(0, 3000).every((l) => l === 0)).toBe(true);
    expect(data.values.values.every(Number.isFinite)).toBe(true);
  });

  it('injects every kind of fault, each labelled exactly over its steps and sensor', () => {
    const counts: Record<SensorFaultKind, number> = { spike: 0, drift: 0, stuck: 0 };
    const labels = new Uint8Array(6000);
    const mask = new Uint8Array(6000 * sensors);
    for (const fault of data.faults) {
      counts[fault.kind]++;
      expect(fault.start).toBeGreaterThanOrEqual(data.faultFrom);
      for (let t = fault.start; t < fault.end; t++) {
        expect(data.kinds[t]).toBe(fault.kind);
        labels[t] = 1;
        mask[t * sensors + fault.sensor] = 1;
      }
    }
    expect(counts).toEqual({ spike: 3, drift: 3, stuck: 3 });
    expect(data.labels).toEqual(labels);
    expect(data.faultMask).toEqual(mask);
    data.kinds.forEach((kind, t) => expect(kind === null).toBe(labels[t] === 0));
  });

  it('changes the readings exactly where the mask says, in the way each kind says', () => {
    const v = data.values.values;
    const c = data.clean.values;
    v.forEach((value, i) => {
      if (data.faultMask[i] === 0) expect(value).toBe(c[i]);
    });
    for (const { kind, sensor, start, end } of data.faults) {
      const at = (t: number) => t * sensors + sensor;
      const spread = Math.max(...Array.from({ length: 600 }, (_, t) => c[at(t)])) - Math.min(...Array.from({ length: 600 }, (_, t) => c[at(t)]));
      if (kind === 'spike') {
        expect(end - start).toBeLessThanOrEqual(3);
        for (let t = start; t < end; t++) expect(Math.abs(v[at(t)] - c[at(t)])).toBeGreaterThan(spread / 4);
      } else if (kind === 'drift') {
        const offsets = Array.from({ length: end - start }, (_, k) => v[at(start + k)] - c[at(start + k)]);
        // A ramp: its size grows step by step, and it ends large.
        for (let k = 1; k < offsets.length; k++) expect(Math.abs(offsets[k])).toBeGreaterThan(Math.abs(offsets[k - 1]) - 1e-3 * spread);
        expect(Math.abs(offsets[offsets.length - 1])).toBeGreaterThan(spread / 4);
        expect(offsets[0]).not.toBe(0);
      } else {
        expect(end - start).toBeGreaterThan(10);
        for (let t = start; t < end; t++) expect(v[at(t)]).toBe(c[at(start - 1)]);
      }
    }
  });

  it('makes correlated sensors (shared drivers)', () => {
    const n = 3000;
    const column = (s: number) => Array.from({ length: n }, (_, t) => data.clean.values[t * sensors + s]);
    const corr = (a: number[], b: number[]) => {
      const ma = a.reduce((x, y) => x + y) / n;
      const mb = b.reduce((x, y) => x + y) / n;
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let t = 0; t < n; t++) {
        ab += (a[t] - ma) * (b[t] - mb);
        aa += (a[t] - ma) ** 2;
        bb += (b[t] - mb) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    let strongest = 0;
    for (let i = 0; i < sensors; i++) for (let j = i + 1; j < sensors; j++) strongest = Math.max(strongest, Math.abs(corr(column(i), column(j))));
    expect(strongest).toBeGreaterThan(0.5);
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const again = factorySensors({ seed: 3 });
    expect(again.values.values).toEqual(data.values.values);
    expect(again.faults).toEqual(data.faults);
    expect(factorySensors({ seed: 4 }).values.values).not.toEqual(data.values.values);
  });

  it('honours small sizes, extra sensors and no faults', () => {
    const small = factorySensors({ seed: 1, steps: 400, sensors: 8, faultsPerKind: 1, faultFrom: 100 });
    expect(small.values.shape).toEqual([400, 8]);
    expect(small.names.slice(6)).toEqual(['sensor_7', 'sensor_8']);
    expect(new Set(small.faults.map((f) => f.kind))).toEqual(new Set(['spike', 'drift', 'stuck']));
    const none = factorySensors({ seed: 1, steps: 100, faultsPerKind: 0 });
    expect(none.faults).toEqual([]);
    expect(none.values.values).toEqual(none.clean.values);
  });

  it('rejects options that do not fit, naming them', () => {
    expect(() => factorySensors({ steps: 100, faultsPerKind: 3 })).toThrow('9 faults need at least 180 steps after faultFrom 50, but there are 50');
    expect(() => factorySensors({ sensors: 1 })).toThrow('sensors must be an integer of at least 2, got 1');
    expect(() => factorySensors({ noise: -1 })).toThrow('noise must be a finite number ≥ 0, got -1');
    expect(() => factorySensors({ steps: 10, faultFrom: 11 })).toThrow('faultFrom must be an integer in [1, 10], got 11');
  });
});

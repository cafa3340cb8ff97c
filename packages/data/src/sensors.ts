import { Random, Tensor } from '@aekit/core';

/** The kinds of fault {@link factorySensors} injects. */
export type SensorFaultKind = 'spike' | 'drift' | 'stuck';

/** One injected fault: `kind` on `sensor` over steps `start` (inclusive) to `end` (exclusive). */
export interface SensorFault {
  kind: SensorFaultKind;
  sensor: number;
  start: number;
  end: number;
}

/** Options for {@link factorySensors}. */
export interface FactorySensorsOptions {
  /** Seed of the generator; the same seed gives the same data. Default 0. */
  seed?: number;
  /** Time steps. Default 6000. */
  steps?: number;
  /** Number of sensors, at least 2. Default 6. */
  sensors?: number;
  /** Measurement noise, as a fraction of each sensor's scale. Default 0.05. */
  noise?: number;
  /** Faults of each kind. Default 3 (so 9 faults). */
  faultsPerKind?: number;
  /** First step a fault may touch; the steps before are normal, for training. Default `steps / 2`. */
  faultFrom?: number;
}

/** A generated factory sensor series with its ground truth. */
export interface FactorySensors {
  /** The readings, `[steps, sensors]`, in each sensor's own units. */
  values: Tensor;
  /** The same readings without the faults (noise included), `[steps, sensors]`. */
  clean: Tensor;
  /** Each sensor's name (and unit). */
  names: string[];
  /** 1 at every step inside a fault, 0 elsewhere. */
  labels: Uint8Array;
  /** The kind of fault at each step, or null. */
  kinds: (SensorFaultKind | null)[];
  /** 1 where a reading is faulty, `[steps, sensors]` row-major. */
  faultMask: Uint8Array;
  /** The faults in time order. */
  faults: SensorFault[];
  /** The first step a fault may touch (the steps before are normal). */
  faultFrom: number;
}

// Base level and scale of the first sensors, so each reads in plausible units
// and the data needs standardising like real data would.
const SENSORS: readonly { name: string; level: number; scale: number }[] = [
  { name: 'temperature_C', level: 65, scale: 4 },
  { name: 'pressure_bar', level: 6, scale: 0.4 },
  { name: 'vibration_mm_s', level: 3, scale: 0.8 },
  { name: 'current_A', level: 40, scale: 6 },
  { name: 'flow_l_min', level: 120, scale: 15 },
  { name: 'speed_rpm', level: 1450, scale: 30 },
];

/** The machine's cycle and the slower shift pattern, in steps. */
const CYCLE = 50;
const SHIFT = 600;

/**
 * Generates a "factory sensor" data set: several sensors driven by shared
 * hidden causes, so they are correlated, with noise and injected faults.
 *
 * Every sensor mixes three shared drivers with its own weights and phase: the
 * machine's cycle (period 50 steps), a slow shift pattern (period 600) and a
 * wandering load (a smooth AR(1) walk); then adds Gaussian noise of `noise`
 * times its scale. Faults start at `faultFrom` (the steps before are normal, to
 * train on), one at a time, each in its own slot of the remaining steps, on a
 * random sensor, kinds in random order:
 *
 * - **spike**: 1–3 steps offset by ±3–6 scales (a glitch);
 * - **drift**: an offset ramping linearly to ±1.5–3 scales over 40–70% of a slot (a calibration drift), then gone;
 * - **stuck**: the reading frozen at its last good value for 25–50% of a slot (a dead sensor).
 *
 * @param options - Seed, size, noise and fault counts.
 * @returns The readings, the fault-free readings, and the faults with per-step labels and kinds.
 * @throws {RangeError} when the options are out of range or the faults do not fit after `faultFrom`.
 * @example
 * ```ts
 * const data = factorySensors({ seed: 1 });
 * const train = data.values;           // slice steps [0, data.faultFrom) for training
 * data.faults[0];                      // e.g. { kind: 'drift', sensor: 3, start: 3120, end: 3310 }
 * ```
 */
export function factorySensors(options: FactorySensorsOptions = {}): FactorySensors {
  const { seed = 0, steps = 6000, sensors = 6, noise = 0.05, faultsPerKind = 3 } = options;
  const faultFrom = options.faultFrom ?? Math.floor(steps / 2);
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new RangeError(`factorySensors: ${what}`);
  };
  check(Number.isInteger(steps) && steps >= 1, `steps must be a positive integer, got ${steps}`);
  check(Number.isInteger(sensors) && sensors >= 2, `sensors must be an integer of at least 2, got ${sensors}`);
  check(noise >= 0 && Number.isFinite(noise), `noise must be a finite number ≥ 0, got ${noise}`);
  check(Number.isInteger(faultsPerKind) && faultsPerKind >= 0, `faultsPerKind must be a non-negative integer, got ${faultsPerKind}`);
  check(Number.isInteger(faultFrom) && faultFrom >= 1 && faultFrom <= steps, `faultFrom must be an integer in [1, ${steps}], got ${faultFrom}`);
  const count = 3 * faultsPerKind;
  const slot = count === 0 ? 0 : Math.floor((steps - faultFrom) / count);
  check(count === 0 || slot >= 20, `${count} faults need at least ${20 * count} steps after faultFrom ${faultFrom}, but there are ${steps - faultFrom}`);

  const rng = new Random(seed);
  const specs = Array.from({ length: sensors }, (_, i) => ({
    name: SENSORS[i]?.name ?? `sensor_${i + 1}`,
    level: SENSORS[i]?.level ?? 10 * rng.uniform(1, 10),
    scale: SENSORS[i]?.scale ?? rng.uniform(0.5, 5),
    cycle: rng.uniform(0.5, 1) * (rng.next() < 0.5 ? -1 : 1),
    phase: rng.uniform(0, 0.6),
    shift: rng.uniform(0.2, 0.6),
    load: rng.uniform(0.3, 0.8),
  }));

  // The shared drivers, then each sensor's reading.
  const clean = new Float32Array(steps * sensors);
  let load = 0;
  for (let t = 0; t < steps; t++) {
    load = 0.995 * load + 0.1 * rng.normal();
    const shift = Math.sin((2 * Math.PI * t) / SHIFT);
    specs.forEach((s, i) => {
      const signal = s.cycle * Math.sin((2 * Math.PI * t) / CYCLE + s.phase) + s.shift * shift + s.load * Math.tanh(load);
      clean[t * sensors + i] = s.level + s.scale * (signal + noise * rng.normal());
    });
  }

  const values = clean.slice();
  const labels = new Uint8Array(steps);
  const kinds: (SensorFaultKind | null)[] = new Array<SensorFaultKind | null>(steps).fill(null);
  const faultMask = new Uint8Array(steps * sensors);
  const order = rng.shuffle(Array.from({ length: count }, (_, k): SensorFaultKind => (['spike', 'drift', 'stuck'] as const)[k % 3]));
  const faults = order.map((kind, k): SensorFault => {
    const length =
      kind === 'spike' ? 1 + rng.int(3) : Math.round(slot * (kind === 'drift' ? rng.uniform(0.4, 0.7) : rng.uniform(0.25, 0.5)));
    // A gap before each fault keeps neighbouring faults apart.
    const start = faultFrom + k * slot + 5 + rng.int(slot - 5 - length + 1);
    const sensor = rng.int(sensors);
    const { scale } = specs[sensor];
    const sign = rng.next() < 0.5 ? -1 : 1;
    const size = kind === 'spike' ? rng.uniform(3, 6) : rng.uniform(1.5, 3);
    const held = values[(start - 1) * sensors + sensor];
    for (let t = start; t < start + length; t++) {
      const at = t * sensors + sensor;
      if (kind === 'spike') values[at] += sign * size * scale;
      // The ramp is already non-zero at its first step, so every labelled step differs.
      else if (kind === 'drift') values[at] += (sign * size * scale * (t - start + 1)) / length;
      else values[at] = held;
      labels[t] = 1;
      kinds[t] = kind;
      faultMask[at] = 1;
    }
    return { kind, sensor, start, end: start + length };
  });

  return {
    values: new Tensor(values, [steps, sensors]),
    clean: new Tensor(clean, [steps, sensors]),
    names: specs.map((s) => s.name),
    labels,
    kinds,
    faultMask,
    faults,
    faultFrom,
  };
}

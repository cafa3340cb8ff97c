import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpText, parseOptions, UsageError, type OptionSpecs } from '../src/args.js';

const specs: OptionSpecs = {
  model: { type: 'string', description: 'The type', choices: ['dense', 'vae'], default: 'dense' },
  epochs: { type: 'integer', description: 'Passes', default: 10, min: 1 },
  noise: { type: 'number', description: 'Factor', default: 0.2, min: 0, max: 1 },
  out: { type: 'string', description: 'Folder', placeholder: 'DIR' },
  quiet: { type: 'boolean', description: 'Silence' },
};

const parse = (argv: string[]) => parseOptions('train', argv, specs);
const failure = (argv: string[]) => {
  try {
    parse(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
};

describe('parseOptions', () => {
  it('fills defaults and reads given values with their types', () => {
    const { options, help } = parse(['--epochs', '3', '--model=vae', '--quiet']);
    expect(help).toBe(false);
    expect(options.number('epochs')).toBe(3);
    expect(options.string('model')).toBe('vae');
    expect(options.number('noise')).toBe(0.2);
    expect(options.flag('quiet')).toBe(true);
    expect(options.given('epochs')).toBe(true);
    expect(options.given('noise')).toBe(false);
    expect(options.string('out', true)).toBeUndefined();
    expect(() => options.string('out')).toThrow('train: --out is required');
  });

  it('sees --help and -h', () => {
    expect(parse(['--help']).help).toBe(true);
    expect(parse(['-h']).help).toBe(true);
  });

  it('names the option and what came for every kind of mistake', () => {
    expect(failure(['--epoch', '3'])).toMatch(/train: unknown option '--epoch'/);
    expect(failure(['--epochs', 'ten'])).toBe("train: --epochs must be an integer; got 'ten'");
    expect(failure(['--epochs', '2.5'])).toBe("train: --epochs must be an integer; got '2.5'");
    expect(failure(['--epochs', '0'])).toBe('train: --epochs must be at least 1; got 0');
    expect(failure(['--noise', '1.5'])).toBe('train: --noise must be in [0, 1]; got 1.5');
    expect(failure(['--noise', ''])).toBe("train: --noise must be a number; got ''");
    expect(failure(['--model', 'gan'])).toBe("train: --model must be one of dense, vae; got 'gan'");
    expect(failure(['--out'])).toMatch(/train: .*--out/);
    expect(failure(['stray'])).toMatch(/train: .*stray/);
  });

  it('accepts every integer in range and rejects every one below it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        if (n >= 1) expect(parse(['--epochs', String(n)]).options.number('epochs')).toBe(n);
        else expect(failure(['--epochs', String(n)])).toBe(`train: --epochs must be at least 1; got ${n}`);
      }),
    );
  });
});

describe('helpText', () => {
  it('lists every option with its placeholder, choices and default', () => {
    const text = helpText('train', 'Trains.', specs, ['aekit train --epochs 1']);
    expect(text).toContain('Usage: aekit train [options]');
    expect(text).toMatch(/--model TEXT\s+The type \(one of: dense, vae; default: dense\)/);
    expect(text).toMatch(/--epochs N\s+Passes \(default: 10\)/);
    expect(text).toMatch(/--out DIR\s+Folder/);
    expect(text).toMatch(/--quiet\s+Silence/);
    expect(text).toContain('  aekit train --epochs 1');
  });
});

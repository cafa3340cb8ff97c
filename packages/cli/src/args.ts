import { parseArgs } from 'node:util';

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One option of a command, as `--kebab-case` on the command line. */
export interface OptionSpec {
  type: 'string' | 'integer' | 'number' | 'boolean';
  description: string;
  default?: string | number | boolean;
  /** The only values a string option accepts. */
  choices?: readonly string[];
  /** Inclusive bounds of a numeric option. */
  min?: number;
  max?: number;
  /** The placeholder in help text, e.g. `N` or `DIR`. */
  placeholder?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** The parsed, validated options of one command; every declared option has its value or default. */
export class Options {
  constructor(
    private readonly command: string,
    private readonly values: Map<string, string | number | boolean | undefined>,
  ) {}

  private get(name: string): string | number | boolean | undefined {
    if (!this.values.has(name)) throw new Error(`${this.command}: option --${name} is not declared`);
    return this.values.get(name);
  }

  /** Whether the user gave the option (rather than its default). */
  given(name: string): boolean {
    return this.values.get(`given:${name}`) === true;
  }

  string(name: string): string;
  string(name: string, optional: true): string | undefined;
  string(name: string, optional = false): string | undefined {
    const v = this.get(name);
    if (v === undefined && !optional) throw new UsageError(`${this.command}: --${name} is required`);
    return v === undefined ? undefined : String(v);
  }

  number(name: string): number;
  number(name: string, optional: true): number | undefined;
  number(name: string, optional = false): number | undefined {
    const v = this.get(name);
    if (v === undefined && !optional) throw new UsageError(`${this.command}: --${name} is required`);
    return v === undefined ? undefined : Number(v);
  }

  flag(name: string): boolean {
    return this.get(name) === true;
  }
}

/**
 * Parses `argv` against `specs`: unknown options, missing values, numbers
 * that are not numbers, values outside their range or choices all become a
 * `UsageError` naming the option and what came.
 */
export function parseOptions(command: string, argv: readonly string[], specs: OptionSpecs): { options: Options; help: boolean } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinNegativeNumbers(argv, specs),
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(
          Object.entries(specs).map(([name, spec]) => [name, { type: spec.type === 'boolean' ? 'boolean' : 'string' } as const]),
        ),
      },
    });
  } catch (error) {
    // Node's messages are clear but long and mention parseArgs; keep the first sentence.
    const message = (error as Error).message.split('. ')[0].replace(/^Unknown option '(.+)'$/, "unknown option '$1'");
    throw new UsageError(`${command}: ${message} (see aekit ${command} --help)`);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values = new Map<string, string | number | boolean | undefined>();
  for (const [name, spec] of Object.entries(specs)) {
    const given = raw[name];
    values.set(`given:${name}`, given !== undefined);
    values.set(name, given === undefined ? spec.default : convert(command, name, spec, given));
  }
  return { options: new Options(command, values), help: raw.help === true };
}

/**
 * `--epochs -3` as `--epochs=-3`: parseArgs takes a value that starts with a dash
 * for an option, so a negative number would be reported as ambiguous instead of
 * reaching the range check that says what is wrong with it.
 */
function joinNegativeNumbers(argv: readonly string[], specs: OptionSpecs): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const spec = argv[i].startsWith('--') ? specs[argv[i].slice(2)] : undefined;
    const next = argv[i + 1];
    if (spec && (spec.type === 'integer' || spec.type === 'number') && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${argv[i]}=${next}`);
      i++;
    } else {
      joined.push(argv[i]);
    }
  }
  return joined;
}

function convert(command: string, name: string, spec: OptionSpec, given: string | boolean): string | number | boolean {
  if (spec.type === 'boolean') return given;
  const text = String(given);
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(text)) {
      throw new UsageError(`${command}: --${name} must be one of ${spec.choices.join(', ')}; got '${text}'`);
    }
    return text;
  }
  const value = Number(text);
  const integer = spec.type === 'integer';
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${command}: --${name} must be ${integer ? 'an integer' : 'a number'}; got '${text}'`);
  }
  if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
    const range = spec.max === undefined ? `at least ${spec.min}` : spec.min === undefined ? `at most ${spec.max}` : `in [${spec.min}, ${spec.max}]`;
    throw new UsageError(`${command}: --${name} must be ${range}; got ${value}`);
  }
  return value;
}

/** The `--help` text of one command: usage, summary and every option with its default. */
export function helpText(command: string, summary: string, specs: OptionSpecs, examples: readonly string[] = []): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const placeholder = spec.type === 'boolean' ? '' : ` ${spec.placeholder ?? (spec.type === 'string' ? 'TEXT' : 'N')}`;
    const notes = [
      spec.choices ? `one of: ${spec.choices.join(', ')}` : '',
      spec.default !== undefined && spec.type !== 'boolean' ? `default: ${spec.default}` : '',
    ].filter(Boolean);
    return [`  --${name}${placeholder}`, spec.description + (notes.length ? ` (${notes.join('; ')})` : '')];
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    `Usage: aekit ${command} [options]`,
    '',
    summary,
    '',
    'Options:',
    ...rows.map(([left, right]) => left.padEnd(width) + right),
    `  --help`.padEnd(width) + 'Show this help',
    ...(examples.length ? ['', 'Examples:', ...examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

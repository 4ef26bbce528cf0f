/**
 * A small, strict argument parser: `--name value`, `--name=value`, boolean `--flag`, and
 * positionals. Unknown options are errors (exit code 2), never silently ignored.
 */
import { parseFormatRules } from '../core/populate.ts';
import type { FormatRule } from '../core/secrets.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** 'string' takes a value; 'int' takes a whole number; 'boolean' takes none. */
  type: 'string' | 'int' | 'boolean';
  /** For int: the smallest accepted value. */
  min?: number;
  max?: number;
}

export interface Parsed {
  positionals: string[];
  options: Record<string, string | number | boolean | undefined>;
}

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): Parsed {
  const positionals: string[] = [];
  const options: Parsed['options'] = {};
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '-h') {
      options['help'] = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option --${name}`);
    if (s.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
    }
    if (s.type === 'int') {
      if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} needs a whole number, got "${value}"`);
      const n = Number(value);
      if (s.min !== undefined && n < s.min) throw new UsageError(`--${name} must be at least ${s.min}`);
      if (s.max !== undefined && n > s.max) throw new UsageError(`--${name} must be at most ${s.max}`);
      options[name] = n;
    } else {
      options[name] = value;
    }
  }
  return { positionals, options };
}

/** The `--rule PATTERN=FORMAT[,PATTERN=FORMAT…]` option of populate and rotate, as checked format rules. */
export function ruleOption(value: unknown): FormatRule[] {
  const rawRules: Record<string, string> = {};
  if (typeof value === 'string') {
    for (const part of value.split(',')) {
      const eq = part.lastIndexOf('=');
      if (eq <= 0) throw new UsageError(`--rule needs PATTERN=FORMAT, got "${part}"`);
      rawRules[part.slice(0, eq)] = part.slice(eq + 1);
    }
  }
  const { rules, errors } = parseFormatRules(rawRules);
  if (errors.length) throw new UsageError(errors.join('; '));
  return rules;
}

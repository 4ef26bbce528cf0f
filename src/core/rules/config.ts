/**
 * Rule configuration: defaults, and a compiled form cached per config object (severity table,
 * name prescreen), so that analysing a document costs no set-up.
 */
import type { FormatId } from '../formats.ts';
import { DEFAULT_SECRET_NAME_PATTERNS, inferFormat, isSecretName, splitKeyName } from '../secrets.ts';
import { compileClientPrefixes, type ClientPrefix } from './client.ts';
import { RULES, isRuleCode, type RuleCode, type RuleConfig, type Severity } from './types.ts';

export const DEFAULT_MIN_BITS = 128;
export const DEFAULT_LEAK_BITS = 64;

export const DEFAULT_RULE_CONFIG: RuleConfig = Object.freeze({
  disabled: Object.freeze([]) as readonly RuleCode[],
  severities: Object.freeze({}),
  secretPatterns: Object.freeze([]) as readonly string[],
  placeholders: Object.freeze([]) as readonly string[],
  minBits: DEFAULT_MIN_BITS,
  leakBits: DEFAULT_LEAK_BITS,
});

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'hint']);

export interface CompiledConfig {
  /** Severity override per code (undefined: keep the finding's own), or null when the rule is off. */
  readonly severity: Readonly<Record<RuleCode, Severity | null | undefined>>;
  readonly placeholders: readonly string[];
  readonly minBits: number;
  readonly leakBits: number;
  /** client-exposed-secret prefixes, longest first. */
  readonly clientPrefixes: readonly ClientPrefix[];
  isSecret(key: string): boolean;
  /** inferFormat(key) with this config's patterns (null: not generatable, e.g. a PEM private key). */
  formatFor(key: string, django: boolean): FormatId | null;
}

/**
 * A cheap necessary condition for matching any of `patterns` (syntax of src/core/secrets.ts): the
 * lower-cased key must contain, for some pattern, that pattern's longest literal run (globs) or its
 * first word (word fragments: a key word equal to it, or to it plus digits, contains it). Null when
 * a pattern is a regex (no such condition).
 */
function literalPrescreen(patterns: readonly string[]): readonly string[] | null {
  const needles = new Set<string>();
  for (const raw of patterns) {
    const p = raw.trim();
    if (p.length >= 3 && p.startsWith('/') && p.lastIndexOf('/') > 1) return null;
    if (p.includes('*')) {
      let best = '';
      for (const part of p.split('*')) if (part.length > best.length) best = part;
      if (best === '') return null; // '*' alone matches everything
      needles.add(best.toLowerCase());
    } else {
      const words = splitKeyName(p);
      if (words.length > 0) needles.add(words[0]!.toLowerCase());
    }
  }
  // Drop needles that contain another needle: the shorter one already covers them.
  const list = [...needles];
  return list.filter((n) => !list.some((m) => m !== n && n.includes(m)));
}

const DEFAULT_NEEDLES = literalPrescreen(DEFAULT_SECRET_NAME_PATTERNS);

function compile(config: RuleConfig): CompiledConfig {
  const severity = {} as Record<RuleCode, Severity | null | undefined>;
  for (const r of RULES) severity[r.code] = undefined;
  for (const [code, sev] of Object.entries(config.severities ?? {})) {
    if (!isRuleCode(code) || sev === undefined) continue;
    if (sev === 'off') severity[code] = null;
    else if (SEVERITIES.has(sev)) severity[code] = sev;
  }
  for (const code of config.disabled ?? []) if (isRuleCode(code)) severity[code] = null;

  const secretPatterns = [...(config.secretPatterns ?? [])];
  const extra = literalPrescreen(secretPatterns);
  const needles = DEFAULT_NEEDLES === null || extra === null ? null : needleRegExp([...DEFAULT_NEEDLES, ...extra]);
  const num = (v: number | undefined, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    severity,
    placeholders: [...(config.placeholders ?? [])],
    minBits: num(config.minBits, DEFAULT_MIN_BITS),
    leakBits: num(config.leakBits, DEFAULT_LEAK_BITS),
    clientPrefixes: compileClientPrefixes(Array.isArray(config.clientPrefixes) ? config.clientPrefixes : []),
    // No cache per key name: classifying a name costs about as much as a Map lookup of a key
    // string never seen before (each parse makes new strings), which is what a first analysis
    // (and every key of a file opened or changed on disk) does.
    // Without patterns of its own, isSecretName's scan of the key is cheaper than the prescreen
    // (a necessary condition of it: skipping it changes nothing).
    isSecret:
      secretPatterns.length === 0
        ? (key) => isSecretName(key)
        : (key) => mayMatch(key, needles) && isSecretName(key, secretPatterns),
    formatFor(key, django) {
      return inferFormat(key, { defaultFormat: 'base64url', secretPatterns, isDjangoProject: django });
    },
  };
}

function needleRegExp(needles: readonly string[]): RegExp {
  return new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i');
}

/** False only when the key cannot match (see literalPrescreen). */
function mayMatch(key: string, needles: RegExp | null): boolean {
  return needles === null || needles.test(key);
}

const compiled = new WeakMap<RuleConfig, CompiledConfig>();
const byContent = new Map<string, CompiledConfig>();

function contentKey(c: RuleConfig): string {
  const sev = Object.entries(c.severities ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([[...(c.disabled ?? [])].sort(), sev, c.secretPatterns ?? [], c.placeholders ?? [], c.minBits ?? null, c.leakBits ?? null, c.clientPrefixes ?? []]);
}

/**
 * The compiled form of `config`. Cached per object and, since callers often build a fresh but
 * equal config for every analysis (from settings), per content too: equal configs share their
 * caches. Treat configs as immutable.
 */
export function compileRuleConfig(config: RuleConfig): CompiledConfig {
  let c = compiled.get(config);
  if (c !== undefined) return c;
  const key = contentKey(config);
  c = byContent.get(key);
  if (c === undefined) {
    c = compile(config);
    if (byContent.size >= 16) byContent.delete(byContent.keys().next().value!);
    byContent.set(key, c);
  }
  compiled.set(config, c);
  return c;
}

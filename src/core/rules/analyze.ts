/**
 * analyzeEnv: runs every rule over one .env document. See src/core/rules.ts for the rules.
 */
import { parseEnv, type EnvDocument, type EnvEntry } from '../envdoc.ts';
import { isEnvFileName, isExampleEnvFileName } from '../envfiles.ts';
import { guardFindings, hiddenKeys, pemMessage } from '../leakguard.ts';
import { compileRuleConfig, DEFAULT_RULE_CONFIG, type CompiledConfig } from './config.ts';
import { findSuppressions, isSuppressed } from './suppress.ts';
import { RULES, type AnalyzeInput, type Finding, type FixHint, type RuleCode, type RuleConfig, type Severity } from './types.ts';
import { assessWeak, looksLikeRealSecret } from './weak.ts';

const RULE_ORDER: Readonly<Record<string, number>> = Object.fromEntries(RULES.map((r, i) => [r.code, i]));
const DEFAULT_SEVERITY: Readonly<Record<string, Severity>> = Object.fromEntries(RULES.map((r) => [r.code, r.defaultSeverity]));
const FILE_LEVEL: ReadonlySet<RuleCode> = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.code));

export class Collector {
  readonly findings: Finding[] = [];
  private readonly cfg: CompiledConfig;
  constructor(cfg: CompiledConfig) {
    this.cfg = cfg;
  }

  on(code: RuleCode): boolean {
    return this.cfg.severity[code] !== null;
  }

  add(
    code: RuleCode,
    line: number,
    start: number,
    end: number,
    message: string,
    extra?: { key?: string; fix?: FixHint; reason?: string; severity?: Severity },
  ): void {
    const override = this.cfg.severity[code];
    if (override === null) return;
    const severity = override ?? extra?.severity ?? DEFAULT_SEVERITY[code]!;
    const f: { -readonly [K in keyof Finding]: Finding[K] } = { code, severity, line, start, end, message };
    if (extra?.key !== undefined) f.key = extra.key;
    if (extra?.fix !== undefined) f.fix = extra.fix;
    if (extra?.reason !== undefined) f.reason = extra.reason;
    this.findings.push(f);
  }
}

/** Editor line (CR, LF, CRLF) of `offset`, counted from an entry whose `line` is known. */
function lineAt(text: string, entry: EnvEntry, offset: number): number {
  let line = entry.line;
  for (let i = entry.lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13) {
      line++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return line;
}

function firstLineEnd(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

function gitRules(input: AnalyzeInput, doc: EnvDocument, out: Collector): void {
  const git = input.git;
  if (git === undefined) return;
  const name = input.fileName;
  if (!isEnvFileName(name)) return;
  const end = firstLineEnd(doc.text);
  if (isExampleEnvFileName(name)) {
    if (git.ignored === true) {
      out.add('example-ignored', 0, 0, end, `${name} is ignored by git, so teammates won't get it. Remove it from .gitignore or add a '!${name}' exception.`);
    }
    return;
  }
  if (git.ignored === false) {
    let message = `${name} is not ignored by git: it would be committed. Add it to .gitignore.`;
    if (git.tracked === 'unknown' && git.trackingNote) message += ` Whether it is already committed is unknown (${git.trackingNote}).`;
    out.add('env-not-ignored', 0, 0, end, message, { fix: { kind: 'add-to-gitignore' } });
  }
  if (git.tracked === true) {
    out.add(
      'env-tracked',
      0,
      0,
      end,
      `${name} is already committed: ignoring it does not remove it from the repository. Run git rm --cached on it, commit, and rotate the secrets it held.`,
      { fix: { kind: 'untrack' } },
    );
  }
}

function syntaxRule(doc: EnvDocument, out: Collector): void {
  for (const p of doc.problems) {
    if (p.kind === 'duplicate-key') continue; // the duplicate-key rule reports these
    out.add('syntax', p.line, p.start, p.end, p.message, { key: p.key, reason: p.kind, severity: p.severity });
  }
}

/**
 * An unquoted multi-line PEM block (the leak guard finds it; guardFindings drops the findings on
 * its lines). A whole-document check: a block spans lines.
 */
function pemRule(doc: EnvDocument, out: Collector): void {
  for (const b of hiddenKeys(doc).blocks) {
    const begin = doc.nodes[b.begin]!;
    out.add('syntax', begin.line, b.owner?.keyStart ?? begin.lineStart, b.end, pemMessage(b), {
      ...(b.owner !== null ? { key: b.owner.key } : {}),
      reason: 'unquoted-pem',
      severity: 'error',
    });
  }
}

function duplicateRule(doc: EnvDocument, out: Collector): void {
  const entries = doc.entries;
  // Keys with an overridden occurrence (usually none: then this is one pass over `wins`).
  let dupKeys: Set<string> | null = null;
  for (const e of entries) {
    if (!e.wins && e.key !== '__proto__') (dupKeys ??= new Set()).add(e.key);
  }
  if (dupKeys === null) return;
  // Backwards: the first occurrence seen is the winner; each earlier one is "defined again" at
  // the occurrence seen just before it.
  const winnerLine = new Map<string, number>();
  const nextLine = new Map<string, number>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (!dupKeys.has(e.key)) continue;
    const w = winnerLine.get(e.key);
    if (w === undefined) {
      winnerLine.set(e.key, e.line);
      nextLine.set(e.key, e.line);
      continue;
    }
    const again = nextLine.get(e.key)!;
    nextLine.set(e.key, e.line);
    const message =
      again === w
        ? `${e.key} is defined again on line ${again + 1}; dotenv uses that last definition.`
        : `${e.key} is defined again on line ${again + 1}; dotenv uses the last definition (line ${w + 1}).`;
    out.add('duplicate-key', e.line, e.keyStart, e.keyEnd, message, { key: e.key, fix: { kind: 'remove-entry', key: e.key, entryIndex: e.index } });
  }
}

function secretRules(input: AnalyzeInput, doc: EnvDocument, cfg: CompiledConfig, example: boolean, out: Collector): void {
  const text = doc.text;
  const django = input.isDjangoProject === true;
  if (example) {
    if (!out.on('example-leak')) return;
    for (const e of doc.entries) {
      if (e.valueStart === e.valueEnd || e.key === '__proto__' || !cfg.isSecret(e.key)) continue;
      if (!looksLikeRealSecret(e.value, cfg)) continue;
      out.add('example-leak', lineAt(text, e, e.valueStart), e.valueStart, e.valueEnd, `${e.key} in an example file looks like a real secret; replace it with a placeholder.`, { key: e.key });
    }
    return;
  }
  if (!out.on('weak-secret')) return;
  for (const e of doc.entries) {
    if (!e.wins || e.value.length === 0 || !cfg.isSecret(e.key)) continue;
    const verdict = assessWeak(e.key, e.value, cfg, django);
    if (verdict === null) continue;
    out.add('weak-secret', lineAt(text, e, e.valueStart), e.valueStart, e.valueEnd, verdict.message, {
      key: e.key,
      reason: verdict.reason,
      fix: { kind: 'regenerate', key: e.key, entryIndex: e.index, format: verdict.format },
    });
  }
}

/** empty-secret: a winning secret-named key with an empty value, in a file that is not an example. */
function emptySecretRule(doc: EnvDocument, cfg: CompiledConfig, example: boolean, out: Collector): void {
  if (example || !out.on('empty-secret')) return;
  for (const e of doc.entries) {
    if (!e.wins || e.value.length !== 0 || e.key === '__proto__' || !cfg.isSecret(e.key)) continue;
    out.add('empty-secret', e.line, e.keyStart, e.keyEnd, `${e.key} is empty. Populate Empty Keys fills it with a fresh secret.`, {
      key: e.key,
      fix: { kind: 'populate', key: e.key },
    });
  }
}

function driftRule(input: AnalyzeInput, doc: EnvDocument, out: Collector): void {
  const cp = input.counterpart;
  if (cp === undefined || !out.on('example-drift')) return;
  const other = new Set(cp.keys);
  const seen = new Set<string>();
  // On each key's first definition, like exampleDrift() in src/core/example.ts.
  for (const e of doc.entries) {
    if (e.key === '__proto__' || other.has(e.key) || seen.has(e.key)) continue;
    seen.add(e.key);
    out.add('example-drift', e.line, e.keyStart, e.keyEnd, `${e.key} is missing from ${cp.name}.`, { key: e.key, fix: { kind: 'sync-example' } });
  }
}

/** Index of the node containing `offset` (nodes tile the text). */
function nodeIndexAt(doc: EnvDocument, offset: number): number {
  const nodes = doc.nodes;
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (nodes[mid]!.lineStart <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** What a check sees: the input, the document (or, for entry checks, part of it: see below), the compiled config. */
export interface CheckContext {
  readonly input: AnalyzeInput;
  readonly doc: EnvDocument;
  readonly cfg: CompiledConfig;
  /** The file is an example (.env.example, …). */
  readonly example: boolean;
}

/**
 * The one registry of checks, in rule order. `scope` says what a check may look at, which is what
 * lets an edit re-check only what it can change (src/core/rules/incremental.ts):
 * - 'entry': only the nodes, entries and problems in `ctx.doc`, where an entry brings every other
 *   occurrence of its key (so `wins`, duplicates and first occurrences are right), plus the input's
 *   file name, counterpart and Django flag. Its findings lie on those nodes. Incremental analysis
 *   runs it over just the re-parsed nodes and the occurrences of the keys they touch.
 * - 'file': anything in the document; run over the whole document on every analysis (keep it
 *   cheap: it runs on each keystroke).
 * New rules: add the code and info in types.ts (RULES) and the check here.
 */
export interface Check {
  readonly scope: 'entry' | 'file';
  /** Codes it reports (a check is skipped when all of them are off). */
  readonly codes: readonly RuleCode[];
  run(ctx: CheckContext, out: Collector): void;
}

export const CHECKS: readonly Check[] = [
  { scope: 'file', codes: ['env-not-ignored', 'example-ignored', 'env-tracked'], run: (c, out) => gitRules(c.input, c.doc, out) },
  { scope: 'entry', codes: ['syntax'], run: (c, out) => syntaxRule(c.doc, out) },
  { scope: 'file', codes: ['syntax'], run: (c, out) => pemRule(c.doc, out) },
  { scope: 'entry', codes: ['duplicate-key'], run: (c, out) => duplicateRule(c.doc, out) },
  { scope: 'entry', codes: ['weak-secret', 'example-leak'], run: (c, out) => secretRules(c.input, c.doc, c.cfg, c.example, out) },
  { scope: 'entry', codes: ['empty-secret'], run: (c, out) => emptySecretRule(c.doc, c.cfg, c.example, out) },
  { scope: 'entry', codes: ['example-drift'], run: (c, out) => driftRule(c.input, c.doc, out) },
];

/** Findings order: by offset, then rule order as in RULES, then end offset. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.start - b.start || RULE_ORDER[a.code]! - RULE_ORDER[b.code]! || a.end - b.end;
}

/** Runs the checks of one scope (or all) over `doc`, unsuppressed and unsorted. */
export function runChecks(input: AnalyzeInput, doc: EnvDocument, cfg: CompiledConfig, scope: 'entry' | 'file' | 'all'): Finding[] {
  const out = new Collector(cfg);
  const ctx: CheckContext = { input, doc, cfg, example: isExampleEnvFileName(input.fileName) };
  for (const check of CHECKS) {
    if (scope !== 'all' && check.scope !== scope) continue;
    if (!check.codes.some((c) => out.on(c))) continue;
    check.run(ctx, out);
  }
  return out.findings;
}

/** Drops the findings `# keysmith-ignore` directives of `doc` silence. */
export function applySuppressions(findings: Finding[], doc: EnvDocument): Finding[] {
  const sup = findings.length > 0 ? findSuppressions(doc) : null;
  if (sup === null) return findings;
  return findings.filter((f) => {
    if (isSuppressed(sup.file, f.code)) return false;
    if (FILE_LEVEL.has(f.code) || doc.nodes.length === 0) return true;
    return !isSuppressed(sup.nodes.get(nodeIndexAt(doc, f.start)), f.code);
  });
}

/**
 * Runs every enabled rule over one .env document and returns the findings sorted by offset (then
 * by rule order as in RULES, then end offset). Never throws on any text; messages never contain values.
 */
export function analyzeEnv(input: AnalyzeInput, config: RuleConfig = DEFAULT_RULE_CONFIG): Finding[] {
  const cfg = compileRuleConfig(config);
  const doc = input.doc ?? parseEnv(input.text);
  const findings = applySuppressions(runChecks(input, doc, cfg, 'all'), doc);
  findings.sort(compareFindings);
  // Key names that are key material are never shown (src/core/leakguard.ts).
  return guardFindings(doc, findings);
}

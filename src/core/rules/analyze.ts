/**
 * analyzeEnv: runs every rule over one .env document. See src/core/rules.ts for the rules.
 */
import { parseEnv, type EnvDocument, type EnvEntry } from '../envdoc.ts';
import { nodeIndexAt } from '../envdoc/parse.ts';
import { isEnvFileName, isExampleEnvFileName } from '../envfiles.ts';
import { guardFindings, hiddenKeys, pemMessage } from '../leakguard.ts';
import { compileRuleConfig, DEFAULT_RULE_CONFIG, type CompiledConfig } from './config.ts';
import { findSuppressions, isSuppressed } from './suppress.ts';
import { RULES, type AnalyzeInput, type Finding, type FixHint, type RuleCode, type RuleConfig, type Severity } from './types.ts';
import { detectSecretProvider, type ProviderMatch } from '../providers.ts';
import { forgetAscii } from '../asciicodes.ts';
import { forgetKeyScan, isPlaceholder } from '../secrets.ts';
import { forgetStrengthScratch } from '../strength.ts';
import { isUrlValue } from '../urlcreds.ts';
import { intendedValueSpan, readerFixEdit, readerList, readerMismatches, type OtherReaderId, type ReaderMismatch } from '../readers.ts';
import { clientExposure } from './client.ts';
import { assessUrlPassword, assessWeak, looksLikeRealSecret } from './weak.ts';

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

/** Live provider credentials held by the winning entries of a document (for the git rules). */
function providerSecrets(doc: EnvDocument, cfg: CompiledConfig): { key: string; match: ProviderMatch }[] {
  const found: { key: string; match: ProviderMatch }[] = [];
  for (const e of doc.entries) {
    if (!e.wins || e.value.length < 8) continue;
    const m = detectSecretProvider(e.value);
    if (m !== undefined && !isPlaceholder(e.value, cfg.placeholders)) found.push({ key: e.key, match: m });
  }
  return found;
}

/** ' It holds a live Stripe secret key (STRIPE_KEY) and 2 more provider credentials.' */
function holdsSentence(found: readonly { key: string; match: ProviderMatch }[]): string {
  const shown = found.slice(0, 3).map((f) => `${f.match.description} (${f.key})`);
  const more = found.length - shown.length;
  const list = shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]!}`;
  return ` It holds ${list}${more > 0 ? ` and ${more} more provider credential${more === 1 ? '' : 's'}` : ''}: rotate ${found.length === 1 ? 'it' : 'them'} if the file was ever pushed.`;
}

function gitRules(input: AnalyzeInput, doc: EnvDocument, cfg: CompiledConfig, out: Collector): void {
  const git = input.git;
  if (git === undefined) return;
  const name = input.fileName;
  if (!isEnvFileName(name)) return;
  // The first line's end, read only when there is a finding (the text of an open document is not built per keystroke otherwise).
  if (isExampleEnvFileName(name)) {
    if (git.ignored === true) {
      out.add('example-ignored', 0, 0, firstLineEnd(doc.text), `${name} is ignored by git, so teammates won't get it. Remove it from .gitignore or add a '!${name}' exception.`);
    }
    return;
  }
  const notIgnored = git.ignored === false && out.on('env-not-ignored');
  const tracked = git.tracked === true && out.on('env-tracked');
  if (!notIgnored && !tracked) return;
  const end = firstLineEnd(doc.text);
  // A file holding live provider credentials makes either finding an error that says what it holds.
  const found = providerSecrets(doc, cfg);
  const holds = found.length > 0 ? holdsSentence(found) : '';
  const escalate = found.length > 0 ? { severity: 'error' as const } : {};
  if (notIgnored) {
    let message = `${name} is not ignored by git: it would be committed. Add it to .gitignore.${holds}`;
    if (git.tracked === 'unknown' && git.trackingNote) message += ` Whether it is already committed is unknown (${git.trackingNote}).`;
    out.add('env-not-ignored', 0, 0, end, message, { fix: { kind: 'add-to-gitignore' }, ...escalate });
  }
  if (tracked) {
    out.add(
      'env-tracked',
      0,
      0,
      end,
      found.length > 0
        ? `${name} is already committed: ignoring it does not remove it from the repository. Run git rm --cached on it and commit.${holds}`
        : `${name} is already committed: ignoring it does not remove it from the repository. Run git rm --cached on it, commit, and rotate the secrets it held.`,
      { fix: { kind: 'untrack' }, ...escalate },
    );
  }
}

/** Readers that keep a '#' node dotenv cuts at (reader-mismatch reports those values instead of syntax). */
const HASH_READERS: readonly OtherReaderId[] = ['python-dotenv', 'compose', 'shell'];

function syntaxRule(input: AnalyzeInput, doc: EnvDocument, out: Collector): void {
  // With a reader that reads them differently detected, reader-mismatch says more about these.
  const readers = out.on('reader-mismatch') ? (input.readers ?? []) : [];
  const skipHash = readers.some((r) => HASH_READERS.includes(r));
  const skipSpace = readers.includes('shell');
  for (const p of doc.problems) {
    if (p.kind === 'duplicate-key') continue; // the duplicate-key rule reports these
    if ((skipHash && p.kind === 'inline-hash') || (skipSpace && p.kind === 'unquoted-space')) continue;
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

/** Length, first and last UTF-16 unit of a key mixed into a small integer (equal keys, equal shapes). */
function keyShape(k: string): number {
  const n = k.length;
  return n === 0 ? 0 : (Math.imul(Math.imul(n, 31) + k.charCodeAt(0), 31) + k.charCodeAt(n - 1)) & 0x3fffffff;
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
  // the occurrence seen just before it. Keys are first screened by length and end characters
  // (numbers in a set), which rejects most of them without hashing the key.
  const shapes = new Set<number>();
  for (const k of dupKeys) shapes.add(keyShape(k));
  const winnerLine = new Map<string, number>();
  const nextLine = new Map<string, number>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (!shapes.has(keyShape(e.key)) || !dupKeys.has(e.key)) continue;
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
      if (e.valueStart === e.valueEnd || e.key === '__proto__') continue;
      const provider = e.value.length >= 8 ? detectSecretProvider(e.value) : undefined;
      if (provider !== undefined && !isPlaceholder(e.value, cfg.placeholders)) {
        out.add(
          'example-leak',
          lineAt(text, e, e.valueStart),
          e.valueStart,
          e.valueEnd,
          `${e.key} in an example file holds ${provider.description}; replace it with a placeholder and rotate the key.`,
          { key: e.key, severity: 'error', reason: provider.id },
        );
        continue;
      }
      if (!cfg.isSecret(e.key)) continue;
      if (!looksLikeRealSecret(e.value, cfg)) continue;
      out.add('example-leak', lineAt(text, e, e.valueStart), e.valueStart, e.valueEnd, `${e.key} in an example file looks like a real secret; replace it with a placeholder.`, { key: e.key });
    }
    return;
  }
  if (!out.on('weak-secret')) return;
  for (const e of doc.entries) {
    if (!e.wins || e.value.length === 0) continue;
    if (e.value.indexOf('://') >= 0) {
      // A URL: its password (if any) is judged like a secret, the rest of it never is.
      const url = assessUrlPassword(e.key, e.value, cfg);
      if (url !== undefined || isUrlValue(e.value)) {
        if (url) {
          const [start, end] = valueSpan(text, e, url.start, url.end);
          out.add('weak-secret', lineAt(text, e, start), start, end, url.message, {
            key: e.key,
            reason: url.reason,
            fix: { kind: 'regenerate-url-password', key: e.key, entryIndex: e.index },
          });
        }
        continue;
      }
    }
    if (!cfg.isSecret(e.key)) continue;
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

/**
 * Text offsets of value[start, end) for an entry: exact when the raw text holds the value verbatim
 * (unquoted, or quoted without escapes), else the whole value.
 */
function valueSpan(text: string, e: EnvEntry, start: number, end: number): [number, number] {
  const raw = text.slice(e.valueStart, e.valueEnd);
  const inner = e.quote !== null ? 1 : 0;
  if (raw.slice(inner, inner + e.value.length) === e.value) return [e.valueStart + inner + start, e.valueStart + inner + end];
  const piece = e.value.slice(start, end);
  const at = raw.indexOf(piece);
  if (piece.length > 0 && at >= 0 && raw.indexOf(piece, at + 1) < 0) return [e.valueStart + at, e.valueStart + at + piece.length];
  return [e.valueStart, e.valueEnd];
}

/** First characters (ASCII) of a config's client prefixes, or null when one starts otherwise. */
const prefixStarts = new WeakMap<CompiledConfig, Uint8Array | null>();

function clientPrefixStarts(cfg: CompiledConfig): Uint8Array | null {
  let t = prefixStarts.get(cfg);
  if (t === undefined) {
    t = new Uint8Array(128);
    for (const p of cfg.clientPrefixes) {
      const c = p.prefix.charCodeAt(0);
      if (c >= 128 || Number.isNaN(c)) {
        t = null;
        break;
      }
      t[c] = 1;
    }
    prefixStarts.set(cfg, t);
  }
  return t;
}

function clientRule(doc: EnvDocument, cfg: CompiledConfig, out: Collector): void {
  const isSecret = (name: string): boolean => cfg.isSecret(name);
  // Most keys start with no prefix's first character: clientExposure would find no prefix.
  const starts = clientPrefixStarts(cfg);
  for (const e of doc.entries) {
    if (!e.wins) continue;
    if (starts !== null) {
      const c = e.key.charCodeAt(0);
      if (c < 128 && starts[c] === 0) continue;
    }
    const hit = clientExposure(e.key, e.value, cfg.clientPrefixes, isSecret);
    if (hit === undefined) continue;
    out.add('client-exposed-secret', e.line, e.keyStart, e.keyEnd, hit.message, {
      key: e.key,
      ...(hit.provider !== undefined ? { reason: hit.provider.id } : {}),
      fix: { kind: 'rename-key', key: e.key, newKey: hit.rest },
    });
  }
}

function readerMessage(key: string, m: ReaderMismatch): string {
  const who = readerList(m.readers);
  const one = m.readers.length === 1;
  switch (m.kind) {
    case 'expansion':
      return `${key}'s value has a $ reference that ${who} ${one ? 'expands' : 'expand'}, while node dotenv reads it as written. If the $ is meant literally, quote the value (or escape the $ for each reader).`;
    case 'expansion-local': {
      const names = m.names ?? [];
      const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, …` : '');
      return `${key} refers to ${names.length === 1 ? 'a key' : 'keys'} defined above it in this file (${shown}), which ${who} ${one ? 'replaces' : 'replace'} with ${names.length === 1 ? 'its value' : 'their values'}; node dotenv reads the reference as written.`;
    }
    case 'hash':
      return `${key}'s value has a '#' that node dotenv reads as the start of a comment, but ${who} ${one ? 'keeps' : 'keep'} it as part of the value. Quote the value so that they agree.`;
    case 'comment-as-value':
      return `${key} is empty for node dotenv, but ${who} ${one ? 'reads' : 'read'} the comment after it as the value. Write "" before the comment.`;
    case 'space':
      return `${key}'s value has unquoted whitespace: ${who} takes only the first word and runs the rest as a command. Quote the value.`;
    case 'shell-metachar':
      return `${key}'s value has characters that ${who} interprets (;, &, |, <, >, parentheses, quotes, backslash, backtick, $ or ~). Quote the value.`;
    case 'escape':
      return `${key}'s value has backslash escapes that ${who} ${one ? 'decodes' : 'decode'}, while node dotenv keeps them as typed. Write the characters themselves, or use single quotes.`;
    case 'backtick':
      return `${key}'s value is in backticks, which node dotenv strips but ${who} ${one ? 'does' : 'do'} not (a shell runs the value as a command). Use single or double quotes.`;
  }
}

/** Entries a reader reads differently: the kinds about one entry's text (entry scope). */
function readerRule(input: AnalyzeInput, doc: EnvDocument, out: Collector, scope: 'entry' | 'file'): void {
  const readers = input.readers;
  if (readers === undefined || readers.length === 0) return;
  const text = doc.text;
  // Expansion findings depend on which keys the whole file defines: they are a (cheap) file check.
  if (scope === 'file' && text.indexOf('$') < 0) return;
  let defined: Map<string, number> | undefined;
  for (const e of doc.entries) {
    if (!e.wins) continue;
    if (scope === 'file' && !hasDollar(text, e.valueStart, e.lineEnd)) continue;
    defined ??= scope === 'file' ? firstDefinitions(doc) : new Map();
    for (const m of readerMismatches(doc, e, readers, defined)) {
      const expansion = m.kind === 'expansion' || m.kind === 'expansion-local';
      if (expansion !== (scope === 'file')) continue;
      const fixable = readerFixEdit(doc, e, readers) !== null;
      const start = m.kind === 'comment-as-value' ? e.keyStart : e.valueStart;
      const end = m.kind === 'comment-as-value' ? e.lineEnd : Math.max(e.valueEnd, expansion || m.kind === 'hash' ? readerEnd(doc, e) : e.valueEnd);
      out.add('reader-mismatch', lineAt(text, e, start), start, end, readerMessage(e.key, m), {
        key: e.key,
        reason: m.kind,
        ...(m.kind === 'expansion-local' ? { severity: 'hint' as const } : {}),
        ...(fixable ? { fix: { kind: 'quote-value' as const, key: e.key, entryIndex: e.index } } : {}),
      });
    }
  }
}

/** Each key and the index of the entry that first defines it. */
function firstDefinitions(doc: EnvDocument): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of doc.entries) if (!m.has(e.key)) m.set(e.key, e.index);
  return m;
}

function hasDollar(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 36) return true;
  return false;
}

/** End of the value as the other readers read it (past a '#' node dotenv cuts at). */
function readerEnd(doc: EnvDocument, e: EnvEntry): number {
  return intendedValueSpan(doc.text, e).end;
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
  { scope: 'file', codes: ['env-not-ignored', 'example-ignored', 'env-tracked'], run: (c, out) => gitRules(c.input, c.doc, c.cfg, out) },
  { scope: 'entry', codes: ['syntax'], run: (c, out) => syntaxRule(c.input, c.doc, out) },
  { scope: 'file', codes: ['syntax'], run: (c, out) => pemRule(c.doc, out) },
  { scope: 'entry', codes: ['duplicate-key'], run: (c, out) => duplicateRule(c.doc, out) },
  { scope: 'entry', codes: ['weak-secret', 'example-leak'], run: (c, out) => secretRules(c.input, c.doc, c.cfg, c.example, out) },
  { scope: 'entry', codes: ['empty-secret'], run: (c, out) => emptySecretRule(c.doc, c.cfg, c.example, out) },
  { scope: 'entry', codes: ['example-drift'], run: (c, out) => driftRule(c.input, c.doc, out) },
  { scope: 'entry', codes: ['client-exposed-secret'], run: (c, out) => clientRule(c.doc, c.cfg, out) },
  { scope: 'entry', codes: ['reader-mismatch'], run: (c, out) => readerRule(c.input, c.doc, out, 'entry') },
  // $ references: whether they name keys of this file depends on the whole file.
  { scope: 'file', codes: ['reader-mismatch'], run: (c, out) => readerRule(c.input, c.doc, out, 'file') },
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
  // The scratch state of the checks holds the last key and value seen: slices that would keep
  // this text alive after the analysis.
  forgetKeyScan();
  forgetAscii();
  forgetStrengthScratch();
  return out.findings;
}

/** Drops the findings `# keysmith-ignore` directives of `doc` silence. */
export function applySuppressions(findings: Finding[], doc: EnvDocument): Finding[] {
  const sup = findings.length > 0 ? findSuppressions(doc) : null;
  if (sup === null) return findings;
  return findings.filter((f) => {
    if (isSuppressed(sup.file, f.code)) return false;
    if (FILE_LEVEL.has(f.code) || doc.nodes.length === 0) return true;
    return !isSuppressed(sup.nodes.get(nodeIndexAt(doc.nodes, f.start)), f.code);
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

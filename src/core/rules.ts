/**
 * Keysmith's .env rule engine: one registry of rules for the extension (diagnostics, code
 * actions, hovers) and the CLI (`keysmith check`). Pure TypeScript: no `vscode`, no Node built-ins.
 *
 * ## API
 *
 *   analyzeEnv(input: AnalyzeInput, config: RuleConfig = DEFAULT_RULE_CONFIG): Finding[]
 *   RULES: readonly RuleInfo[]            // code, title, defaultSeverity, description, docsAnchor, scope
 *   ruleInfo(code) / isRuleCode(s) / RULE_CODES
 *   DEFAULT_RULE_CONFIG, compileRuleConfig(config)   // compiled once per config (by identity and content)
 *   findSuppressions(doc)                  // the `keysmith-ignore` directives of a document
 *
 * `AnalyzeInput` = { text, fileName (basename), doc? (a parseEnv(text) to reuse), git? { ignored,
 * tracked: boolean | 'unknown', trackingNote? }, counterpart? { role, name, keys },
 * isDjangoProject? }. Findings are { code, severity, line (0-based), start, end (UTF-16 offsets
 * into the text), message, key?, fix?, reason? }, sorted by offset, then rule order (as in RULES),
 * then end. Messages name keys and files, never values. `reason` is a WeakSecretReason for
 * weak-secret and the EnvProblemKind for syntax.
 *
 * ## Rules (default severity)
 *
 * - `env-not-ignored` (warning, file): `git.ignored === false` for a .env file that is not an
 *   example (isEnvFileName && !isExampleEnvFileName). Line 0; fix `add-to-gitignore`. When
 *   `git.tracked === 'unknown'` and a `trackingNote` is given, the message ends with
 *   "Whether it is already committed is unknown (<note>)." (no separate finding, so an ignored
 *   file in Restricted Mode stays quiet).
 * - `example-ignored` (info, file): an example file (.env.example/.sample/.template,
 *   example.env, …) that git ignores.
 * - `env-tracked` (error, file): `git.tracked === true` for a non-example .env file, ignored or
 *   not (both findings appear when it is tracked and not ignored). Fix `untrack`.
 * - `weak-secret` (warning): the winning occurrence of a secret-named key (isSecretName with
 *   `config.secretPatterns`) in a non-example file, value non-empty, judged in this order (one
 *   finding per entry, `reason` says which):
 *     `django-insecure` prefix → `placeholder` (isPlaceholder with `config.placeholders`, which
 *     includes published samples) → `fernet-format` (*FERNET* key not 32 bytes of padded urlsafe
 *     base64) → `jwt-length` (JWT/HS256/HS384/HS512 keys: fewer than 32/48/64 bytes; the byte
 *     count is the smaller of the raw UTF-8 length and, for a value that looks hex/base64(url),
 *     its decoded length) → `django-w009` (DJANGO_SECRET_KEY, or SECRET_KEY when
 *     isDjangoProject: fewer than 50 characters or fewer than 5 distinct ones) → `low-entropy`
 *     (estimateStrength under `config.minBits`, default 128; the message gives bits and shape).
 *   Not judged: empty values (populating them is `planPopulate`'s job, so no finding), variable
 *   references (`${OTHER}`, `$OTHER`), PEM blocks and keys inferFormat cannot generate (private
 *   keys), booleans/URLs/IPs (but all-digit values are judged). Fix `regenerate` with
 *   inferFormat(key) (base64url when nothing more specific fits).
 * - `syntax` (severity of the parse problem): every `doc.problems` entry except `duplicate-key`,
 *   `reason` = the EnvProblemKind. This includes `unquoted-space` (info: an unquoted value with
 *   inner whitespace) and `inline-hash` (warning: `#` without a space cuts an unquoted value);
 *   ` #` after a value is an ordinary comment and is not reported.
 * - `duplicate-key` (warning): every non-winning occurrence, on its key: "KEY is defined again on
 *   line N; dotenv uses the last definition (line W)." Fix `remove-entry` for that occurrence.
 *   `__proto__` is left to `syntax` (dotenv drops it).
 * - `example-leak` (warning): example files only, every occurrence of a secret-named key whose
 *   value is not a placeholder, reference or plain configuration and has at least
 *   `config.leakBits` (default 64) estimated bits; PEM private keys count, public PEM does not.
 *   No fix hint (the fix is to write a placeholder).
 * - `empty-secret` (info): a winning secret-named key with an empty value in a non-example file,
 *   on its key. Fix `populate` (the Populate Empty Keys command for the file).
 * - `example-drift` (info): with `counterpart`: each key of this file missing from the counterpart
 *   ("KEY is missing from .env.example" in a .env; "KEY is missing from .env" in an example), on
 *   the key of its first definition (as exampleDrift() in src/core/example.ts). Fix `sync-example`.
 *
 * ## Configuration and suppression
 *
 * `RuleConfig` = { disabled, severities (per code: a Severity, or 'off'), secretPatterns,
 * placeholders, minBits?, leakBits? }. A severity override applies to every finding of the code
 * (for `syntax` it replaces the per-problem severity); unknown codes and severities are ignored.
 * Treat configs as immutable: the compiled form is cached per object and per content, so a config
 * rebuilt from settings for every analysis still hits the caches.
 *
 * In the file: `# keysmith-ignore[: CODE, …]` in the comment lines directly above an entry (or
 * as its trailing comment) suppresses those codes (all when none is given) on that entry;
 * `# keysmith-ignore-file[: CODE, …]` anywhere suppresses them in the whole file and is the
 * only way to silence file-level rules. Text after `--` is a free reason. See rules/suppress.ts.
 *
 * ## Cost
 *
 * Linear in the document; nothing compiles a pattern per entry. Keys are classified in one pass
 * over their character codes (a literal prescreen built from the user's secret-name patterns
 * rejects most keys before isSecretName when there are any), values are read as bytes for the
 * placeholder check, and the strength estimate stops as soon as it is sure to reach the minimum.
 * Nothing is cached between analyses: an open document is kept up to date edit by edit instead
 * (src/core/rules/incremental.ts). Passing `doc` skips the parse. bench/check.mjs measures it.
 */
export { analyzeEnv } from './rules/analyze.ts';
export { DEFAULT_LEAK_BITS, DEFAULT_MIN_BITS, DEFAULT_RULE_CONFIG, compileRuleConfig } from './rules/config.ts';
export type { CompiledConfig } from './rules/config.ts';
export { findSuppressions } from './rules/suppress.ts';
export type { Suppressed, Suppressions } from './rules/suppress.ts';
export { RULES, RULE_CODES, isRuleCode, ruleInfo } from './rules/types.ts';
export type {
  AnalyzeInput,
  Counterpart,
  Finding,
  FixHint,
  GitStatus,
  RuleCode,
  RuleConfig,
  RuleInfo,
  Severity,
  WeakSecretReason,
} from './rules/types.ts';

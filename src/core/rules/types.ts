/**
 * Types of the .env rule engine and the registry of rules. See src/core/rules.ts for the overview.
 */
import type { EnvDocument } from '../envdoc.ts';
import type { FormatId } from '../formats.ts';
import type { OtherReaderId } from '../readers.ts';

export type RuleCode =
  | 'env-not-ignored'
  | 'example-ignored'
  | 'env-tracked'
  | 'weak-secret'
  | 'syntax'
  | 'duplicate-key'
  | 'example-leak'
  | 'example-drift'
  | 'empty-secret'
  | 'client-exposed-secret'
  | 'reader-mismatch';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RuleInfo {
  readonly code: RuleCode;
  readonly title: string;
  readonly defaultSeverity: Severity;
  readonly description: string;
  /** Anchor of the rule's README section, e.g. 'rule-weak-secret'. */
  readonly docsAnchor: string;
  /** 'file': about the file as a whole (reported on line 0); 'entry': about a line of it. */
  readonly scope: 'file' | 'entry';
}

/** What a quick fix would do; the extension turns these into code actions. */
export type FixHint =
  | { readonly kind: 'add-to-gitignore' }
  | { readonly kind: 'untrack' }
  | { readonly kind: 'regenerate'; readonly key: string; readonly entryIndex: number; readonly format: FormatId }
  | { readonly kind: 'remove-entry'; readonly key: string; readonly entryIndex: number }
  | { readonly kind: 'sync-example' }
  | { readonly kind: 'populate'; readonly key: string }
  /** Replace the password inside a `scheme://user:password@host` value with a fresh one. */
  | { readonly kind: 'regenerate-url-password'; readonly key: string; readonly entryIndex: number }
  /** Rename every occurrence of `key` in the file to `newKey` (client-exposed-secret: drop the prefix). */
  | { readonly kind: 'rename-key'; readonly key: string; readonly newKey: string }
  /** Rewrite the value so that every detected reader reads it literally (readerFixEdit in src/core/readers.ts). */
  | { readonly kind: 'quote-value'; readonly key: string; readonly entryIndex: number };

/**
 * Why a `weak-secret` finding fired (stable ids, for code-action titles and tests). `syntax`
 * findings carry the EnvProblemKind of the parse problem instead.
 */
export type WeakSecretReason =
  /** `django-insecure-` prefix: a development key from `django-admin startproject`. */
  | 'django-insecure'
  /** An obvious placeholder or a published sample value (isPlaceholder). */
  | 'placeholder'
  /** A *FERNET* key that is not 32 bytes of URL-safe base64 with padding. */
  | 'fernet-format'
  /** A JWT HMAC secret shorter than RFC 7518 requires for its algorithm. */
  | 'jwt-length'
  /** Fails Django's check security.W009. */
  | 'django-w009'
  /** Estimated strength under the minimum (128 bits by default). */
  | 'low-entropy'
  /** The password inside a URL is a placeholder or published sample. */
  | 'url-placeholder'
  /** The password inside a URL is under the minimum strength. */
  | 'url-low-entropy';

export interface Finding {
  readonly code: RuleCode;
  readonly severity: Severity;
  /** 0-based editor line of `start`. */
  readonly line: number;
  /** UTF-16 offsets into the analysed text, half-open. */
  readonly start: number;
  readonly end: number;
  /** Names keys and files, never values. */
  readonly message: string;
  readonly key?: string;
  readonly fix?: FixHint;
  /** A finer reason: a WeakSecretReason for weak-secret, the EnvProblemKind for syntax. */
  readonly reason?: string;
}

/** What git says about the file (from git itself, or from src/core/gitignore.ts). */
export interface GitStatus {
  readonly ignored: boolean | 'unknown';
  readonly tracked: boolean | 'unknown';
  /** Why tracking is unknown, e.g. "tracking could not be checked: Restricted Mode". */
  readonly trackingNote?: string;
}

export interface Counterpart {
  /** The role of the OTHER file: 'example' when the analysed file is the source .env, and vice versa. */
  readonly role: 'example' | 'source';
  /** Its file name, used in messages (e.g. '.env.example'). */
  readonly name: string;
  /** Its keys. */
  readonly keys: readonly string[];
}

export interface AnalyzeInput {
  readonly text: string;
  /** The file's basename (decides example vs. source and which git rules apply). */
  readonly fileName: string;
  /** A parse of `text` to reuse (must be `parseEnv(text)`; offsets refer to it). */
  readonly doc?: EnvDocument;
  /** Omitted: the git rules are skipped (e.g. outside a repository). */
  readonly git?: GitStatus;
  /** For example-drift. */
  readonly counterpart?: Counterpart;
  /** A bare SECRET_KEY is a Django key (Django's W009 applies). */
  readonly isDjangoProject?: boolean;
  /**
   * The readers of the file besides node dotenv (detected, or from keysmith.readers; see
   * src/core/readers.ts). None: node dotenv only, and the reader-mismatch rule is quiet.
   */
  readonly readers?: readonly OtherReaderId[];
}

export interface RuleConfig {
  /** Rules that never report. */
  readonly disabled: readonly RuleCode[];
  /** Per-rule severity overrides; 'off' disables the rule. */
  readonly severities: Partial<Record<RuleCode, Severity | 'off'>>;
  /** Extra secret-name patterns (syntax of src/core/secrets.ts). */
  readonly secretPatterns: readonly string[];
  /** Extra placeholder values (as for isPlaceholder). */
  readonly placeholders: readonly string[];
  /** weak-secret: minimum estimated strength in bits. Default 128. */
  readonly minBits?: number;
  /** example-leak: estimated strength from which a value in an example file counts as real. Default 64. */
  readonly leakBits?: number;
  /** client-exposed-secret: extra key prefixes that a build ships to browsers (added to the built-in ones). */
  readonly clientPrefixes?: readonly string[];
}

export const RULES: readonly RuleInfo[] = [
  {
    code: 'env-not-ignored',
    title: '.env file not ignored by git',
    defaultSeverity: 'warning',
    description: 'A .env file (not an example/sample/template) that git does not ignore would be committed with its secrets.',
    docsAnchor: 'rule-env-not-ignored',
    scope: 'file',
  },
  {
    code: 'example-ignored',
    title: 'Example file ignored by git',
    defaultSeverity: 'info',
    description: '.env.example / .env.sample / .env.template is meant to be committed; when git ignores it, teammates never get it.',
    docsAnchor: 'rule-example-ignored',
    scope: 'file',
  },
  {
    code: 'env-tracked',
    title: '.env file already committed',
    defaultSeverity: 'error',
    description: 'git already tracks this .env file: ignoring it does not remove it. Untrack it (git rm --cached) and rotate its secrets.',
    docsAnchor: 'rule-env-tracked',
    scope: 'file',
  },
  {
    code: 'weak-secret',
    title: 'Weak secret',
    defaultSeverity: 'warning',
    description:
      'A secret-named key holds a placeholder, a published sample, a value under 128 bits of estimated strength, or a value its format rejects (Fernet, JWT HMAC length, Django W009).',
    docsAnchor: 'rule-weak-secret',
    scope: 'entry',
  },
  {
    code: 'syntax',
    title: '.env syntax',
    defaultSeverity: 'warning',
    description: 'Lines dotenv ignores or reads differently from what they seem to say (severity from the problem).',
    docsAnchor: 'rule-syntax',
    scope: 'entry',
  },
  {
    code: 'duplicate-key',
    title: 'Duplicate key',
    defaultSeverity: 'warning',
    description: 'A key defined more than once: dotenv uses the last definition, so earlier ones are dead.',
    docsAnchor: 'rule-duplicate-key',
    scope: 'entry',
  },
  {
    code: 'example-leak',
    title: 'Real secret in an example file',
    defaultSeverity: 'warning',
    description: 'A secret-named key in an example file holds something that looks like a real secret (64+ estimated bits, not a placeholder).',
    docsAnchor: 'rule-example-leak',
    scope: 'entry',
  },
  {
    code: 'example-drift',
    title: '.env and .env.example out of sync',
    defaultSeverity: 'info',
    description: 'A key of .env missing from the example file, or a key of the example missing from .env.',
    docsAnchor: 'rule-example-drift',
    scope: 'entry',
  },
  {
    code: 'empty-secret',
    title: 'Empty secret',
    defaultSeverity: 'info',
    description: 'A secret-named key with an empty value in a .env file (not an example): Populate Empty Keys fills it.',
    docsAnchor: 'rule-empty-secret',
    scope: 'entry',
  },
  {
    code: 'client-exposed-secret',
    title: 'Secret shipped to browsers',
    defaultSeverity: 'error',
    description:
      'A key under a prefix that a front-end build ships to browsers (NEXT_PUBLIC_, VITE_, REACT_APP_, NUXT_PUBLIC_, EXPO_PUBLIC_, PUBLIC_, GATSBY_, VUE_APP_, STORYBOOK_, keysmith.clientPrefixes) names a secret or holds a provider secret.',
    docsAnchor: 'rule-client-exposed-secret',
    scope: 'entry',
  },
  {
    code: 'reader-mismatch',
    title: 'Read differently by another reader',
    defaultSeverity: 'warning',
    description:
      'A value that a reader of the project (dotenv-expand, python-dotenv, docker compose, a shell that sources the file; detected or set in keysmith.readers) reads differently from node dotenv: $ expansion, # and spaces, shell metacharacters, backticks.',
    docsAnchor: 'rule-reader-mismatch',
    scope: 'entry',
  },
];

export const RULE_CODES: readonly RuleCode[] = RULES.map((r) => r.code);

const BY_CODE: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.code, r]));

export function isRuleCode(code: string): code is RuleCode {
  return BY_CODE.has(code);
}

export function ruleInfo(code: RuleCode): RuleInfo {
  return BY_CODE.get(code)!;
}

/**
 * "Rotate Secret": a new value for a secret, with the old one kept where the framework can still
 * verify with it. One planner for the extension and `keysmith rotate`; pure (no `vscode`, no Node).
 *
 * Rules, tried in this order for each key:
 *   1. `fernet-list`: the value is a comma-separated list of Fernet keys (or one Fernet key under a
 *      plural name such as FERNET_KEYS): the new key goes first, the list keeps at most `keep` keys.
 *   2. `companion`: a companion key exists in the file (`<KEY>_FALLBACKS`, `<KEY>_PREVIOUS`,
 *      `<KEY>_OLD`, or `SECRET_KEY_FALLBACKS` for a `…SECRET_KEY`): the old value moves there, in a
 *      comma-separated list newest first, so that with the new value at most `keep` keys verify.
 *   3. `offer-fallbacks`: a Django/Flask `…SECRET_KEY` without a companion: the caller offers to add
 *      `<KEY>_FALLBACKS` right after the key (accepted: like rule 2; declined: like rule 4).
 *   4. `replace`: a plain replacement. Callers confirm first (`needsConfirmation`): sessions or
 *      tokens signed with the old value stop verifying.
 *
 * The new value has the format of the old one: a configured rule for the key first, then the
 * format the key's name calls for when the name is specific (Fernet, JWT, Django, password, …),
 * then the shape of the old value (hex, base64, base64url, UUID, Django key; its size kept), then
 * the name's general format. Nothing here ever puts a value into a message.
 */
import type { EnvDocument, EnvEntry, TextEdit } from './envdoc.ts';
import { appendEntryEdits, applyEdits, parseEnv, setValueEdits, winningEntry } from './envdoc.ts';
import { KeysmithError } from './errors.ts';
import { getFormat, MIN_BITS, type FormatId, type GenerateOptions } from './formats.ts';
import { RandomSource } from './random.ts';
import { inferFormat, isPlaceholder, isSecretName, matchesKeyPattern, splitKeyName, type FormatRule } from './secrets.ts';
import { optionsFor, type KeysmithSettings } from './settings.ts';
import { estimateStrength } from './strength.ts';

export const DEFAULT_KEEP = 2;
export const MAX_KEEP = 64;
/** Companion suffixes, in the order they are looked for. */
export const COMPANION_SUFFIXES = ['_FALLBACKS', '_PREVIOUS', '_OLD'] as const;
const SHARED_FALLBACKS = 'SECRET_KEY_FALLBACKS';

export interface RotateContext {
  defaultFormat: FormatId;
  /** The .env belongs to a Django project (manage.py beside it or one folder up). */
  isDjangoProject?: boolean;
  /** The .env belongs to a Flask project (Flask in the dependency files beside it or one folder up). */
  isFlaskProject?: boolean;
  /** User rules (key pattern → format), tried first. */
  rules?: readonly FormatRule[];
  secretPatterns?: readonly string[];
  placeholders?: readonly string[];
  /** How many keys verify after the rotation, the new one included (default 2). */
  keep?: number;
}

export type RotateStrategy =
  | { readonly kind: 'fernet-list' }
  | { readonly kind: 'companion'; readonly companion: string; readonly companionIndex: number }
  | { readonly kind: 'offer-fallbacks'; readonly companion: string }
  | { readonly kind: 'replace'; readonly why: 'no-companion' | 'placeholder' };

export interface RotateItem {
  readonly key: string;
  /** Index into `doc.entries` of the occurrence dotenv uses. */
  readonly entryIndex: number;
  readonly format: FormatId;
  /** Size overrides that keep the old value's size (bytes, length, words, API key prefix). */
  readonly options: GenerateOptions;
  readonly strategy: RotateStrategy;
  /** Old values that still verify afterwards. */
  readonly kept: number;
  /** Old values dropped because of `keep`. */
  readonly dropped: number;
}

export interface RotateSkip {
  readonly key: string;
  readonly reason: string;
}

export interface RotatePlan {
  readonly items: readonly RotateItem[];
  /** Keys asked for (or secret-named keys found) that are not rotated, with why (names only). */
  readonly skipped: readonly RotateSkip[];
  readonly keep: number;
}

function checkKeep(keep: number | undefined): number {
  const k = keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(k) || k < 1 || k > MAX_KEEP) throw new KeysmithError('bad-option', `keep must be a whole number from 1 to ${MAX_KEEP}.`);
  return k;
}

/** Items of a comma-separated list, trimmed, empty ones dropped. */
export function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function isFernetKey(s: string): boolean {
  return getFormat('fernet').validate(s);
}

/** Whether the key's value is a Fernet key list (rule 1). */
export function isFernetList(key: string, value: string): boolean {
  const items = splitList(value);
  if (items.length === 0 || !items.every(isFernetKey)) return false;
  if (value.includes(',')) return true;
  const words = splitKeyName(key);
  const last = words[words.length - 1] ?? '';
  return /S$/.test(last) && /KEYS$|SECRETS$/.test(last);
}

/** Whether the name is a companion key (`…_FALLBACKS`, `…_PREVIOUS`, `…_OLD`). */
export function isCompanionName(key: string): boolean {
  const upper = key.toUpperCase();
  return COMPANION_SUFFIXES.some((s) => upper.endsWith(s) && upper.length > s.length);
}

function endsWithSecretKey(key: string): boolean {
  const words = splitKeyName(key);
  const n = words.length;
  return n >= 2 && words[n - 2] === 'SECRET' && words[n - 1] === 'KEY';
}

/** The companion names looked for, in order. */
export function companionCandidates(key: string): string[] {
  const out: string[] = COMPANION_SUFFIXES.map((s) => key + s);
  if (endsWithSecretKey(key) && key !== 'SECRET_KEY') out.push(SHARED_FALLBACKS);
  return out;
}

function frameworkKey(key: string, ctx: RotateContext): boolean {
  if (!endsWithSecretKey(key)) return false;
  const words = splitKeyName(key);
  return ctx.isDjangoProject === true || ctx.isFlaskProject === true || words.includes('DJANGO') || words.includes('FLASK');
}

const SPECIFIC_BY_NAME: ReadonlySet<FormatId> = new Set(['fernet', 'django', 'password', 'passphrase', 'uuid', 'api-key', 'jwt-hs256', 'jwt-hs384', 'jwt-hs512']);

function decodedBytes(len: number, kind: 'hex' | 'base64'): number {
  return kind === 'hex' ? Math.floor(len / 2) : Math.floor((len * 6) / 8);
}

/**
 * The format (and size) of the new value for `key`, whose old value is `value`. Null when Keysmith
 * cannot make such a secret (asymmetric key material).
 */
export function rotationFormat(key: string, value: string, ctx: RotateContext): { format: FormatId; options: GenerateOptions } | null {
  const trimmed = value.trim();
  const shape = trimmed.length > 0 ? estimateStrength(trimmed).detected : 'empty';
  if (shape === 'pem') return null;
  const byName = inferFormat(key, { defaultFormat: ctx.defaultFormat, isDjangoProject: ctx.isDjangoProject, rules: ctx.rules, secretPatterns: ctx.secretPatterns });
  const ruled = ctx.rules?.find((r) => matchesKeyPattern(key, r.pattern))?.format;
  const unencoded = trimmed.replace(/=+$/, '');
  const sizeOf = (kind: 'hex' | 'base64'): GenerateOptions => {
    const n = decodedBytes(kind === 'hex' ? trimmed.replace(/^0x/i, '').length : unencoded.length, kind);
    return n * 8 >= MIN_BITS && n <= 4096 ? { bytes: n } : {};
  };
  if (ruled !== undefined) return { format: ruled, options: {} };

  if (byName !== null && SPECIFIC_BY_NAME.has(byName)) {
    // By the characters, not the estimator's shape: a random base64url secret lacks both - and _
    // one time in eight (then it is "alphanumeric"), and its size must still be kept.
    if (byName.startsWith('jwt-') && /^(?:[A-Za-z0-9_-]+|[A-Za-z0-9+/]+)={0,2}$/.test(trimmed)) {
      const min = getFormat(byName).minBytes ?? 0;
      const bytes = decodedBytes(unencoded.length, 'base64');
      return { format: byName, options: bytes > min && bytes <= 4096 ? { bytes } : {} };
    }
    if (byName === 'django' && shape === 'django' && !trimmed.startsWith('django-insecure-') && trimmed.length > 50 && trimmed.length <= 4096) {
      return { format: 'django', options: { length: trimmed.length } };
    }
    if (byName === 'api-key') {
      const m = /^([A-Za-z0-9]+)_(?:([A-Za-z0-9]+)_)?([A-Za-z0-9]{16,})$/.exec(trimmed);
      if (m) return { format: 'api-key', options: { prefix: m[1]!, environment: m[2] ?? '', ...(/^[0-9a-f]+$/.test(m[3]!) ? { body: 'hex' as const } : {}) } };
    }
    return { format: byName, options: {} };
  }
  switch (shape) {
    case 'fernet': return { format: 'fernet', options: {} };
    case 'uuid': return { format: 'uuid', options: {} };
    case 'django': return { format: 'django', options: {} };
    case 'hex': return { format: 'hex', options: sizeOf('hex') };
    case 'base64': return { format: 'base64', options: sizeOf('base64') };
    case 'base64url': return { format: 'base64url', options: sizeOf('base64') };
    default: break;
  }
  return { format: byName ?? ctx.defaultFormat, options: {} };
}

/**
 * The rotation plan for `keys` (every secret-named key with a value when omitted). Keys that do
 * not exist, have no value, are companions of another key, or hold key material Keysmith cannot
 * generate are skipped with a reason.
 */
export function planRotation(doc: EnvDocument, keys: readonly string[] | undefined, ctx: RotateContext): RotatePlan {
  const keep = checkKeep(ctx.keep);
  const items: RotateItem[] = [];
  const skipped: RotateSkip[] = [];
  const present = new Set(doc.entries.filter((e) => e.wins).map((e) => e.key));
  const companionsInUse = new Set<string>();

  const targets: EnvEntry[] = [];
  if (keys !== undefined && keys.length > 0) {
    for (const key of [...new Set(keys)]) {
      const entry = winningEntry(doc, key);
      if (!entry) skipped.push({ key, reason: 'not in the file' });
      else targets.push(entry);
    }
  } else {
    for (const entry of doc.entries) {
      if (!entry.wins || isCompanionName(entry.key)) continue;
      if (!isSecretName(entry.key, ctx.secretPatterns)) continue;
      targets.push(entry);
    }
  }
  for (const entry of targets) {
    for (const c of companionCandidates(entry.key)) if (present.has(c)) { companionsInUse.add(c); break; }
  }

  for (const entry of targets) {
    const key = entry.key;
    if (keys === undefined && companionsInUse.has(key)) continue;
    if (entry.value.trim().length === 0) {
      skipped.push({ key, reason: 'has no value (Populate Empty Keys fills it)' });
      continue;
    }
    const fmt = rotationFormat(key, entry.value, ctx);
    if (fmt === null) {
      skipped.push({ key, reason: 'holds key material Keysmith cannot generate (a PEM key)' });
      continue;
    }
    const placeholder = isPlaceholder(entry.value, ctx.placeholders);
    if (placeholder) {
      items.push({ key, entryIndex: entry.index, format: fmt.format, options: fmt.options, strategy: { kind: 'replace', why: 'placeholder' }, kept: 0, dropped: 0 });
      continue;
    }
    if (isFernetList(key, entry.value)) {
      const old = splitList(entry.value);
      const kept = Math.min(old.length, keep - 1);
      items.push({ key, entryIndex: entry.index, format: 'fernet', options: {}, strategy: { kind: 'fernet-list' }, kept, dropped: old.length - kept });
      continue;
    }
    const companion = companionCandidates(key).map((c) => winningEntry(doc, c)).find((e) => e !== undefined);
    if (companion || frameworkKey(key, ctx)) {
      if (entry.value.includes(',')) {
        skipped.push({ key, reason: 'its value contains a comma, so it cannot be kept in a comma-separated fallback list' });
        continue;
      }
    }
    if (companion) {
      const old = [entry.value.trim(), ...splitList(companion.value).filter((v) => v !== entry.value.trim())];
      const kept = Math.min(old.length, keep - 1);
      items.push({ key, entryIndex: entry.index, format: fmt.format, options: fmt.options, strategy: { kind: 'companion', companion: companion.key, companionIndex: companion.index }, kept, dropped: old.length - kept });
      continue;
    }
    if (frameworkKey(key, ctx)) {
      items.push({ key, entryIndex: entry.index, format: fmt.format, options: fmt.options, strategy: { kind: 'offer-fallbacks', companion: `${key}_FALLBACKS` }, kept: keep > 1 ? 1 : 0, dropped: keep > 1 ? 0 : 1 });
      continue;
    }
    items.push({ key, entryIndex: entry.index, format: fmt.format, options: fmt.options, strategy: { kind: 'replace', why: 'no-companion' }, kept: 0, dropped: 1 });
  }
  return { items, skipped, keep };
}

/** Items whose rotation drops the old value: the caller confirms them first. */
export function needsConfirmation(item: RotateItem, acceptFallbacks: boolean): boolean {
  if (item.strategy.kind === 'replace') return item.strategy.why === 'no-companion';
  if (item.strategy.kind === 'offer-fallbacks') return !acceptFallbacks;
  return false;
}

/** One line per item for confirmations and CLI output: names, formats and what happens, never values. */
export function describeItem(item: RotateItem, acceptFallbacks = true): string {
  const label = getFormat(item.format).id;
  const s = item.strategy;
  const dropped = item.dropped > 0 ? `, ${item.dropped} oldest dropped` : '';
  switch (s.kind) {
    case 'fernet-list':
      return `${item.key} (fernet list): new key first, ${item.kept} old ${item.kept === 1 ? 'key' : 'keys'} kept${dropped}`;
    case 'companion':
      return `${item.key} (${label}): old value moves to ${s.companion} (${item.kept} kept${dropped})`;
    case 'offer-fallbacks':
      return acceptFallbacks && item.kept > 0
        ? `${item.key} (${label}): old value goes to a new ${s.companion}`
        : `${item.key} (${label}): replaced; the old value is not kept`;
    case 'replace':
      return s.why === 'placeholder' ? `${item.key} (${label}): placeholder replaced` : `${item.key} (${label}): replaced; the old value is not kept`;
  }
}

export interface RotateEditOptions {
  /** Accept the offer to add `<KEY>_FALLBACKS` (rule 3); otherwise those keys are plainly replaced. */
  acceptFallbacks: boolean;
  wordlist?: readonly string[];
  rng?: RandomSource;
}

export interface RotateResult {
  edits: TextEdit[];
  /** Keys added to the file (new `<KEY>_FALLBACKS` companions). */
  added: string[];
  /** Companion keys whose value changed. */
  companions: string[];
}

/** Whether the plan generates a passphrase (the wordlist must be loaded first). */
export function rotationNeedsWordlist(plan: RotatePlan): boolean {
  return plan.items.some((i) => getFormat(i.format).needsWordlist);
}

function freshValue(item: RotateItem, settings: KeysmithSettings, opts: RotateEditOptions, avoid: ReadonlySet<string>, noComma: boolean): string {
  const format = getFormat(item.format);
  const options: GenerateOptions = { ...optionsFor(format, settings, opts.wordlist, 'env'), ...item.options };
  // Rejection: a value that repeats an old one (practically never) or that a comma-separated list
  // could not hold is drawn again, so the result is uniform over the allowed values.
  for (let i = 0; i < 1000; i++) {
    const v = format.generate(options, opts.rng);
    if (avoid.has(v) || (noComma && v.includes(','))) continue;
    return v;
  }
  throw new KeysmithError('bad-option', `Cannot make a ${format.label} for ${item.key} without a comma: change the password symbols or passphrase separator.`);
}

/**
 * Edits that add `key=value` on a new line right after `after` (same `export ` prefix), verified to
 * read back with every other entry unchanged; at the end of the file when that is not possible.
 */
export function insertEntryAfterEdits(doc: EnvDocument, after: EnvEntry, key: string, value: string): TextEdit[] {
  const prefix = after.exported ? 'export ' : '';
  const probe = parseEnv(`${prefix}${key}=\n`);
  const raw = setValueEdits(probe, probe.entries[0]!, value)[0]?.newText ?? '';
  const atEnd = after.terminatorEnd === after.lineEnd;
  const newText = atEnd ? `${doc.eol}${prefix}${key}=${raw}` : `${prefix}${key}=${raw}${doc.eol}`;
  const edit: TextEdit = { start: after.terminatorEnd, end: after.terminatorEnd, newText };
  const parsed = parseEnv(applyEdits(doc.text, [edit]));
  const ok = parsed.entries.length === doc.entries.length + 1 &&
    parsed.entries[after.index + 1]?.key === key && parsed.entries[after.index + 1]?.value === value &&
    doc.entries.every((e, i) => {
      const p = parsed.entries[i <= after.index ? i : i + 1]!;
      return p.key === e.key && p.value === e.value;
    });
  if (ok) return [edit];
  return appendEntryEdits(doc, key, value);
}

/** The edits that carry out `plan` on `doc` (non-overlapping, against `doc.text`). */
export function rotationEdits(doc: EnvDocument, plan: RotatePlan, settings: KeysmithSettings, opts: RotateEditOptions): RotateResult {
  const edits: TextEdit[] = [];
  const added: string[] = [];
  const companions: string[] = [];
  for (const item of plan.items) {
    const entry = doc.entries[item.entryIndex]!;
    const oldValue = entry.value.trim();
    const s = item.strategy;
    const avoid = new Set([oldValue, ...splitList(entry.value)]);
    switch (s.kind) {
      case 'fernet-list': {
        const fresh = freshValue(item, settings, opts, avoid, true);
        const list = [fresh, ...splitList(entry.value).filter((v) => v !== fresh)].slice(0, plan.keep);
        edits.push(...setValueEdits(doc, entry, list.join(',')));
        break;
      }
      case 'companion': {
        const companion = doc.entries[s.companionIndex]!;
        const fresh = freshValue(item, settings, opts, new Set([...avoid, ...splitList(companion.value)]), true);
        const old = [oldValue, ...splitList(companion.value).filter((v) => v !== oldValue && v !== fresh)].slice(0, plan.keep - 1);
        edits.push(...setValueEdits(doc, entry, fresh));
        edits.push(...setValueEdits(doc, companion, old.join(',')));
        companions.push(companion.key);
        break;
      }
      case 'offer-fallbacks': {
        const keepOld = opts.acceptFallbacks && plan.keep > 1;
        const fresh = freshValue(item, settings, opts, avoid, keepOld);
        edits.push(...setValueEdits(doc, entry, fresh));
        if (keepOld) {
          edits.push(...insertEntryAfterEdits(doc, entry, s.companion, oldValue));
          added.push(s.companion);
        }
        break;
      }
      case 'replace':
        edits.push(...setValueEdits(doc, entry, freshValue(item, settings, opts, avoid, false)));
        break;
    }
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  return { edits, added, companions };
}

/** Whether a Python dependency file (requirements.txt, pyproject.toml, Pipfile, …) names Flask. */
export function mentionsFlask(dependencyText: string): boolean {
  return /(^|[\s"'[,])flask($|[\s"'<>=~!;,\][])/im.test(dependencyText);
}

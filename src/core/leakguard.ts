/**
 * The leak guard: the one place that decides what text from a `.env` file may leave it — copied
 * into `.env.example`, or printed in a message (CLI output, JSON, the Problems panel,
 * notifications, the log). Everything else (example sync, the rules, the CLI, the extension) asks
 * it.
 *
 * ## What it knows
 *
 * - **Credential shapes** (`CREDENTIAL_SHAPES`, the free-text side of the provider table in
 *   `providers.ts`): provider key prefixes (GitHub `ghp_`…, Stripe
 *   `sk_live_`…, AWS `AKIA`…, Slack `xox?-`, GitLab `glpat-`, Anthropic `sk-ant-`, OpenAI `sk-`,
 *   Google `AIza`, SendGrid `SG.`, npm `npm_`, Hugging Face `hf_`, PyPI, JWTs), PEM armour
 *   (`-----BEGIN …-----`) and URLs with a password that is not a placeholder.
 * - **Random-looking tokens** (`looksRandom`): a run of 16+ letters and digits (runs are split at
 *   every other character; for base64, `+` and `/` are dropped first) that mixes at least two of
 *   upper case, lower case and digits and scores as random: the share of character-class changes
 *   (capitalised words like `Estimate` count as lower case, so camelCase is not random) plus the
 *   share of letters in stretches of 4+ consonants is at least 0.4; for runs of one letter case
 *   plus digits (hex, base32) 0.25 suffices, and 20+ hex digits always count. Random base64 of 16
 *   characters passes about 98.5% of the time, of 32 about 99.9%; hex of 20+ essentially always.
 * - **Key material in a key name** (`looksLikeKeyMaterial`): a key name with a random-looking
 *   run (as above). Such names are never printed; messages say "the key on line N" instead.
 * - **Unquoted PEM blocks** (`findPemBlocks`): `KEY=-----BEGIN …-----` (or a BEGIN line of its
 *   own) followed by base64, header and blank lines up to `-----END …-----`. dotenv reads only
 *   the first line as the value, ignores most following lines, and reads a base64 line that ends
 *   in `=` padding as a *key*. Those lines' key names are never printed or copied.
 * - **Values that may be copied** (`isKeepableValue`): booleans, numbers (up to 7 integer digits),
 *   durations and sizes (`30s`, `10mb`), versions, loopback addresses, cloud region names
 *   (`us-east-1`, `europe-west4`), and a small list of known enum words (`ENUM_WORDS`: log
 *   levels, environment names, log formats). Everything else in an
 *   example is a fake (URLs, e-mail addresses, long numbers, other IPv4 addresses) or a
 *   placeholder, and counts as hidden.
 * - **The taint** (`Taint`, `taintValue`): what no copied or printed text may repeat. Every value
 *   that is not keepable (the whole value: every 8-character window, or 6-7 characters whole;
 *   for URLs their user, password, hosts, path and query values; e-mail addresses and their
 *   local parts), a secret-named key's value whatever it is (except short booleans and numbers),
 *   the text after an unquoted value's `#` when no space precedes it (python-dotenv reads it as
 *   part of the value), every credential-like token in a comment, and every hidden key name.
 *
 * ## Gates
 *
 * - `ExampleGuard` (used by syncExample): decides which comments and inline comments of `.env`
 *   are copied, and runs the last gate over the finished example text (`scrubExample`).
 * - `MessageGate` (used by `keysmith check`, `keysmith sync-example` and the extension): every
 *   line printed about a file is checked as a whole against the file's taint before it is
 *   printed; a line that fails is replaced by one that names the key (when the key may be named)
 *   and says the message was withheld. Key names and file names the caller prints on purpose are
 *   masked first (`allow`).
 * - `guardFindings` (used by analyzeEnv): findings on the lines of an unquoted PEM block give way
 *   to the PEM finding, and findings about a key whose name is key material name it "the key on
 *   line N" and carry no fix.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { type EnvDocument, type EnvEntry, type EnvNode } from './envdoc.ts';
import { isWs } from './envdoc/chars.ts';
import { CREDENTIAL_FAMILIES } from './providers.ts';
import { isPlaceholder, isSecretName } from './secrets.ts';

// ---------------------------------------------------------------------------------------------
// Credential shapes

export interface CredentialShape {
  readonly id: string;
  /** What it is, for messages ("a GitHub token"). */
  readonly label: string;
  readonly pattern: RegExp;
}

/**
 * Known shapes of live credentials in free text: the `text` patterns of the one provider table
 * (src/core/providers.ts), which also holds the exact whole-value shapes the rules name.
 */
export const CREDENTIAL_SHAPES: readonly CredentialShape[] = CREDENTIAL_FAMILIES.map((f) => ({ id: f.id, label: f.label, pattern: f.text }));

const GLOBAL_SHAPES: readonly { shape: CredentialShape; re: RegExp }[] = CREDENTIAL_SHAPES.map((shape) => ({
  shape,
  re: new RegExp(shape.pattern.source, 'g'),
}));

// ---------------------------------------------------------------------------------------------
// Random-looking runs

function charClass(c: number): number {
  if (c >= 97 && c <= 122) return 0;
  if (c >= 65 && c <= 90) return 1;
  if (c >= 48 && c <= 57) return 2;
  return 3;
}

function isVowel(c: number): boolean {
  const l = c | 32;
  return l === 97 || l === 101 || l === 105 || l === 111 || l === 117 || l === 121;
}

const HEX_RUN = /^(?:[0-9a-f]+|[0-9A-F]+)$/;
const MIN_RUN = 16;

/** Whether one run of letters and digits looks random (see the module comment). */
export function looksRandomRun(run: string): boolean {
  const n = run.length;
  if (n < MIN_RUN) return false;
  let classes = 0;
  for (let i = 0; i < n; i++) classes |= 1 << charClass(run.charCodeAt(i));
  const kinds = (classes & 1) + ((classes >> 1) & 1) + ((classes >> 2) & 1);
  if (kinds < 2 || (classes & 8) !== 0) return false;
  // Capitalised words (Estimate, Scheduler) count as lower case: camelCase is not random.
  const flat = run.replace(/[A-Z][a-z]{2,}/g, (w) => w.toLowerCase());
  let changes = 0;
  let consonants = 0;
  let stretch = 0;
  for (let i = 0; i < n; i++) {
    const c = flat.charCodeAt(i);
    const k = charClass(c);
    if (i > 0 && k !== charClass(flat.charCodeAt(i - 1))) changes++;
    if (k !== 2 && !isVowel(c)) {
      stretch++;
      if (stretch === 4) consonants += 4;
      else if (stretch > 4) consonants++;
    } else stretch = 0;
  }
  const score = changes / (n - 1) + consonants / n;
  if (kinds === 2 && (classes & 4) !== 0) return score >= 0.25 || (n >= 20 && HEX_RUN.test(run));
  return score >= 0.4;
}

const ALNUM_RUNS = /[A-Za-z0-9]{16,}/g;
const BASE64_RUNS = /[A-Za-z0-9+/]{20,}/g;

/** Whether `text` holds a random-looking run of 16+ letters and digits (base64 `+`/`/` dropped). */
export function looksRandom(text: string): boolean {
  return randomSpans(text).length > 0;
}

/** Spans of the random-looking runs of `text`. */
function randomSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(ALNUM_RUNS)) if (looksRandomRun(m[0])) out.push([m.index, m.index + m[0].length]);
  for (const m of text.matchAll(BASE64_RUNS)) {
    if (!/[+/]/.test(m[0])) continue;
    const joined = m[0].replace(/[+/]/g, '');
    if (looksRandomRun(joined)) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/**
 * Whether a key name looks like key material (a random-looking run of 16+ letters and digits):
 * such a name is never printed. `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC` is; `NEXT_PUBLIC_API_URL`,
 * `googleAnalyticsTrackingId` and `AWS_SECRET_ACCESS_KEY` are not.
 */
export function looksLikeKeyMaterial(name: string): boolean {
  const n = name.length;
  if (n < MIN_RUN) return false;
  // The runs of ALNUM_RUNS, found by a walk over the codes (a regex per key was most of the
  // cost of looking for hidden keys, and almost every key has no run that long).
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 0;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) continue;
    if (i - start >= MIN_RUN && looksRandomRun(name.slice(start, i))) return true;
    start = i + 1;
  }
  return false;
}

export interface CredentialToken {
  readonly start: number;
  readonly end: number;
  /** What it looks like ("a GitHub token", "a random-looking token"). */
  readonly label: string;
}

/** Token characters around a random run (base64 and base64url): the whole token is what is hidden. */
function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 95 || c === 45;
}

/**
 * Credential-like tokens in free text (a comment): known provider shapes, PEM armour, URLs with
 * a real-looking password, and random-looking tokens.
 */
export function findCredentialTokens(text: string): CredentialToken[] {
  const out: CredentialToken[] = [];
  for (const { shape, re } of GLOBAL_SHAPES) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      if (shape.id === 'url-password' && isPlaceholder(decodeURIComponentSafe(m[1]!))) continue;
      out.push({ start: m.index, end: m.index + m[0].length, label: shape.label });
    }
  }
  for (const [s, e] of randomSpans(text)) {
    let a = s;
    let b = e;
    while (a > 0 && isTokenChar(text.charCodeAt(a - 1))) a--;
    while (b < text.length && isTokenChar(text.charCodeAt(b))) b++;
    while (b < text.length && b - e < 3 && text.charCodeAt(b) === 61) b++; // base64 padding
    out.push({ start: a, end: b, label: 'a random-looking token' });
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether free text holds anything credential-like (see findCredentialTokens). */
export function hasCredentialToken(text: string): boolean {
  return findCredentialTokens(text).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Unquoted PEM blocks

export interface PemBlock {
  /** The entry whose value is the BEGIN line (`KEY=-----BEGIN …-----`, or `KEY=` right above a BEGIN line), if any. */
  readonly owner: EnvEntry | null;
  /** Index in `doc.nodes` of the BEGIN line. */
  readonly begin: number;
  /** Index in `doc.nodes` of the block's last line (the END line when there is one). */
  readonly last: number;
  /** Entries dotenv reads from the lines after the BEGIN line: their "keys" are key material. */
  readonly entries: readonly EnvEntry[];
  /** Lines after the BEGIN line that dotenv ignores. */
  readonly ignored: number;
  /** Offsets `[start, end)` of the block in the text (from the BEGIN line to the end of the last line). */
  readonly start: number;
  readonly end: number;
}

const BEGIN = /^["'`]?-----BEGIN [A-Z0-9 ]{0,40}-----\s*$/;
const END = /^-----END [A-Z0-9 ]{0,40}-----/;
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
const PEM_HEADER = /^[A-Za-z][A-Za-z0-9-]*: \S/;
const MAX_PEM_LINES = 2000;

function lineText(doc: EnvDocument, node: EnvNode): string {
  return doc.text.slice(node.lineStart, node.lineEnd).trim();
}

/**
 * The unquoted multi-line PEM blocks of a document: a BEGIN line that is an unquoted value (or a
 * line of its own), followed by base64 lines (and RFC 1421 header and blank lines) up to the END
 * line, or up to the last base64 line when there is no END line. A quoted PEM value is one entry
 * and no block.
 */
export function findPemBlocks(doc: EnvDocument): PemBlock[] {
  const out: PemBlock[] = [];
  const nodes = doc.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    let owner: EnvEntry | null = null;
    if (node.type === 'entry') {
      if (node.quote !== null || node.endLine !== node.line || !BEGIN.test(node.value)) continue;
      owner = node;
    } else if (node.type === 'invalid') {
      if (!BEGIN.test(lineText(doc, node))) continue;
      const prev = i > 0 ? nodes[i - 1]! : undefined;
      if (prev !== undefined && prev.type === 'entry' && prev.valueStart === prev.valueEnd && prev.commentStart < 0) owner = prev;
    } else continue;
    let last = -1;
    let lastBase64 = -1;
    for (let j = i + 1; j < nodes.length && j - i <= MAX_PEM_LINES; j++) {
      const n = nodes[j]!;
      if (n.type === 'comment') break;
      const t = lineText(doc, n);
      if (END.test(t)) {
        last = j;
        break;
      }
      if (n.type === 'entry' && n.endLine !== n.line) break;
      if (t === '' || PEM_HEADER.test(t)) continue;
      if (!BASE64_LINE.test(t)) break;
      lastBase64 = j;
    }
    if (last < 0) last = lastBase64;
    if (last < 0) continue;
    const entries: EnvEntry[] = [];
    let ignored = 0;
    for (let j = i + 1; j <= last; j++) {
      const n = nodes[j]!;
      if (n.type === 'entry') entries.push(n);
      else if (n.type === 'invalid') ignored++;
    }
    out.push({ owner, begin: i, last, entries, ignored, start: node.lineStart, end: nodes[last]!.lineEnd });
    i = last;
  }
  return out;
}

/** The entries whose key must never be printed or copied: PEM block lines and key-material names. */
export interface HiddenKeys {
  /** Entry indexes (in `doc.entries`). */
  readonly entries: ReadonlySet<number>;
  /** Their key names. */
  readonly names: ReadonlySet<string>;
  readonly blocks: readonly PemBlock[];
}

const hiddenCache = new WeakMap<EnvDocument, HiddenKeys>();
const NO_HIDDEN_KEYS: HiddenKeys = { entries: new Set(), names: new Set(), blocks: [] };

/**
 * Whether a node may make keys hidden (see hiddenKeys): an entry whose key looks like key material
 * or whose value could be a PEM BEGIN line, or a line of its own that could be one. `line`: the
 * node's text (read only for lines dotenv ignores). A superset: false means certainly not.
 */
export function mayHideKeys(node: EnvNode, line: () => string): boolean {
  if (node.type === 'entry') return looksLikeKeyMaterial(node.key) || node.value.includes('-----BEGIN');
  return node.type === 'invalid' && line().includes('-----BEGIN');
}

/**
 * Records that `doc` has no hidden keys, which its owner knows without a scan (no node for which
 * mayHideKeys is true): hiddenKeys(doc) then answers at once.
 */
export function noHiddenKeys(doc: EnvDocument): void {
  hiddenCache.set(doc, NO_HIDDEN_KEYS);
}

export function hiddenKeys(doc: EnvDocument): HiddenKeys {
  const hit = hiddenCache.get(doc);
  if (hit !== undefined) return hit;
  const blocks = findPemBlocks(doc);
  const entries = new Set<number>();
  const names = new Set<string>();
  for (const b of blocks) {
    for (const e of b.entries) {
      entries.add(e.index);
      names.add(e.key);
    }
  }
  for (const e of doc.entries) {
    if (looksLikeKeyMaterial(e.key)) {
      entries.add(e.index);
      names.add(e.key);
    }
  }
  // Every occurrence of a hidden name is hidden.
  if (names.size > 0) for (const e of doc.entries) if (names.has(e.key)) entries.add(e.index);
  const out: HiddenKeys = { entries, names, blocks };
  hiddenCache.set(doc, out);
  return out;
}

/** How a message may name an entry: its key, or "the key on line N" when the key is hidden. */
export function keyLabel(doc: EnvDocument, entry: EnvEntry): string {
  return hiddenKeys(doc).entries.has(entry.index) ? `the key on line ${entry.line + 1}` : entry.key;
}

/** The syntax finding's message for an unquoted PEM block. */
export function pemMessage(block: PemBlock): string {
  const n = block.entries.length;
  const subject = block.owner !== null ? `${block.owner.key}'s value is a PEM block` : 'This PEM block';
  const keys = n === 0 ? '' : `, and reads ${n === 1 ? '1 following line as a separate key' : `${n} following lines as separate keys`}`;
  const what = block.owner !== null ? 'only its first line' : 'none of it as a value';
  return `${subject} written over several lines without quotes: dotenv reads ${what}, ignores ${block.ignored === 1 ? '1 line' : `${block.ignored} lines`}${keys}. The key must be in double quotes: put the whole block in "…".`;
}

// ---------------------------------------------------------------------------------------------
// Values that may be copied

const BOOLEANS: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'enabled', 'disabled']);
/** Numbers small enough to be configuration (ports, sizes, counts, timeouts, ratios). */
export const SMALL_NUMBER = /^[+-]?\d{1,7}(?:\.\d{1,6})?$/;
const DURATION = /^\d{1,6}(?:\.\d{1,3})?(?:ms|s|m|h|d|w|y|k|kb|mb|gb|tb)$/i;
const VERSION = /^v?\d{1,4}(?:\.\d{1,4}){1,2}$/;
const LOCALHOST = /^(?:localhost|\[::1\]|::1)(?::\d{1,5})?$/i;
const LOOPBACK_IPV4 = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0)(?::\d{1,5})?$/;

/**
 * Known enum words copied into examples as they are (compared case-insensitively): log levels,
 * environment names, log formats. Anything else that is a word becomes a placeholder.
 */
export const ENUM_WORDS: readonly string[] = [
  // log levels (syslog, log4j, winston, pino, Python logging, Rust log)
  'trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'fatal', 'critical', 'alert', 'emerg', 'emergency', 'panic',
  'silent', 'silly', 'verbose', 'all', 'none', 'off',
  // environment names
  'development', 'dev', 'production', 'prod', 'staging', 'stage', 'test', 'testing', 'local', 'preview', 'qa', 'uat',
  'sandbox', 'ci',
  // log formats
  'json', 'text', 'pretty', 'plain', 'logfmt',
];
const ENUM_SET: ReadonlySet<string> = new Set(ENUM_WORDS);
/** Cloud region names: AWS (`us-east-1`, `us-gov-west-1`), Google Cloud (`europe-west4`), Azure (`westeurope`). */
const REGION = /^(?:[a-z]{2}(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d|(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)\d|(?:east|west|central|north|south)(?:us|europe|asia)\d?)$/;

/** Whether `value` is of a kind that is provably not secret, so an example may show it as it is. */
export function isKeepableValue(value: string): boolean {
  if (value === '' || value !== value.trim()) return false;
  const lower = value.toLowerCase();
  return (
    BOOLEANS.has(lower) || ENUM_SET.has(lower) || REGION.test(value) || SMALL_NUMBER.test(value) || DURATION.test(value) || VERSION.test(value) ||
    LOCALHOST.test(value) || LOOPBACK_IPV4.test(value)
  );
}

// ---------------------------------------------------------------------------------------------
// Taint: what copied or printed text must not repeat

const WINDOW = 8;
const B1 = 0x01000193;
const B2 = 0x5bd1e995;

/**
 * A table slot for a hash pair: the pair mixed so that its low bits depend on every bit (the
 * rolling hashes' own low bits depend only on the characters' low bits, which piled windows of
 * similar text into long runs of neighbouring slots).
 */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ (b >>> 16) ^ (b << 16), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** `base^(n-1)` modulo 2^32. */
function topPower(base: number, n: number): number {
  let p = 1;
  for (let i = 1; i < n; i++) p = Math.imul(p, base);
  return p;
}

/**
 * A set of strings of one length, stored as two 32-bit polynomial hashes (open addressing over
 * typed arrays) and searched with rolling hashes: linear in the text, no substrings allocated.
 * Two different strings share both hashes about once in 2^64: then an innocent comment is left
 * out, never the other way round. A set, not CountedPairs (the gate's multiset): without counts and
 * removed slots, the whole gate of a 10k-line file builds 8-25% faster.
 */
class HashedStrings {
  readonly length: number;
  private h1 = new Int32Array(64);
  private h2 = new Int32Array(64);
  private used = new Uint8Array(64);
  private size = 0;

  constructor(length: number) {
    this.length = length;
  }

  private insert(a: number, b: number): void {
    const mask = this.used.length - 1;
    let slot = mix(a, b) & mask;
    while (this.used[slot] === 1) {
      if (this.h1[slot] === a && this.h2[slot] === b) return;
      slot = (slot + 1) & mask;
    }
    this.used[slot] = 1;
    this.h1[slot] = a;
    this.h2[slot] = b;
    this.size++;
  }

  private has(a: number, b: number): boolean {
    const mask = this.used.length - 1;
    let slot = mix(a, b) & mask;
    while (this.used[slot] === 1) {
      if (this.h1[slot] === a && this.h2[slot] === b) return true;
      slot = (slot + 1) & mask;
    }
    return false;
  }

  private grow(): void {
    const { h1, h2, used } = this;
    this.h1 = new Int32Array(used.length * 2);
    this.h2 = new Int32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i] === 1) this.insert(h1[i]!, h2[i]!);
  }

  /** Adds every window of `token` of this length that is not only whitespace. */
  addWindows(token: string): void {
    eachWindow(token, this.length, true, (a, b) => {
      if ((this.size + 1) * 2 > this.used.length) this.grow();
      this.insert(a, b);
      return false;
    });
  }

  /** Starts of the windows of `text` in the set; with `first`, at most one. */
  find(text: string, first: boolean): number[] {
    const out: number[] = [];
    if (this.size === 0) return out;
    eachWindow(text, this.length, false, (a, b, start) => {
      if (!this.has(a, b)) return false;
      out.push(start);
      return first;
    });
    return out;
  }
}

const ALL_SPACE = /^\s*$/;

/** Where taint tokens go: a Taint, or a list of one node's tokens (see nodeTaint). */
export interface TaintSink {
  add(token: string, minShort?: number): void;
}

/**
 * Tokens that must not appear in text copied or printed from `.env`. A token of 8+ characters
 * taints every 8-character window of it (windows of only whitespace excepted); a shorter one
 * (from `minShort` characters) taints its whole text.
 */
export class Taint implements TaintSink {
  private readonly byLength = new Map<number, HashedStrings>();

  add(token: string, minShort = 6): void {
    const n = token.length;
    if (n < minShort || (n < WINDOW && ALL_SPACE.test(token))) return;
    const len = Math.min(n, WINDOW);
    let set = this.byLength.get(len);
    if (set === undefined) this.byLength.set(len, (set = new HashedStrings(len)));
    set.addWindows(token);
  }

  /** Where `text` repeats a token: `[start, end)` ranges (overlapping, unordered). */
  find(text: string): [number, number][] {
    const out: [number, number][] = [];
    for (const [len, set] of this.byLength) for (const start of set.find(text, false)) out.push([start, start + len]);
    return out;
  }

  /** Whether `text` contains a window of a token of 8+ characters, or a whole shorter token. */
  hits(text: string): boolean {
    for (const set of this.byLength.values()) if (set.find(text, true).length > 0) return true;
    return false;
  }
}

/** User names that say nothing about a deployment: not treated as sensitive URL parts. */
const DEFAULT_USERS: ReadonlySet<string> = new Set([
  'postgres', 'root', 'admin', 'user', 'guest', 'default', 'sa', 'mysql', 'redis', 'mongo', 'rabbitmq', 'elastic', 'app',
]);

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

export interface UrlParts {
  scheme: string;
  userinfo: string | null;
  hosts: { host: string; port: string | null }[];
  path: string;
  query: string | null;
}

const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s]*)([^?#\s]*)(?:\?([^#\s]*))?(?:#\S*)?$/;

export function splitUrl(value: string): UrlParts | null {
  const m = URL_SHAPE.exec(value);
  if (m === null) return null;
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? null : authority.slice(0, at);
  const hostlist = at < 0 ? authority : authority.slice(at + 1);
  const hosts: UrlParts['hosts'] = [];
  for (const h of hostlist.split(',')) {
    const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(h);
    if (pm === null) return null;
    hosts.push({ host: pm[1]!, port: pm[2] ?? null });
  }
  return { scheme: m[1]!, userinfo, hosts, path: m[3]!, query: m[4] ?? null };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || h === '0.0.0.0' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** Lower-case words of up to 16 characters with a few digits: path parts that are plainly not secret. */
export function isSafeWord(s: string): boolean {
  return s.length > 0 && s.length <= 16 && (/^[a-z]+[0-9]{0,3}(?:[-_](?:[a-z]+[0-9]{0,3}|[0-9]{1,3}))*$/.test(s) || /^[A-Z]+[0-9]{0,3}(?:[-_](?:[A-Z]+[0-9]{0,3}|[0-9]{1,3}))*$/.test(s));
}

export interface TaintOptions {
  /** Extra secret-name patterns (as for isSecretName). */
  secretPatterns?: readonly string[];
}

/** A value of only references to other keys. */
const ONLY_REFERENCES = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)+$/;

/**
 * Adds what a `.env` value hides to the taint (see the module comment). `keep`: the caller
 * copies this value on purpose (a user's `<keep>` rule): only its secret parts are tainted.
 */
export function taintValue(taint: TaintSink, key: string, value: string, options: TaintOptions = {}, keep = false): void {
  if (value.trim() === '') return;
  // A value that only refers to other keys (`${SHARED_SECRET}`, `$A$B`) holds their names, not a
  // secret: tainting it withheld every message naming a key that shares 8 characters with them.
  if (ONLY_REFERENCES.test(value) && !looksLikeKeyMaterial(value)) return;
  const secret = isSecretName(key, options.secretPatterns);
  // A short boolean or number is not a secret, even under a secret name (BASIC_AUTH=false).
  const plain = value.length < WINDOW && (BOOLEANS.has(value.toLowerCase()) || SMALL_NUMBER.test(value));
  if (secret && !plain) taint.add(value, 6);
  const url = splitUrl(value);
  if (url !== null) {
    if (url.userinfo !== null) {
      const colon = url.userinfo.indexOf(':');
      const user = colon < 0 ? url.userinfo : url.userinfo.slice(0, colon);
      if (!DEFAULT_USERS.has(user.toLowerCase())) taint.add(user, 6);
      if (colon >= 0) taint.add(url.userinfo.slice(colon + 1), 6);
    }
    for (const h of url.hosts) if (!isLoopbackHost(h.host)) taint.add(h.host, 6);
    for (const seg of url.path.split('/')) if (!isSafeWord(seg) && !/^\d{1,4}$/.test(seg)) taint.add(seg, 8);
    if (url.query !== null) for (const pair of url.query.split('&')) taint.add(pair.slice(pair.indexOf('=') + 1), 8);
    return;
  }
  if (EMAIL.test(value)) {
    taint.add(value, 6);
    taint.add(value.slice(0, value.lastIndexOf('@')), 4);
    return;
  }
  if (!secret && !keep && !isKeepableValue(value)) taint.add(value, 6);
}

/** The raw tail of an unquoted value cut at a `#` with no space before it (python-dotenv keeps it). */
export function hashTail(doc: EnvDocument, e: EnvEntry): string | null {
  if (e.quote !== null || e.commentStart < 0) return null;
  const before = e.commentStart > 0 ? doc.text.charCodeAt(e.commentStart - 1) : 32;
  if (isWs(before) && e.commentStart !== e.valueStart) return null;
  return doc.text.slice(e.valueStart === e.valueEnd ? e.commentStart : e.valueStart, e.lineEnd).trimEnd();
}

/**
 * Everything a document hides: the taint of every value (see taintValue), the `#` tails that
 * python-dotenv reads as part of a value, credential-like tokens in comments, and hidden key names.
 */
export function documentTaint(doc: EnvDocument, options: TaintOptions = {}, keep?: (key: string) => boolean): Taint {
  const taint = new Taint();
  const hidden = hiddenKeys(doc);
  for (const e of doc.entries) {
    if (hidden.entries.has(e.index)) {
      taint.add(e.key, 6);
      taint.add(e.value, 6);
      continue;
    }
    nodeTaint(doc, e, taint, options, keep?.(e.key) === true);
  }
  for (const n of doc.nodes) if (n.type !== 'entry') nodeTaint(doc, n, taint, options, false);
  return taint;
}

/**
 * What one node adds to its document's taint (an entry that is not hidden, or any other node):
 * the part of documentTaint that depends on that node alone.
 */
export function nodeTaint(doc: EnvDocument, n: EnvNode, taint: TaintSink, options: TaintOptions = {}, keep = false): void {
  if (n.type === 'entry') {
    taintValue(taint, n.key, n.value, options, keep);
    const tail = hashTail(doc, n);
    if (tail !== null) taint.add(tail, 6);
    if (n.commentStart >= 0) for (const t of findCredentialTokens(doc.text.slice(n.commentStart, n.lineEnd))) taint.add(doc.text.slice(n.commentStart + t.start, n.commentStart + t.end), 6);
    return;
  }
  if (n.type === 'blank') return;
  const text = doc.text.slice(n.lineStart, n.lineEnd);
  for (const t of findCredentialTokens(text)) taint.add(text.slice(t.start, t.end), 6);
  // Lines dotenv cannot read are never printed or copied: what they hold is hidden too.
  if (n.type === 'invalid') taint.add(text.trim(), 6);
}

// ---------------------------------------------------------------------------------------------
// The message gate

const NAME_ONLY = /^[A-Za-z0-9_.-]+$/;
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/** Calls `visit(start, end)` for each run of key characters ([A-Za-z0-9_.-]) in `line`: every key name lies inside one. */
function eachNameRun(line: string, visit: (start: number, end: number) => void): void {
  const n = line.length;
  for (let i = 0; i < n; ) {
    if (!isNameChar(line.charCodeAt(i))) {
      i++;
      continue;
    }
    let e = i + 1;
    while (e < n && isNameChar(line.charCodeAt(e))) e++;
    visit(i, e);
    i = e;
  }
}

/**
 * A message with its allowed names masked (each replaced by NUL) may be printed when no taint hits
 * it (`tainted`) and it holds no credential-like token.
 */
function maskedPasses(masked: string, tainted: (text: string) => boolean): boolean {
  return !tainted(masked) && !hasCredentialToken(masked.split('\u0000').join(' '));
}

/** What is printed instead of a withheld message, naming `key` when it may be named. */
function withheldLine(key: string | undefined): string {
  return `${key !== undefined ? `${key}: ` : ''}message withheld: it would repeat text from the file's values, comments or unreadable lines`;
}

/**
 * Checks lines printed about a file against what the file hides. Build one per file (or pair of
 * files) with `forDocuments`; `allow` the key and file names the output names on purpose.
 */
export class MessageGate {
  private readonly taints: Taint[];
  private readonly hiddenNames = new Set<string>();
  private readonly allowed = new Set<string>();
  /** Longest allowed name of key characters only, and the other allowed names (-1: not worked out since the last allow()). */
  private allowedMax = -1;
  private allowedOther: string[] | undefined;
  /** Verdict per masked line (the taints never change after forDocuments). */
  private readonly verdicts = new Map<string, boolean>();
  /** Lines withheld so far (for a summary). */
  withheld = 0;

  constructor(taints: readonly Taint[] = [], hiddenNames: Iterable<string> = []) {
    this.taints = [...taints];
    for (const n of hiddenNames) this.hiddenNames.add(n);
  }

  /**
   * A gate for messages about these documents (a `.env` and its example, say): their taints and
   * hidden key names; their other key names are allowed.
   */
  static forDocuments(docs: readonly EnvDocument[], options: TaintOptions = {}): MessageGate {
    const gate = new MessageGate();
    for (const doc of docs) {
      gate.taints.push(documentTaint(doc, options));
      const hidden = hiddenKeys(doc);
      for (const n of hidden.names) gate.hiddenNames.add(n);
    }
    for (const doc of docs) {
      const hidden = hiddenKeys(doc);
      for (const e of doc.entries) if (!hidden.entries.has(e.index)) gate.allow(e.key);
    }
    return gate;
  }

  /** Names printed on purpose (file names, key names that are not hidden): masked before the check. */
  allow(...names: readonly string[]): this {
    for (const n of names) {
      // A name that itself repeats a hidden value is not masked: printing it would print the value.
      if (n.length > 0 && !this.hiddenNames.has(n) && !looksLikeKeyMaterial(n) && !this.taints.some((t) => t.hits(n))) this.allowed.add(n);
    }
    this.allowedMax = -1;
    return this;
  }

  /**
   * The allowed names `line` contains. Names of key characters only ([A-Za-z0-9_.-], every key
   * name) can occur only inside a run of such characters, so the runs' substrings are looked up
   * (a set lookup each, up to the longest such name) instead of testing every name of the file
   * against every line (which made a gate over a 100k-line file cost seconds); other names (file
   * names with spaces, say) are tested one by one.
   */
  private allowedIn(line: string): string[] {
    if (this.allowedMax < 0) {
      this.allowedMax = 0;
      this.allowedOther = [];
      for (const n of this.allowed) {
        if (NAME_ONLY.test(n)) this.allowedMax = Math.max(this.allowedMax, n.length);
        else this.allowedOther.push(n);
      }
    }
    const found = new Set<string>();
    eachNameRun(line, (i, e) => {
      for (let a = i; a < e; a++) {
        const stop = Math.min(e, a + this.allowedMax);
        for (let b = a + 1; b <= stop; b++) {
          const sub = line.slice(a, b);
          if (this.allowed.has(sub)) found.add(sub);
        }
      }
    });
    for (const o of this.allowedOther!) if (line.includes(o)) found.add(o);
    return [...found];
  }

  /** Whether `line` may be printed. */
  passes(line: string): boolean {
    let masked = line;
    for (const n of this.hiddenNames) if (masked.includes(n) && (n.length >= 6 || new RegExp(`(^|[^A-Za-z0-9_.-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_.-])`).test(masked))) return false;
    if (this.allowed.size > 0) {
      // Longest names first, so that a name containing another is masked whole.
      const names = this.allowedIn(masked).sort((a, b) => b.length - a.length);
      for (const n of names) masked = masked.split(n).join('\u0000');
    }
    // Messages of one template about allowed keys mask to the same text: check each text once.
    let ok = this.verdicts.get(masked);
    if (ok === undefined) {
      ok = maskedPasses(masked, (text) => this.taints.some((t) => t.hits(text)));
      if (this.verdicts.size < 10_000) this.verdicts.set(masked, ok);
    }
    return ok;
  }

  /**
   * `line` when it passes; otherwise a replacement naming `key` (when given and not hidden) that
   * says the message was withheld.
   */
  line(line: string, key?: string): string {
    if (this.passes(line)) return line;
    this.withheld++;
    return withheldLine(key !== undefined && this.allowed.has(key) ? key : undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// The example guard

/** Where a line of a new example came from: `.env` text that may be withheld, or anything else. */
export type LineOrigin = { kind: 'other' } | { kind: 'comment'; node: EnvNode } | { kind: 'entry'; key: string; inline: boolean };

/**
 * The leak decisions of one example sync: which `.env` comments and inline comments are copied,
 * and the last gate over the finished text. syncExample assembles; this decides.
 */
export class ExampleGuard {
  readonly taint: Taint;
  readonly hidden: HiddenKeys;
  /** `.env` comment lines the last gate withheld. */
  readonly dropNodes = new Set<EnvNode>();
  /** Keys whose copied inline comment the last gate withheld. */
  readonly dropInline = new Set<string>();
  /** Keys whose copied value (or fake) the last gate withheld: they get `<KEY>`. */
  readonly hideValue = new Set<string>();
  private readonly src: EnvDocument;

  /**
   * `keep(key)`: a user rule copies the key's value on purpose. `commented`: the assignments of
   * commented-out lines (`# API_KEY=…`), which hide their values like entries do.
   */
  constructor(src: EnvDocument, options: TaintOptions, keep: (key: string) => boolean, commented: readonly { key: string; value: string }[]) {
    this.src = src;
    this.hidden = hiddenKeys(src);
    this.taint = documentTaint(src, options, keep);
    for (const a of commented) taintValue(this.taint, a.key, a.value, options, keep(a.key));
  }

  /** Whether a `.env` comment line, as it would be written (`line`), may be copied. */
  comment(node: EnvNode, line: string): boolean {
    return !this.dropNodes.has(node) && !hasCredentialToken(line) && !this.taint.hits(line);
  }

  /**
   * Whether an entry's inline comment (`comment`, from its `#`) may be copied: never after a
   * secret's value (`secret`), never when the `#` is glued to the value (python-dotenv reads it as
   * part of the value), never when it holds anything credential-like or repeats a hidden value.
   */
  inline(entry: EnvEntry, comment: string, secret: boolean): boolean {
    if (secret || this.dropInline.has(entry.key)) return false;
    if (hashTail(this.src, entry) !== null) return false;
    return !hasCredentialToken(comment) && !this.taint.hits(comment);
  }

  /** Whether copied text (a kept value, a fake) repeats something hidden. */
  repeats(text: string): boolean {
    return this.taint.hits(text);
  }

  /**
   * The last gate: where the finished example text repeats something hidden (a run can straddle
   * a line break, which line-by-line checks miss), `.env` text on a line the hit touches is marked
   * to go, one step per hit: a copied comment line goes; an entry first loses its copied inline
   * comment, then its value becomes `<KEY>`. A hit that touches a line already marked in this
   * pass waits for the next pass. Returns whether anything was marked (then the caller renders
   * again); when nothing is, every remaining hit lies in text that did not come from `.env`
   * (key names, fixed example values, the example's own lines).
   *
   * `starts[i]` is the offset in `text` where line i starts; `count` lines were kept.
   */
  gate(text: string, starts: readonly number[], count: number, origins: readonly LineOrigin[]): boolean {
    const hits = this.taint.find(text);
    for (const t of findCredentialTokens(text)) hits.push([t.start, t.end]);
    if (hits.length === 0) return false;
    const markedNow = new Set<number>();
    for (const [start, end] of hits) {
      // The lines [first, last] the hit touches (a line owns the line break after it).
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= start) lo = mid;
        else hi = mid - 1;
      }
      let last = lo;
      while (last + 1 < count && starts[last + 1]! < end) last++;
      let busy = false;
      for (let i = lo; i <= last; i++) if (markedNow.has(i)) busy = true;
      if (busy) continue;
      for (let i = lo; i <= last; i++) {
        const o = origins[i]!;
        let step = false;
        if (o.kind === 'comment') {
          if (!this.dropNodes.has(o.node)) {
            this.dropNodes.add(o.node);
            step = true;
          }
        } else if (o.kind === 'entry') {
          if (o.inline && !this.dropInline.has(o.key)) {
            this.dropInline.add(o.key);
            step = true;
          } else if (!this.hideValue.has(o.key)) {
            this.hideValue.add(o.key);
            step = true;
          }
        }
        if (step) {
          markedNow.add(i);
          break;
        }
      }
    }
    return markedNow.size > 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Findings

/** The fields of a rule finding the guard reads and rewrites (see src/core/rules/types.ts). */
export interface GuardedFinding {
  readonly code: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly message: string;
  readonly key?: string;
  readonly fix?: unknown;
  readonly reason?: string;
}

function replaceAll(text: string, find: string, by: string): string {
  return find === '' ? text : text.split(find).join(by);
}

/**
 * Findings as they may be shown: those on the lines after the BEGIN line of an unquoted PEM block
 * (and the owner's `unquoted-space`) give way to the block's own `unquoted-pem` finding; a
 * finding about a key whose name is key material names it "the key on line N" and carries no key
 * or fix (a quick fix's title would name it). Returns `findings` itself when nothing changes.
 */
export function guardFindings<F extends GuardedFinding>(doc: EnvDocument, findings: readonly F[]): F[] {
  const hidden = hiddenKeys(doc);
  if (hidden.entries.size === 0 && hidden.blocks.length === 0) return findings as F[];
  const out: F[] = [];
  const blocks = hidden.blocks;
  const ownerValues = new Set<number>();
  for (const b of blocks) if (b.owner !== null) ownerValues.add(b.owner.valueStart);
  const byName = new Map<string, number>();
  for (const i of hidden.entries) {
    const e = doc.entries[i]!;
    if (!byName.has(e.key)) byName.set(e.key, e.line);
  }
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  for (const f of findings) {
    if (f.reason !== 'unquoted-pem') {
      const inBlock = blocks.length > 0 && blocks.some((b) => f.start >= doc.nodes[b.begin + 1]!.lineStart && f.start <= b.end);
      if (inBlock) continue;
      if (f.reason === 'unquoted-space' && ownerValues.has(f.start)) continue;
    }
    let message = f.message;
    let touched = f.key !== undefined && byName.has(f.key);
    for (const n of names) {
      if (!message.includes(n)) continue;
      message = replaceAll(message, n, `the key on line ${byName.get(n)! + 1}`);
      touched = true;
    }
    if (message.startsWith('the key on line')) message = 'T' + message.slice(1);
    if (!touched) {
      out.push(f);
      continue;
    }
    const copy = { ...f, message } as unknown as Record<string, unknown>;
    delete copy['key'];
    delete copy['fix'];
    out.push(copy as unknown as F);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The message gate, kept up to date edit by edit

/**
 * Calls `visit(a, b, start)` with the two hashes of each window of `text` of length `len` (only-whitespace
 * ones skipped when `skipBlank`) and where it starts; stops when it returns true.
 */
function eachWindow(text: string, len: number, skipBlank: boolean, visit: (a: number, b: number, start: number) => boolean): boolean {
  const top1 = topPower(B1, len);
  const top2 = topPower(B2, len);
  let a = 0;
  let b = 0;
  let solid = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (i >= len) {
      const out = text.charCodeAt(i - len);
      a = (a - Math.imul(out, top1)) | 0;
      b = (b - Math.imul(out, top2)) | 0;
      if (!isWs(out)) solid--;
    }
    a = (Math.imul(a, B1) + c) | 0;
    b = (Math.imul(b, B2) + c) | 0;
    if (!isWs(c)) solid++;
    if (i >= len - 1 && (solid > 0 || !skipBlank) && visit(a, b, i - len + 1)) return true;
  }
  return false;
}

/** The window hashes of `text` of length `len` (all windows), as pairs, kept in `cache`. */
function windowPairs(text: string, len: number, cache: Map<number, Int32Array>): Int32Array {
  let pairs = cache.get(len);
  if (pairs === undefined) {
    const ps = new Int32Array(2 * Math.max(0, text.length - len + 1));
    let k = 0;
    eachWindow(text, len, false, (a, b) => {
      ps[k++] = a;
      ps[k++] = b;
      return false;
    });
    cache.set(len, (pairs = ps));
  }
  return pairs;
}

/** A number for a hash pair (a Map key; two pairs may share one: then a text is looked at again for nothing). */
const pairKey = (a: number, b: number): number => (a >>> 0) + (b & 0x1fffff) * 4294967296;

/**
 * A multiset of hash pairs: open addressing over typed arrays, with a count per pair (0: empty
 * slot, -1: removed). At most 60% full (removed slots included): 20-40 bytes per pair.
 */
class CountedPairs {
  private h1: Int32Array;
  private h2: Int32Array;
  private count: Int32Array;
  size = 0;
  /** Slots not empty (live or removed). */
  private filled = 0;

  constructor(capacity = 16) {
    this.h1 = new Int32Array(capacity);
    this.h2 = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
  }

  get capacity(): number {
    return this.count.length;
  }

  has(a: number, b: number): boolean {
    const count = this.count;
    const mask = count.length - 1;
    for (let slot = mix(a, b) & mask; count[slot] !== 0; slot = (slot + 1) & mask) {
      if (count[slot]! > 0 && this.h1[slot] === a && this.h2[slot] === b) return true;
    }
    return false;
  }

  /** Calls `visit(a, b)` for each pair held. */
  forEach(visit: (a: number, b: number) => void): void {
    const count = this.count;
    for (let i = 0; i < count.length; i++) if (count[i]! > 0) visit(this.h1[i]!, this.h2[i]!);
  }

  /** Empties the set, keeping its arrays. */
  reset(): void {
    this.count.fill(0);
    this.size = 0;
    this.filled = 0;
  }

  change(a: number, b: number, by: 1 | -1): void {
    const count = this.count;
    const mask = count.length - 1;
    let free = -1;
    let slot = mix(a, b) & mask;
    for (; count[slot] !== 0; slot = (slot + 1) & mask) {
      if (count[slot]! < 0) {
        if (free < 0) free = slot;
      } else if (this.h1[slot] === a && this.h2[slot] === b) {
        const c = count[slot]! + by;
        if (c > 0) count[slot] = c;
        else {
          count[slot] = -1;
          this.size--;
        }
        return;
      }
    }
    if (by < 0) return;
    if (free < 0) {
      if ((this.filled + 1) * 5 > count.length * 3) {
        this.rehash();
        this.change(a, b, by);
        return;
      }
      free = slot;
      this.filled++;
    }
    count[free] = 1;
    this.h1[free] = a;
    this.h2[free] = b;
    this.size++;
  }

  /** Removed slots dropped, into arrays twice as large when more than 30% are live (so at most 60% full). */
  private rehash(): void {
    const { h1, h2, count } = this;
    const n = (this.size + 1) * 10 > count.length * 3 ? count.length * 2 : count.length;
    this.h1 = new Int32Array(n);
    this.h2 = new Int32Array(n);
    this.count = new Int32Array(n);
    this.size = 0;
    this.filled = 0;
    const m = n - 1;
    for (let i = 0; i < count.length; i++) {
      if (count[i]! <= 0) continue;
      let slot = mix(h1[i]!, h2[i]!) & m;
      while (this.count[slot] !== 0) slot = (slot + 1) & m;
      this.count[slot] = count[i]!;
      this.h1[slot] = h1[i]!;
      this.h2[slot] = h2[i]!;
      this.size++;
      this.filled++;
    }
  }
}

/** A Taint whose tokens can be removed again (a count per window), with the same hits() as Taint. */
export class CountedTaint implements TaintSink {
  private readonly byLength = new Map<number, CountedPairs>();

  private change(token: string, minShort: number, by: 1 | -1): void {
    const n = token.length;
    if (n < minShort || (n < WINDOW && ALL_SPACE.test(token))) return;
    const len = Math.min(n, WINDOW);
    let set = this.byLength.get(len);
    if (set === undefined) this.byLength.set(len, (set = new CountedPairs()));
    const s = set;
    eachWindow(token, len, true, (a, b) => {
      s.change(a, b, by);
      return false;
    });
  }

  add(token: string, minShort = 6): void {
    this.change(token, minShort, 1);
  }

  remove(token: string, minShort = 6): void {
    this.change(token, minShort, -1);
  }

  get empty(): boolean {
    for (const set of this.byLength.values()) if (set.size > 0) return false;
    return true;
  }

  /** Empties it (small sets keep their arrays for the next use). */
  clear(): void {
    for (const [len, set] of this.byLength) {
      if (set.capacity > 1024) this.byLength.delete(len);
      else set.reset();
    }
  }

  hits(text: string): boolean {
    for (const [len, set] of this.byLength) if (set.size > 0 && eachWindow(text, len, false, (a, b) => set.has(a, b))) return true;
    return false;
  }

  /**
   * Sizes the table for windows of `len` characters for `windows` more windows at once (allocating
   * it once instead of doubling it a dozen times: large typed arrays bring on garbage collection).
   */
  reserve(len: number, windows: number): void {
    const set = this.byLength.get(len);
    if (set !== undefined && set.size > 0) return;
    let cap = 16;
    while (cap * 3 < windows * 5) cap *= 2;
    this.byLength.set(len, new CountedPairs(cap));
  }

  /** Calls `visit(len, a, b)` for each window held. */
  forEachWindow(visit: (len: number, a: number, b: number) => void): void {
    for (const [len, set] of this.byLength) if (set.size > 0) set.forEach((a, b) => visit(len, a, b));
  }
}

/** A name (key or extra name) that kept messages contain: those messages, its status, its window hashes. */
interface NameHolder {
  readonly name: string;
  readonly msgs: Set<GatedMessage>;
  readonly wins: Map<number, Int32Array>;
  /** Whether it is masked (MessageGate.allow's test); undefined until worked out. */
  allowed: boolean | undefined;
}

/** The kept messages that mask to one text, its verdict and its window hashes. */
interface MaskHolder {
  readonly masked: string;
  readonly msgs: Set<GatedMessage>;
  readonly wins: Map<number, Int32Array>;
  passes: boolean;
}

/** What one node brings to the gate of its document: the key it names, the taint tokens it adds (token, minShort, …). */
export interface GateShare {
  readonly key: string | null;
  readonly tokens: readonly (string | number)[];
}

/** The gate share of a node (see nodeTaint); `doc` need hold only this node (offsets into `doc.text`). */
export function gateShare(doc: EnvDocument, node: EnvNode, options: TaintOptions = {}): GateShare {
  if (node.type === 'blank') return NO_SHARE;
  let tokens: (string | number)[] | undefined;
  nodeTaint(doc, node, { add: (t, m = 6) => void (tokens ??= []).push(t, m) }, options);
  if (node.type !== 'entry') return tokens === undefined ? NO_SHARE : { key: null, tokens };
  return { key: node.key, tokens: tokens ?? NO_TOKENS };
}

const NO_TOKENS: readonly (string | number)[] = [];
const NO_SHARE: GateShare = { key: null, tokens: NO_TOKENS };

interface GatedMessage {
  readonly line: string;
  /** Names (keys of the document, or extra names) the message contains. */
  names: NameHolder[];
  mask: MaskHolder | undefined;
  /** Publication that last used it. */
  used: number;
}

/**
 * The message gate of one document without hidden keys (hiddenKeys empty: no PEM block, no
 * key-material name), kept up to date from its nodes' shares: `lines()` answers exactly as
 * `MessageGate.forDocuments([doc], options).allow(...extra)` would, line by line, but an edit
 * costs only what it changes. Each message's verdict is kept and looked at again only when the
 * edit could change it: a name it contains came or went or changed status, the added taint hits
 * its masked text, or the removed taint hits the masked text of a withheld message.
 */
export class IncrementalGate {
  private readonly taint = new CountedTaint();
  /** Key → number of entries with it. */
  private readonly keys = new Map<string, number>();
  /** Key hash → keys, to find names inside messages without slicing every substring. */
  private readonly byHash = new Map<number, string[]>();
  private maxName = 0;
  private readonly extra: readonly string[];
  private readonly extraSet: ReadonlySet<string>;
  private readonly otherExtra: readonly string[];
  private readonly messages = new Map<string, GatedMessage>();
  private readonly names = new Map<string, NameHolder>();
  /** Names of `names` not masked now. */
  private readonly unmasked = new Set<NameHolder>();
  private readonly masks = new Map<string, MaskHolder>();
  /** Changes since the last publication: taint added and removed, and keys touched (with whether they were there before). */
  private readonly added = new CountedTaint();
  private addedNul = false;
  private readonly removed = new CountedTaint();
  private readonly touched = new Map<string, boolean>();
  /** Per window length: window → the names and masked texts that contain it (built when first needed). */
  private readonly index = new Map<number, Map<number, (NameHolder | MaskHolder)[]>>();
  private stamp = 0;
  withheld = 0;

  constructor(extra: readonly string[] = []) {
    this.extra = extra;
    this.extraSet = new Set(extra);
    this.otherExtra = extra.filter((n) => !NAME_ONLY.test(n));
    for (const n of extra) this.indexName(n);
  }

  /** `key`: a key the parser read (only key characters, no need to test). */
  private indexName(n: string, key = false): void {
    if (!key && !NAME_ONLY.test(n)) return;
    const h = nameHash(n, 0, n.length);
    const list = this.byHash.get(h);
    if (list === undefined) this.byHash.set(h, [n]);
    else if (!list.includes(n)) list.push(n);
    if (n.length > this.maxName) this.maxName = n.length;
  }

  private unindexName(n: string): void {
    if (this.extraSet.has(n) || !NAME_ONLY.test(n)) return;
    const h = nameHash(n, 0, n.length);
    const list = this.byHash.get(h);
    if (list === undefined) return;
    const i = list.indexOf(n);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byHash.delete(h);
  }

  /** Sizes the taint for `shares`, about to be added to an empty gate. */
  reserve(shares: readonly GateShare[]): void {
    let windows = 0;
    for (const sh of shares) {
      const t = sh.tokens;
      for (let i = 0; i < t.length; i += 2) windows += Math.max(1, (t[i] as string).length - WINDOW + 1);
    }
    this.taint.reserve(WINDOW, windows);
  }

  /** Adds (`by` 1) or removes (-1) a node's share. */
  apply(share: GateShare, by: 1 | -1): void {
    const t = share.tokens;
    // Only kept messages need to know what changed.
    const kept = this.messages.size > 0;
    for (let i = 0; i < t.length; i += 2) {
      const token = t[i] as string;
      const min = t[i + 1] as number;
      if (by === 1) {
        this.taint.add(token, min);
        if (kept) this.added.add(token, min);
        if (token.includes('\u0000')) this.addedNul = true;
      } else {
        this.taint.remove(token, min);
        if (kept) this.removed.add(token, min);
      }
    }
    const k = share.key;
    if (k === null) return;
    const before = this.keys.get(k) ?? 0;
    if (kept && !this.touched.has(k)) this.touched.set(k, before > 0);
    const c = before + by;
    if (c > 0) this.keys.set(k, c);
    else this.keys.delete(k);
    if (c === 1 && by === 1) this.indexName(k, true);
    else if (c === 0) this.unindexName(k);
  }

  /** Whether a name is masked in messages (MessageGate.allow's test). */
  private isAllowed(n: string): boolean {
    return n.length > 0 && (this.keys.has(n) || this.extraSet.has(n)) && !looksLikeKeyMaterial(n) && !this.taint.hits(n);
  }

  private statusOf(h: NameHolder): boolean {
    if (h.allowed === undefined) {
      h.allowed = this.isAllowed(h.name);
      if (h.allowed) this.unmasked.delete(h);
      else this.unmasked.add(h);
    }
    return h.allowed;
  }

  /** The document's names (keys and extra names) in `line`. */
  private namesIn(line: string): string[] {
    const found = new Set<string>();
    const max = this.maxName;
    eachNameRun(line, (i, e) => {
      for (let a = i; a < e; a++) {
        let h = 0;
        const stop = Math.min(e, a + max);
        for (let b = a; b < stop; b++) {
          h = (Math.imul(h, 31) + line.charCodeAt(b)) | 0;
          const list = this.byHash.get(h);
          if (list === undefined) continue;
          for (const name of list) if (name.length === b + 1 - a && line.startsWith(name, a)) found.add(name);
        }
      }
    });
    for (const o of this.otherExtra) if (line.includes(o)) found.add(o);
    return [...found];
  }

  /** Adds (1) or removes (-1) a holder's windows of length `len` in that length's index. */
  private static indexWindows(h: NameHolder | MaskHolder, len: number, idx: Map<number, (NameHolder | MaskHolder)[]>, by: 1 | -1): void {
    const pairs = windowPairs('name' in h ? h.name : h.masked, len, h.wins);
    for (let i = 0; i < pairs.length; i += 2) {
      const k = pairKey(pairs[i]!, pairs[i + 1]!);
      const list = idx.get(k);
      if (by === 1) {
        if (list === undefined) idx.set(k, [h]);
        else if (!list.includes(h)) list.push(h);
      } else if (list !== undefined) {
        const at = list.indexOf(h);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) idx.delete(k);
      }
    }
  }

  private indexHolder(h: NameHolder | MaskHolder, by: 1 | -1): void {
    for (const [len, idx] of this.index) IncrementalGate.indexWindows(h, len, idx, by);
  }

  /** The names and masked texts that contain a window of `taint` (exactly those it hits). */
  private hitBy(taint: CountedTaint): Set<NameHolder | MaskHolder> {
    const out = new Set<NameHolder | MaskHolder>();
    taint.forEachWindow((len, a, b) => {
      let idx = this.index.get(len);
      if (idx === undefined) {
        const fresh = new Map<number, (NameHolder | MaskHolder)[]>();
        for (const h of this.names.values()) IncrementalGate.indexWindows(h, len, fresh, 1);
        for (const h of this.masks.values()) IncrementalGate.indexWindows(h, len, fresh, 1);
        this.index.set(len, (idx = fresh));
      }
      const list = idx.get(pairKey(a, b));
      if (list !== undefined) for (const h of list) out.add(h);
    });
    return out;
  }

  private track(m: GatedMessage, names: readonly string[]): void {
    m.names = names.map((n) => {
      let h = this.names.get(n);
      if (h === undefined) {
        this.names.set(n, (h = { name: n, msgs: new Set(), wins: new Map(), allowed: undefined }));
        this.indexHolder(h, 1);
      }
      h.msgs.add(m);
      return h;
    });
  }

  private untrack(m: GatedMessage): void {
    for (const h of m.names) {
      h.msgs.delete(m);
      if (h.msgs.size === 0) {
        this.names.delete(h.name);
        this.unmasked.delete(h);
        this.indexHolder(h, -1);
      }
    }
    m.names = [];
  }

  /** Masks the allowed names of `m` (longest first, as MessageGate) and judges the result. */
  private judge(m: GatedMessage): void {
    const line = m.line;
    const allowed = m.names.filter((h) => this.statusOf(h)).map((h) => h.name);
    // MessageGate's order: longest first; among equal lengths key-character names by first
    // occurrence, then the other names in the order they were allowed.
    allowed.sort((x, y) => y.length - x.length || rank(x, line, this.extra) - rank(y, line, this.extra));
    let masked = line;
    for (const n of allowed) masked = masked.split(n).join('\u0000');
    if (m.mask?.masked === masked) return;
    this.unmask(m);
    let h = this.masks.get(masked);
    if (h === undefined) {
      const passes = maskedPasses(masked, (text) => this.taint.hits(text));
      this.masks.set(masked, (h = { masked, msgs: new Set(), wins: new Map(), passes }));
      this.indexHolder(h, 1);
    }
    h.msgs.add(m);
    m.mask = h;
  }

  private unmask(m: GatedMessage): void {
    const h = m.mask;
    if (h === undefined) return;
    h.msgs.delete(m);
    if (h.msgs.size === 0) {
      this.masks.delete(h.masked);
      this.indexHolder(h, -1);
    }
    m.mask = undefined;
  }

  /** Brings the kept verdicts up to date with the changes since the last publication; false when none changed. */
  private settle(): boolean {
    const redo = new Set<GatedMessage>();
    // Keys that came or went (not those removed and added back by one edit): the messages
    // containing them are looked at afresh, names and all.
    const changed: string[] = [];
    for (const [k, was] of this.touched) if (this.keys.has(k) !== was) changed.push(k);
    for (const n of changed) {
      const h = this.names.get(n);
      if (h !== undefined) h.allowed = undefined;
      for (const m of this.messages.values()) if (m.line.includes(n)) redo.add(m);
    }
    const rejudge = new Set<MaskHolder>();
    if (this.addedNul) for (const m of this.messages.values()) redo.add(m);
    else if (!this.added.empty) {
      // Added taint: names it hits are no longer masked; masked texts it hits fail.
      for (const h of this.hitBy(this.added)) {
        if ('name' in h) {
          if (h.allowed !== true) continue;
          h.allowed = false;
          this.unmasked.add(h);
          for (const m of h.msgs) redo.add(m);
        } else if (h.passes) rejudge.add(h);
      }
    }
    if (!this.removed.empty) {
      // Removed taint: names it hit may be masked again; withheld texts it hits may pass.
      for (const h of this.hitBy(this.removed)) {
        if ('name' in h) {
          if (h.allowed !== false || !this.isAllowed(h.name)) continue;
          h.allowed = true;
          this.unmasked.delete(h);
          for (const m of h.msgs) redo.add(m);
        } else if (!h.passes) rejudge.add(h);
      }
    }
    let flipped = false;
    for (const h of rejudge) {
      const passes = maskedPasses(h.masked, (text) => this.taint.hits(text));
      if (passes !== h.passes) flipped = true;
      h.passes = passes;
    }
    for (const m of redo) {
      if (changed.length > 0) {
        this.untrack(m);
        this.track(m, this.namesIn(m.line));
      }
      this.judge(m);
    }
    this.touched.clear();
    this.added.clear();
    this.removed.clear();
    this.addedNul = false;
    return flipped || redo.size > 0;
  }

  /**
   * The gated lines for one publication of `findings` (each `message`, or the withheld text naming
   * `key` when allowed), in order. Messages not in this publication are forgotten.
   */
  lines(findings: readonly GatedFinding[]): string[] {
    const changed = this.settle();
    const prev = this.previous;
    const evict = this.messages.size > findings.length + 64 + (findings.length >> 3);
    const out = !changed && !evict && prev !== undefined ? this.reuse(findings, prev) : this.all(findings, evict);
    this.previous = { findings, out };
    return out;
  }

  /** The last publication: its findings and lines. */
  private previous: { findings: readonly GatedFinding[]; out: readonly string[] } | undefined;

  /**
   * No verdict changed since the last publication: a finding published then (the same object: an
   * analysis shifts its findings in place) gets the same line. The lists are walked side by side;
   * findings are added and removed only around edits.
   */
  private reuse(findings: readonly GatedFinding[], prev: { findings: readonly GatedFinding[]; out: readonly string[] }): string[] {
    const pf = prev.findings;
    const po = prev.out;
    const out = new Array<string>(findings.length);
    let withheld = 0;
    let j = 0;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      if (pf[j] !== f) {
        // Removed findings are skipped over (a few, near an edit); otherwise f is new.
        let k = j + 1;
        const stop = Math.min(pf.length, j + 32);
        while (k < stop && pf[k] !== f) k++;
        if (k < stop) j = k;
      }
      let line: string;
      if (pf[j] === f) {
        // A withheld line is made again: the key it names may have changed status.
        line = po[j] === f.message ? f.message : this.lineOf(f, this.stamp);
        j++;
      } else line = this.lineOf(f, this.stamp);
      out[i] = line;
      if (line !== f.message) withheld++;
    }
    this.withheld = withheld;
    return out;
  }

  /** Every finding looked up (and kept messages not in them forgotten when `evict`). */
  private all(findings: readonly GatedFinding[], evict: boolean): string[] {
    const stamp = ++this.stamp;
    const out = new Array<string>(findings.length);
    let withheld = 0;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      const line = this.lineOf(f, stamp);
      out[i] = line;
      if (line !== f.message) withheld++;
    }
    this.withheld = withheld;
    // Forget messages no longer published, now and then (a kept one costs only memory meanwhile).
    if (evict) {
      for (const [line, m] of this.messages) {
        if (m.used === stamp) continue;
        this.untrack(m);
        this.unmask(m);
        this.messages.delete(line);
      }
    }
    return out;
  }

  /** The gated line of one finding (its message judged when new), marking the message used in publication `stamp`. */
  private lineOf(f: GatedFinding, stamp: number): string {
    const line = f.message;
    let m = this.messages.get(line);
    if (m === undefined) {
      m = { line, names: [], mask: undefined, used: stamp };
      this.messages.set(line, m);
      this.track(m, this.namesIn(line));
      this.judge(m);
    }
    m.used = stamp;
    if (m.mask!.passes) return line;
    const k = f.key;
    const h = k !== undefined ? this.names.get(k) : undefined;
    return withheldLine(k !== undefined && (h !== undefined ? this.statusOf(h) : this.isAllowed(k)) ? k : undefined);
  }
}

/** What the gate reads of a finding. */
export interface GatedFinding {
  readonly message: string;
  readonly key?: string | undefined;
}

function nameHash(s: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Tie order of MessageGate's masking among names of one length (see IncrementalGate.judge). */
function rank(n: string, line: string, extra: readonly string[]): number {
  if (NAME_ONLY.test(n)) return line.indexOf(n);
  return line.length + extra.indexOf(n);
}

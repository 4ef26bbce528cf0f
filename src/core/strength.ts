/**
 * Strength estimation for secret values: how many bits of guessing work a value is worth.
 *
 * The estimate is `effective length × log2(alphabet)`, where
 *  - the alphabet is the union of the character classes actually used (lower 26, upper 26,
 *    digits 10, printable ASCII symbols incl. space 33, and coarse buckets for other code points),
 *    narrowed when the value has a recognisable encoding (hex 16, base64 64, Django 50, digits 10);
 *  - the effective length discounts structure a guesser would exploit: runs (aaaa), ascending or
 *    descending sequences (abcd, 9876), keyboard rows (qwerty, !@#$), repeated chunks
 *    (abcabcabc, password123password123), common passwords/words and caller-supplied placeholders.
 *    Each such stretch costs a few bits instead of log2(alphabet) per character.
 *
 * This is a conservative, zxcvbn-flavoured heuristic, not a proof: a value that scores high may
 * still be known to an attacker (e.g. copied from a tutorial); a value that scores low is weak.
 *
 * Properties: pure, deterministic, never puts (any part of) the value into `notes`, O(n) per value
 * with no per-character allocation (module-level scratch tables are reused between calls).
 */

import { asciiCodes, loadAscii } from './asciicodes.ts';
import { FREQ_WORDS } from './wordfreq.ts';

export type DetectedKind =
  | 'empty'
  | 'hex'
  | 'base64'
  | 'base64url'
  | 'alphanumeric'
  | 'fernet'
  | 'uuid'
  | 'django'
  | 'jwt-token'
  | 'pem'
  | 'numeric'
  | 'passphrase'
  | 'text';

export interface StrengthEstimate {
  /** Estimated bits of entropy, rounded down to an integer. */
  bits: number;
  /** Alphabet size the estimate assumed (e.g. 16 for hex, 64 for base64, union of classes for text). */
  alphabet: number;
  /** Length of the value in code points. */
  length: number;
  /** Apparent encoding or shape of the value. */
  detected: DetectedKind;
  /** Human-readable remarks in a fixed order; never contain the value or parts of it. */
  notes: string[];
}

export interface StrengthOptions {
  /**
   * Extra words (e.g. the user's placeholder list) that count as only a few bits wherever they
   * occur in the value, case-insensitively. Entries shorter than 3 characters are ignored.
   */
  placeholders?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Character classes (ASCII lookup table + buckets for other code points)

const C_LHEX = 1 << 0; // a-f
const C_LOTH = 1 << 1; // g-z
const C_UHEX = 1 << 2; // A-F
const C_UOTH = 1 << 3; // G-Z
const C_DIGIT = 1 << 4;
const C_PLUS = 1 << 5;
const C_SLASH = 1 << 6;
const C_DASH = 1 << 7;
const C_UNDER = 1 << 8;
const C_EQ = 1 << 9;
const C_DOT = 1 << 10;
const C_DJSYM = 1 << 11; // ! @ # $ % ^ & * ( )   (the rest of Django's alphabet: - _ = +)
const C_SYM = 1 << 12; // every other printable ASCII symbol
const C_SPACE = 1 << 13;
const C_CTRL = 1 << 14; // C0 controls and DEL
const C_LATIN = 1 << 15; // U+0080–U+02FF: Latin-1 supplement, Latin extended
const C_BMPALPHA = 1 << 16; // U+0300–U+2FFF: Greek, Cyrillic, Hebrew, Arabic, Indic, symbols, ...
const C_CJK = 1 << 17; // U+3000–U+FFFF: CJK, Hangul, ... (and lone surrogates)
const C_ASTRAL = 1 << 18; // U+10000 and up: emoji etc.

const C_LOWER = C_LHEX | C_LOTH;
const C_UPPER = C_UHEX | C_UOTH;
const C_ALNUM = C_LOWER | C_UPPER | C_DIGIT;
const C_SYMBOLS = C_PLUS | C_SLASH | C_DASH | C_UNDER | C_EQ | C_DOT | C_DJSYM | C_SYM | C_SPACE;
const C_B64 = C_ALNUM | C_PLUS | C_SLASH;
const C_B64URL = C_ALNUM | C_DASH | C_UNDER;
/** Django's get_random_secret_key() alphabet: a-z 0-9 !@#$%^&*(-_=+) */
const C_DJANGO = C_LOWER | C_DIGIT | C_DJSYM | C_DASH | C_UNDER | C_EQ | C_PLUS;

const CLS = new Uint32Array(128);
for (let c = 0; c < 128; c++) {
  let k: number;
  if (c >= 97 && c <= 122) k = c <= 102 ? C_LHEX : C_LOTH;
  else if (c >= 65 && c <= 90) k = c <= 70 ? C_UHEX : C_UOTH;
  else if (c >= 48 && c <= 57) k = C_DIGIT;
  else if (c < 32 || c === 127) k = C_CTRL;
  else if (c === 32) k = C_SPACE;
  else if (c === 43) k = C_PLUS;
  else if (c === 47) k = C_SLASH;
  else if (c === 45) k = C_DASH;
  else if (c === 95) k = C_UNDER;
  else if (c === 61) k = C_EQ;
  else if (c === 46) k = C_DOT;
  else if ('!@#$%^&*()'.indexOf(String.fromCharCode(c)) >= 0) k = C_DJSYM;
  else k = C_SYM;
  CLS[c] = k;
}

/** Alphabet size of the union of classes present. Other-code-point buckets are rough guesses. */
function unionAlphabet(cls: number): number {
  let a = 0;
  if (cls & C_LOWER) a += 26;
  if (cls & C_UPPER) a += 26;
  if (cls & C_DIGIT) a += 10;
  if (cls & C_SYMBOLS) a += 33;
  if (cls & C_CTRL) a += 33;
  if (cls & C_LATIN) a += 100;
  if (cls & C_BMPALPHA) a += 100;
  if (cls & C_CJK) a += 2000;
  if (cls & C_ASTRAL) a += 1000;
  return a;
}

/** Index of a character in the base64url alphabet (A-Z a-z 0-9 - _), or -1. */
function b64urlIndex(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 45) return 62;
  if (c === 95) return 63;
  return -1;
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexValue(c: number): number {
  if (c <= 57) return c - 48;
  if (c >= 97) return c - 87;
  return c - 55;
}

// ---------------------------------------------------------------------------------------------
// Pattern tables

/** Sequence class: 1 = a-z, 2 = A-Z, 3 = 0-9, 0 = none. Sequences never cross classes. */
function seqClass(c: number): number {
  if (c >= 97 && c <= 122) return 1;
  if (c >= 65 && c <= 90) return 2;
  if (c >= 48 && c <= 57) return 3;
  return 0;
}

/** US keyboard rows; shifted characters share the position of their unshifted key. */
const KEYBOARD_ROWS: readonly (readonly [string, string])[] = [
  ['`1234567890-=', '~!@#$%^&*()_+'],
  ['qwertyuiop[]\\', 'QWERTYUIOP{}|'],
  ["asdfghjkl;'", 'ASDFGHJKL:"'],
  ['zxcvbnm,./', 'ZXCVBNM<>?'],
];
/** KB[c] = row * 32 + col + 1, or 0 when c is not on the keyboard table. */
const KB = new Uint16Array(128);
KEYBOARD_ROWS.forEach(([plain, shifted], row) => {
  for (let col = 0; col < plain.length; col++) {
    KB[plain.charCodeAt(col)] = row * 32 + col + 1;
    KB[shifted.charCodeAt(col)] = row * 32 + col + 1;
  }
});
/** Bits to pick a keyboard walk's start and direction: 4 rows × ~13 keys × 2 directions. */
const KEYBOARD_START_BITS = Math.log2(4 * 13 * 2);

/**
 * The most common passwords and words seen in secrets and sample configs (lower case, [a-z0-9]),
 * most common first: a word's cost is about log2(rank) bits. Leetspeak (p@ssw0rd) and case
 * variations are matched too, for a bit or so each. Keyboard walks and digit runs are not listed
 * here: the pattern detectors already catch them.
 */
export const COMMON_WORDS: readonly string[] = [
  'password', 'secret', 'admin', 'changeme', 'letmein', 'welcome', 'qwerty', 'iloveyou', 'monkey',
  'dragon', 'master', 'login', 'passw0rd', 'abc123', 'trustno1', 'football', 'baseball', 'sunshine',
  'shadow', 'princess', 'superman', 'batman', 'starwars', 'whatever', 'freedom', 'hello', 'charlie',
  'michael', 'jordan', 'hunter', 'ranger', 'buster', 'soccer', 'hockey', 'killer', 'george',
  'andrew', 'michelle', 'jessica', 'ashley', 'bailey', 'thomas', 'daniel', 'maggie', 'ginger',
  'pepper', 'cookie', 'cheese', 'summer', 'winter', 'spring', 'autumn', 'orange', 'banana',
  'purple', 'silver', 'golden', 'tigger', 'matrix', 'pokemon', 'mustang', 'harley', 'love',
  'lovely', 'flower', 'angel', 'access', 'computer', 'internet', 'server', 'database', 'root',
  'guest', 'default', 'changeit', 'example', 'sample', 'test', 'testing', 'demo', 'dummy', 'temp',
  'temporary', 'private', 'public', 'token', 'apikey', 'secretkey', 'mysecret', 'supersecret',
  'topsecret', 'development', 'production', 'staging', 'localhost', 'insecure', 'qazwsx',
  'zaq12wsx', '1qaz2wsx', 'django', 'flask', 'rails', 'laravel', 'foobar', 'lorem', 'ipsum',
  'blahblah', 'nothing', 'passphrase', 'pass', 'passwd', 'key', 'placeholder', 'replace', 'your',
  'here', 'change', 'this', 'keysmith', 'session', 'signing', 'encryption', 'jwt',
];

const SYM_COUNT = 36; // a-z, 0-9
const RAW_SYM = new Int8Array(128).fill(-1);
const LEET_SYM = new Int8Array(128).fill(-1);
for (let c = 0; c < 26; c++) {
  RAW_SYM[97 + c] = c;
  RAW_SYM[65 + c] = c;
}
for (let d = 0; d < 10; d++) RAW_SYM[48 + d] = 26 + d;
for (const [ch, letter] of [
  ['@', 'a'], ['4', 'a'], ['0', 'o'], ['3', 'e'], ['1', 'i'], ['!', 'i'], ['$', 's'], ['5', 's'],
  ['7', 't'], ['|', 'l'],
] as const) {
  LEET_SYM[ch.charCodeAt(0)] = letter.charCodeAt(0) - 97;
}

/** Bits of one word of a diceware passphrase (EFF large wordlist: 7,776 words). */
const DICEWARE_WORD_BITS = Math.log2(7776);

/**
 * The frequency list (src/core/wordfreq.ts): the most frequent English words, most frequent first;
 * a leading '+' marks a word of the EFF large wordlist.
 */
const FREQ_LIST: readonly string[] = FREQ_WORDS.split(' ');

/**
 * Dense trie over SYM_COUNT symbols: TRIE[node * 36 + sym] = child (0 = none); root is node 0.
 * It holds COMMON_WORDS and the frequency list.
 */
/**
 * Every prefix of a listed word, shortest first (and most frequent word first within a length):
 * node k + 1 of the trie is TRIE_PREFIXES[k], so the nodes near the root, which every walk visits,
 * lie together in memory (the table is megabytes: a walk through scattered nodes misses the cache
 * at every step).
 */
const TRIE_PREFIXES: readonly string[] = (() => {
  const prefixes = new Set<string>();
  for (const list of [COMMON_WORDS, FREQ_LIST]) {
    for (const raw of list) {
      const w = raw.charCodeAt(0) === 43 ? raw.slice(1) : raw;
      for (let k = 1; k <= w.length; k++) prefixes.add(w.slice(0, k));
    }
  }
  return [...prefixes].sort((a, b) => a.length - b.length);
})();
const TRIE_NODES = TRIE_PREFIXES.length + 1;
const TRIE: Uint16Array | Uint32Array = TRIE_NODES < 65536 ? new Uint16Array(TRIE_NODES * SYM_COUNT) : new Uint32Array(TRIE_NODES * SYM_COUNT);
/** 1-based rank (in COMMON_WORDS) of the word ending at a node, 0 when no such word ends there. */
const TRIE_RANK = new Uint16Array(TRIE_NODES);
/**
 * Cost in bits of the frequency-list word ending at a node (0: none): log2(rank) + 1, and never
 * less than a diceware word's 12.9 bits for a word of the EFF list, so that Keysmith's own
 * passphrases keep their strength.
 */
const TRIE_FREQ_COST = new Float32Array(TRIE_NODES);
/** 1 when the frequency-list word ending at a node is an EFF word. */
const TRIE_EFF = new Uint8Array(TRIE_NODES);
{
  const ids = new Map<string, number>();
  TRIE_PREFIXES.forEach((p, k) => {
    ids.set(p, k + 1);
    const parent = p.length === 1 ? 0 : ids.get(p.slice(0, -1))!;
    TRIE[parent * SYM_COUNT + RAW_SYM[p.charCodeAt(p.length - 1)]!] = k + 1;
  });
  let next = TRIE_NODES; // every node exists already: insert() only walks
  const insert = (word: string): number => {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const sym = RAW_SYM[word.charCodeAt(i)]!;
      const slot = node * SYM_COUNT + sym;
      if (TRIE[slot] === 0) TRIE[slot] = next++;
      node = TRIE[slot]!;
    }
    return node;
  };
  COMMON_WORDS.forEach((word, index) => {
    const node = insert(word);
    if (TRIE_RANK[node] === 0) TRIE_RANK[node] = index + 1;
  });
  FREQ_LIST.forEach((raw, index) => {
    const eff = raw.charCodeAt(0) === 43;
    const node = insert(eff ? raw.slice(1) : raw);
    if (TRIE_FREQ_COST[node] !== 0) return;
    const cost = Math.log2(index + 1) + 1;
    TRIE_FREQ_COST[node] = eff ? Math.max(cost, DICEWARE_WORD_BITS) : cost;
    TRIE_EFF[node] = eff ? 1 : 0;
  });
}

/** WORD_PAIR[c0 << 7 | c1] = 1 when some listed word can start with ASCII characters c0 c1. */
const WORD_PAIR = new Uint8Array(128 * 128);
for (let c0 = 0; c0 < 128; c0++) {
  for (const s0 of [RAW_SYM[c0]!, LEET_SYM[c0]!]) {
    const n1 = s0 >= 0 ? TRIE[s0]! : 0;
    if (n1 === 0) continue;
    for (let c1 = 0; c1 < 128; c1++) {
      const r = RAW_SYM[c1]!;
      const l = LEET_SYM[c1]!;
      if ((r >= 0 && TRIE[n1 * SYM_COUNT + r] !== 0) || (l >= 0 && TRIE[n1 * SYM_COUNT + l] !== 0)) WORD_PAIR[(c0 << 7) | c1] = 1;
    }
  }
}

/**
 * Outside a phrase and past the value's first character, a word walk adds a candidate only once it
 * is 3 characters deep: frequency-list words need 4+ letters there, and COMMON_WORDS has no word
 * under 3 (checked: SHORT_WALKS_COUNT). WORD_TRIPLE says whether the walk from three characters
 * gets 3 deep, by their walk classes (characters with the same raw and leetspeak symbols walk
 * alike): wordTriple(g0, g1, g2).
 */
const WALK_CLASS = new Uint8Array(128);
const WALK_RAW: number[] = [-1];
const WALK_LEET: number[] = [-1];
for (let c = 0; c < 128; c++) {
  const raw = RAW_SYM[c]!;
  const leet = LEET_SYM[c]!;
  if (raw < 0 && leet < 0) continue;
  let g = 1;
  while (g < WALK_RAW.length && !(WALK_RAW[g] === raw && WALK_LEET[g] === leet)) g++;
  if (g === WALK_RAW.length) {
    WALK_RAW.push(raw);
    WALK_LEET.push(leet);
  }
  WALK_CLASS[c] = g;
}
const WALK_CLASSES = WALK_RAW.length;
const SHORT_WALKS_COUNT = COMMON_WORDS.some((w) => w.length < 3);
/** One bit per triple (a few kilobytes: it stays in the first-level cache). */
const WORD_TRIPLE = new Uint32Array(Math.ceil((WALK_CLASSES * WALK_CLASSES * WALK_CLASSES) / 32));
{
  const step = (node: number, g: number): number => {
    const raw = WALK_RAW[g]!;
    const child = raw >= 0 ? TRIE[node * SYM_COUNT + raw]! : 0;
    if (child !== 0) return child;
    const alt = WALK_LEET[g]!;
    return alt < 0 ? 0 : TRIE[node * SYM_COUNT + alt]!;
  };
  for (let g0 = 1; g0 < WALK_CLASSES; g0++) {
    const n1 = step(0, g0);
    if (n1 === 0) continue;
    for (let g1 = 1; g1 < WALK_CLASSES; g1++) {
      const n2 = step(n1, g1);
      if (n2 === 0) continue;
      for (let g2 = 1; g2 < WALK_CLASSES; g2++) {
        const t = (g0 * WALK_CLASSES + g1) * WALK_CLASSES + g2;
        if (step(n2, g2) !== 0) WORD_TRIPLE[t >>> 5]! |= 1 << (t & 31);
      }
    }
  }
}

function wordTriple(g0: number, g1: number, g2: number): boolean {
  const t = (g0 * WALK_CLASSES + g1) * WALK_CLASSES + g2;
  return ((WORD_TRIPLE[t >>> 5]! >>> (t & 31)) & 1) !== 0;
}

const LOG2_10 = Math.log2(10);
const LOG2 = new Float64Array(1025);
for (let i = 1; i < LOG2.length; i++) LOG2[i] = Math.log2(i);
function log2(n: number): number {
  return n < 1025 ? LOG2[n]! : Math.log2(n);
}

// Repeat detection: last position of each (hashed) trigram, stamped with a per-call generation so
// the tables never need clearing.
const HASH_SIZE = 1024;
const HASH_POS = new Int32Array(HASH_SIZE);
const HASH_GEN = new Int32Array(HASH_SIZE);
let generation = 0;


// Caller-supplied placeholder matches: EXTRA_LEN[p] = longest placeholder starting at p.
let EXTRA_LEN = new Int32Array(256);

const F_RUN = 1;
const F_SEQ = 2;
const F_KEYBOARD = 4;
const F_REPEAT = 8;
const F_WORD = 16;
const F_PLACEHOLDER = 32;

/**
 * Runs, sequences, keyboard walks and repeats shorter than this are ignored: 4 characters over
 * alphabets of 32+ symbols, 5 over smaller ones (hex, digits, one letter case), where 4-character
 * coincidences are common in random data (a period-2 repeat like 'a7a7' shows up in about 1 of 4
 * random 64-digit hex strings).
 */
function minPattern(b: number): number {
  return b >= 5 ? 4 : 5;
}

/** The characters patternBits() reads (s[start, end) at the same offsets). */
let S = new Uint16Array(256);
/** The string whose characters S holds (from offset 0). */
let inS = '';

/** Forgets the value S was filled from (a slice that may keep a whole file's text alive). */
export function forgetStrengthScratch(): void {
  inS = '';
}
/**
 * patternBits() may stop once its total reaches this (it only grows): estimate() sets it when the
 * caller only needs to know that the estimate reaches a minimum; `stopped` says it did stop.
 */
let limit = Infinity;
let stopped = false;

/** Pattern flags seen by the last patternBits() call. */
let seenFlags = 0;
/** patternBits() counts frequency-list words (off while judging a passphrase's characters). */
let freqWords = true;

/** Separators between the words of a phrase: space - _ . */
function isPhraseSeparator(c: number): boolean {
  return c === 32 || c === 45 || c === 95 || c === 46;
}
/** Bits of a separator that follows a word: 2 for the first kind used, 0.5 for the same again. */
const SEPARATOR_BITS = 2;
const SAME_SEPARATOR_BITS = 0.5;

/** Bits a pattern of `len` characters costing `cost` saves over paying `b` bits per character. */
function saving(len: number, cost: number, b: number): number {
  const brute = len * b;
  return cost < brute ? brute - cost : 0;
}

/**
 * Bits for s[start, end) over an alphabet of 2^b symbols, discounting patterns. Greedy left to
 * right: at each position take the candidate pattern that saves the most bits, else pay b.
 */
function patternBits(s: string, start: number, end: number, b: number, extras: readonly string[] | undefined): number {
  seenFlags = 0;
  stopped = false;
  if (end <= start) return 0;
  // The characters, once: the loop reads each several times (values are slices of the file's
  // text, on which charCodeAt is slower than on a typed array).
  if (s !== inS) {
    if (S.length < end) S = new Uint16Array(Math.max(end, S.length * 2));
    for (let k = start; k < end; k++) S[k] = s.charCodeAt(k);
    inS = s;
  }
  const T = S;
  generation = (generation + 1) | 0;
  if (generation === 0) {
    HASH_GEN.fill(0);
    generation = 1;
  }
  const haveExtras = extras !== undefined && extras.length > 0 && prepareExtras(s, start, end, extras);
  const extraCost = haveExtras ? log2(extras!.length + 1) + 2 : 0;

  const minLen = minPattern(b);
  let flags = 0;
  let total = 0;
  let i = start;
  // Phrase state: right after a word (or a separator or small number following one), separators
  // and small numbers are cheap, as in my_secret_key_123 or SuperSecret2024.
  let phrase = false;
  let lastSep = -1;
  while (i < end) {
    let bestLen = 0;
    let bestSave = 0;
    let bestFlag = 0;
    let sv: number;
    const c0 = T[i]!;
    const c1 = i + 1 < end ? T[i + 1]! : -1;

    if (phrase) {
      if (isPhraseSeparator(c0)) {
        if ((sv = saving(1, c0 === lastSep ? SAME_SEPARATOR_BITS : SEPARATOR_BITS, b)) > bestSave) {
          bestSave = sv;
          bestLen = 1;
          bestFlag = F_WORD;
        }
      } else if (c0 >= 48 && c0 <= 57) {
        let k = i + 1;
        while (k < end && k - i < 5 && T[k]! >= 48 && T[k]! <= 57) k++;
        const len = k - i;
        if (len <= 4) {
          const year = len === 4 && ((c0 === 49 && c1 === 57) || (c0 === 50 && c1 === 48)); // 19xx, 20xx
          const cost = year ? log2(200) : len * LOG2_10 + 1;
          if ((sv = saving(len, cost, b)) > bestSave) {
            bestSave = sv;
            bestLen = len;
            bestFlag = F_WORD;
          }
        }
      }
    }

    if (c1 === c0) {
      let k = i + 2;
      while (k < end && T[k]! === c0) k++;
      const len = k - i;
      if (len >= minLen && (sv = saving(len, b + log2(len), b)) > bestSave) {
        bestSave = sv;
        bestLen = len;
        bestFlag = F_RUN;
      }
    } else if (c1 >= 0) {
      const d = c1 - c0;
      const sc = seqClass(c0);
      if ((d === 1 || d === -1) && sc !== 0 && seqClass(c1) === sc) {
        let k = i + 2;
        while (k < end && T[k]! - T[k - 1]! === d && seqClass(T[k]!) === sc) k++;
        const len = k - i;
        if (len >= minLen && (sv = saving(len, b + log2(len) + 1, b)) > bestSave) {
          bestSave = sv;
          bestLen = len;
          bestFlag = F_SEQ;
        }
      }
      if (c0 < 128 && c1 < 128 && KB[c0] !== 0 && KB[c1] !== 0) {
        const kd = KB[c1]! - KB[c0]!;
        if (kd === 1 || kd === -1) {
          let k = i + 2;
          while (k < end) {
            const ck = T[k]!;
            if (ck >= 128 || KB[ck] === 0 || KB[ck]! - KB[T[k - 1]!]! !== kd) break;
            k++;
          }
          const len = k - i;
          if (len >= minLen && (sv = saving(len, KEYBOARD_START_BITS + log2(len), b)) > bestSave) {
            bestSave = sv;
            bestLen = len;
            bestFlag = F_KEYBOARD;
          }
        }
      }
    }

    // Repeat of an earlier chunk (may overlap, LZ77 style); h is reused to record position i.
    const h = i + 3 <= end ? (c0 * 961 + c1 * 31 + T[i + 2]!) & (HASH_SIZE - 1) : -1;
    if (h >= 0 && i + minLen <= end && HASH_GEN[h] === generation) {
      const j = HASH_POS[h]!;
      let len = 0;
      while (i + len < end && T[j + len]! === T[i + len]!) len++;
      if (len >= minLen && (sv = saving(len, log2(i - start) + log2(len) + 1, b)) > bestSave) {
        bestSave = sv;
        bestLen = len;
        bestFlag = F_REPEAT;
      }
    }

    // Common word: trie walk, raw symbol first and leetspeak as fallback. WORD_PAIR filters out
    // the positions (nearly all, in random data) where no listed word can start, WORD_TRIPLE those
    // where no walk gets deep enough to count.
    if (
      c0 < 128 &&
      c1 >= 0 &&
      c1 < 128 &&
      WORD_PAIR[(c0 << 7) | c1] !== 0 &&
      (phrase || i === start || SHORT_WALKS_COUNT || (i + 2 < end && T[i + 2]! < 128 && wordTriple(WALK_CLASS[c0]!, WALK_CLASS[c1]!, WALK_CLASS[T[i + 2]!]!)))
    ) {
      let node = 0;
      let leet = 0;
      let letters = 0;
      let uppers = 0;
      let firstUpper = false;
      for (let k = i; k < end; k++) {
        const c = T[k]!;
        if (c >= 128) break;
        const raw = RAW_SYM[c]!;
        let child = raw >= 0 ? TRIE[node * SYM_COUNT + raw]! : 0;
        if (child === 0) {
          const alt = LEET_SYM[c]!;
          if (alt < 0) break;
          child = TRIE[node * SYM_COUNT + alt]!;
          if (child === 0) break;
          leet++;
        } else if (raw < 26) {
          letters++;
          if (c <= 90) {
            uppers++;
            if (k === i) firstUpper = true;
          }
        }
        node = child;
        const rank = TRIE_RANK[node]!;
        const len = k - i + 1;
        const plainCase = uppers === 0 || uppers === letters || (uppers === 1 && firstUpper);
        // Frequency-list words: spelled plainly (one case style, no leetspeak: random text is full
        // of 'kOJ' or 'd4e'-like fragments), and words under 4 letters only inside a phrase or at
        // the start of the value.
        const freq = freqWords && plainCase && leet === 0 && (len > 3 || phrase || i === start) ? TRIE_FREQ_COST[node]! : 0;
        if (rank !== 0 || freq !== 0) {
          const caseBits = uppers === 0 ? 0 : plainCase ? 1 : letters;
          const base = rank !== 0 ? (freq !== 0 ? Math.min(log2(rank) + 1, freq) : log2(rank) + 1) : freq;
          if ((sv = saving(len, base + caseBits + leet, b)) > bestSave) {
            bestSave = sv;
            bestLen = len;
            bestFlag = F_WORD;
          }
        }
      }
    }

    if (haveExtras) {
      const len = EXTRA_LEN[i - start]!;
      if (len > 0 && (sv = saving(len, extraCost, b)) > bestSave) {
        bestSave = sv;
        bestLen = len;
        bestFlag = F_PLACEHOLDER;
      }
    }

    if (h >= 0) {
      HASH_POS[h] = i;
      HASH_GEN[h] = generation;
    }
    if (bestLen > 0) {
      total += bestLen * b - bestSave;
      flags |= bestFlag;
      if (total >= limit) {
        stopped = true;
        seenFlags = flags;
        return total;
      }
      // Words of 3+ letters start a phrase; separators and small numbers after them keep it going.
      phrase = bestFlag === F_WORD && (phrase || bestLen >= 3);
      if (phrase && bestLen === 1 && isPhraseSeparator(c0)) lastSep = c0;
      const stop = i + bestLen;
      for (i++; i < stop; i++) {
        if (i + 3 <= end) {
          const hk = (T[i]! * 961 + T[i + 1]! * 31 + T[i + 2]!) & (HASH_SIZE - 1);
          HASH_POS[hk] = i;
          HASH_GEN[hk] = generation;
        }
      }
    } else {
      total += b;
      phrase = false;
      if (total >= limit) {
        stopped = true;
        seenFlags = flags;
        return total;
      }
      // A surrogate pair is one code point: pay for it once.
      i += c0 >= 0xd800 && c0 <= 0xdbff && c1 >= 0xdc00 && c1 <= 0xdfff ? 2 : 1;
    }
  }
  seenFlags = flags;
  return total;
}

/** Fills EXTRA_LEN for s[start, end); false when nothing matched (or lower-casing changed length). */
function prepareExtras(s: string, start: number, end: number, extras: readonly string[]): boolean {
  const n = end - start;
  if (EXTRA_LEN.length < n) EXTRA_LEN = new Int32Array(Math.max(n, EXTRA_LEN.length * 2));
  EXTRA_LEN.fill(0, 0, n);
  const body = s.slice(start, end);
  const lower = body.toLowerCase();
  if (lower.length !== body.length) return false;
  let any = false;
  for (const raw of extras) {
    const word = raw.trim().toLowerCase();
    if (word.length < 3) continue;
    let p = lower.indexOf(word);
    while (p >= 0) {
      if (EXTRA_LEN[p]! < word.length) EXTRA_LEN[p] = word.length;
      any = true;
      p = lower.indexOf(word, p + 1);
    }
  }
  return any;
}

// ---------------------------------------------------------------------------------------------
// Notes (fixed wording, fixed order)

const NOTE_EMPTY = 'empty value';
const NOTE_SHORT = 'short: fewer than 16 characters';
const NOTE_HEX = 'hex-encoded: at most 4 bits per character';
const NOTE_BASE64 = 'base64-encoded: at most 6 bits per character';
const NOTE_BASE64URL = 'base64url-encoded: at most 6 bits per character';
const NOTE_NUMERIC = 'digits only: about 3.3 bits per character';
const NOTE_FERNET = 'Fernet key shape: 32 bytes (signing + encryption halves), at most 256 bits';
const NOTE_DJANGO = 'Django secret key shape: 50-character alphabet';
const NOTE_DJANGO_INSECURE =
  "'django-insecure-' prefix: a development key made by startproject; generate a new one for production";
const NOTE_JWT = 'looks like a JWT token (a signed credential), not a signing key: only its signature is counted';
const NOTE_JWT_UNSIGNED = 'unsigned JWT token: no signature';
const NOTE_PEM = 'PEM block: the estimate counts encoded characters; real strength depends on the key type and size';
const NOTE_PEM_PUBLIC = 'PEM public key or certificate: public material, not a secret';
const NOTE_PEM_ENCRYPTED = 'encrypted PEM private key: also only as strong as its passphrase';
const NOTE_UUID_V4 = 'UUID v4: at most 122 random bits';
const NOTE_UUID_TIME = 'time-based UUID (v1/v6): mostly predictable, not a secret';
const NOTE_UUID_NAME = 'name-based UUID (v3/v5): derived from a name, no randomness of its own';
const NOTE_UUID_V7 = 'UUID v7: 48-bit timestamp, at most 74 random bits';
const NOTE_UUID_OTHER = 'UUID of a custom or unknown version: randomness unknown';
const NOTE_UUID_CONST = 'nil or max UUID: a constant';
const PATTERN_NOTES: readonly (readonly [number, string])[] = [
  [F_RUN, 'repeated characters'],
  [F_SEQ, 'alphabetical or numerical sequence'],
  [F_KEYBOARD, 'keyboard pattern'],
  [F_REPEAT, 'repeated chunk'],
  [F_WORD, 'common password or word'],
  [F_PLACEHOLDER, 'placeholder text'],
];

// ---------------------------------------------------------------------------------------------

const LOG2_64 = 6;

/** Estimates the strength of a secret value. See the module comment for the method. */
export function estimateStrength(value: string, options?: StrengthOptions): StrengthEstimate {
  return estimate(value, options?.placeholders, Infinity)!;
}

/**
 * For callers that only judge the estimate against a minimum (`placeholders` as in
 * StrengthOptions): null when the estimate of `value`
 * reaches `atLeast` bits, found out as early as possible (a random key is known to reach 128 bits
 * about halfway through it); otherwise estimateStrength(value, options) itself, which may reach
 * `atLeast` too (shapes whose figure is not a running total, such as UUIDs, are never cut short).
 */
export function estimateStrengthUnder(value: string, placeholders: readonly string[] | undefined, atLeast: number): StrengthEstimate | null {
  return estimate(value, placeholders, atLeast);
}

/**
 * patternBits for a result of min(patternBits, cap): it may stop once its total reaches `want`
 * when `cap` does too (the final figure is then at least `want`; `stopped` is set).
 */
function patternBitsUpTo(s: string, start: number, end: number, b: number, extras: readonly string[] | undefined, cap: number, want: number): number {
  limit = cap >= want ? want : Infinity;
  const r = patternBits(s, start, end, b, extras);
  limit = Infinity;
  return r;
}

const NOTES: string[] = [];

function estimate(value: string, extras: readonly string[] | undefined, atLeast: number): StrengthEstimate | null {
  // Integer bits (floored) reach atLeast exactly when the total reaches its ceiling.
  const want = Math.ceil(atLeast);
  const n = value.length;
  if (n === 0) return { bits: 0, alphabet: 0, length: 0, detected: 'empty', notes: [NOTE_EMPTY] };
  // Notes gather in a scratch list, copied out only by an estimate that is returned.
  const notes = NOTES;
  notes.length = 0;

  // Pass 1: classes, code points, '=' padding, dots; the characters go to S for patternBits().
  let cls = 0;
  let cps = 0;
  let eqCount = 0;
  let firstEq = -1;
  let dots = 0;
  if (S.length < n) S = new Uint16Array(Math.max(n, S.length * 2));
  const T = S;
  if (loadAscii(value)) {
    // ASCII (nearly every value): the bytes loadAscii() copied out in one call.
    const C = asciiCodes();
    for (let i = 0; i < n; i++) {
      const c = C[i]!;
      T[i] = c;
      cls |= CLS[c]!;
      if (c === 61) {
        eqCount++;
        if (firstEq < 0) firstEq = i;
      } else if (c === 46) dots++;
    }
    cps = n;
  } else {
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      T[i] = c;
      cps++;
      if (c < 128) {
        cls |= CLS[c]!;
        if (c === 61) {
          eqCount++;
          if (firstEq < 0) firstEq = i;
        } else if (c === 46) dots++;
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = value.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cls |= C_ASTRAL;
          T[++i] = d;
        } else cls |= C_CJK;
      } else cls |= c < 0x300 ? C_LATIN : c < 0x3000 ? C_BMPALPHA : C_CJK;
    }
  }
  inS = value;

  let detected: DetectedKind = 'text';
  let alphabet = unionAlphabet(cls);
  let bits: number;
  let flags = 0;

  const c0 = value.charCodeAt(0);
  const paddingOk = eqCount === 0 || (eqCount <= 2 && firstEq === n - eqCount);
  // Encoded random data of this length practically always mixes letter cases and digits.
  const alnumClasses = ((cls & C_LOWER) !== 0 ? 1 : 0) + ((cls & C_UPPER) !== 0 ? 1 : 0) + ((cls & C_DIGIT) !== 0 ? 1 : 0);
  const bodyLen = n - eqCount;
  const encodedLike = (alnumClasses === 3 && bodyLen >= 16) || (alnumClasses === 2 && bodyLen >= 20);
  let words: number;

  if (c0 === 45 && value.startsWith('-----BEGIN ')) {
    detected = 'pem';
    alphabet = 64;
    const close = value.indexOf('-----', 11);
    const label = close > 0 ? value.slice(11, close) : '';
    const endMarker = value.indexOf('-----END', close > 0 ? close + 5 : 11);
    const body = value
      .slice(close > 0 ? close + 5 : 11, endMarker > 0 ? endMarker : n)
      .replace(/\\n|[^A-Za-z0-9+/]/g, '');
    const cap = Math.floor((body.length * 6) / 8) * 8;
    bits = Math.min(patternBitsUpTo(body, 0, body.length, LOG2_64, extras, cap, want), cap);
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_PEM);
    if (!label.includes('PRIVATE')) notes.push(NOTE_PEM_PUBLIC);
    else if (label.includes('ENCRYPTED') || value.includes('Proc-Type: 4,ENCRYPTED')) notes.push(NOTE_PEM_ENCRYPTED);
  } else if (dots === 2 && (cls & ~(C_B64URL | C_DOT)) === 0 && value.startsWith('eyJ')) {
    detected = 'jwt-token';
    alphabet = 64;
    const sig = value.lastIndexOf('.') + 1;
    notes.push(NOTE_JWT);
    if (sig >= n) {
      bits = 0;
      notes.push(NOTE_JWT_UNSIGNED);
    } else {
      const cap = Math.floor(((n - sig) * 6) / 8) * 8;
      bits = Math.min(patternBitsUpTo(value, sig, n, LOG2_64, extras, cap, want), cap);
      if (stopped) return null;
      flags = seenFlags;
    }
  } else if (n === 36 && isUuidShape(value)) {
    detected = 'uuid';
    alphabet = 16;
    const hex = value.replace(/-/g, '');
    const pb = patternBits(hex, 0, 32, 4, extras);
    flags = seenFlags;
    const version = hexValue(value.charCodeAt(14));
    const variant = hexValue(value.charCodeAt(19));
    if (/^0+$/.test(hex) || /^f+$/i.test(hex)) {
      bits = 0;
      notes.push(NOTE_UUID_CONST);
    } else if (version === 4 && variant >= 8 && variant <= 11) {
      bits = Math.min(122, pb - 6);
      notes.push(NOTE_UUID_V4);
    } else if (version === 7) {
      bits = Math.min(74, pb - 54);
      notes.push(NOTE_UUID_V7);
    } else if (version === 1 || version === 6) {
      bits = Math.min(14, pb);
      notes.push(NOTE_UUID_TIME);
    } else if (version === 3 || version === 5) {
      bits = 0;
      notes.push(NOTE_UUID_NAME);
    } else {
      bits = Math.min(122, pb - 6);
      notes.push(NOTE_UUID_OTHER);
    }
  } else if (c0 === 100 && value.startsWith('django-insecure-')) {
    detected = 'django';
    alphabet = 50;
    bits = patternBitsUpTo(value, 16, n, log2(50), extras, Infinity, want);
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_DJANGO, NOTE_DJANGO_INSECURE);
  } else if (n === 50 && (cls & ~C_DJANGO) === 0 && (cls & C_LOWER) !== 0 && (cls & (C_DJSYM | C_PLUS | C_EQ)) !== 0) {
    detected = 'django';
    alphabet = 50;
    bits = patternBitsUpTo(value, 0, n, log2(50), extras, Infinity, want);
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_DJANGO);
  } else if (
    n === 44 &&
    eqCount === 1 &&
    firstEq === 43 &&
    (cls & ~(C_B64URL | C_EQ)) === 0 &&
    (b64urlIndex(value.charCodeAt(42)) & 3) === 0
  ) {
    detected = 'fernet';
    alphabet = 64;
    bits = Math.min(256, patternBitsUpTo(value, 0, 43, LOG2_64, extras, 256, want));
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_FERNET);
  } else if ((cls & ~C_DIGIT) === 0) {
    detected = 'numeric';
    alphabet = 10;
    bits = patternBitsUpTo(value, 0, n, log2(10), extras, Infinity, want);
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_NUMERIC);
  } else if (isHexValue(value, cls)) {
    detected = 'hex';
    alphabet = 16;
    const start = c0 === 48 && (value.charCodeAt(1) | 32) === 120 ? 2 : 0; // 0x prefix is free
    bits = patternBitsUpTo(value, start, n, 4, extras, Infinity, want);
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_HEX);
  } else if ((words = passphraseWords(value)) > 0) {
    detected = 'passphrase';
    alphabet = DICEWARE_WORDS;
    // Characters without the frequency list (a diceware passphrase is all dictionary words:
    // its strength is in the choice of words, counted below).
    freqWords = false;
    // Each word: a diceware word's 12.9 bits, less for a frequent English word outside the EFF
    // list (this-is-my-secret-key is not a diceware passphrase).
    const wordBits = passphraseWordBits + passphraseCaseBits;
    const charBits = patternBitsUpTo(value, 0, n, log2(unionAlphabet(cls)), extras, wordBits, want);
    freqWords = true;
    if (stopped) return null;
    flags = seenFlags;
    if (passphraseWordBits < words * DICEWARE_WORD_BITS - 1e-9) flags |= F_WORD;
    bits = Math.min(charBits, wordBits);
    notes.push(`looks like a passphrase: counted as ${words} words from a ${DICEWARE_WORDS}-word list`);
  } else if (paddingOk && encodedLike && (cls & ~(C_B64 | C_EQ)) === 0 && ((cls & (C_PLUS | C_SLASH)) !== 0 || eqCount > 0)) {
    detected = 'base64';
    alphabet = 64;
    const cap = Math.floor(((n - eqCount) * 6) / 8) * 8;
    bits = Math.min(patternBitsUpTo(value, 0, n - eqCount, LOG2_64, extras, cap, want), cap);
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_BASE64);
  } else if (paddingOk && encodedLike && (cls & ~(C_B64URL | C_EQ)) === 0 && ((cls & (C_DASH | C_UNDER)) !== 0 || eqCount > 0)) {
    detected = 'base64url';
    alphabet = 64;
    const cap = Math.floor(((n - eqCount) * 6) / 8) * 8;
    bits = Math.min(patternBitsUpTo(value, 0, n - eqCount, LOG2_64, extras, cap, want), cap);
    if (stopped) return null;
    flags = seenFlags;
    notes.push(NOTE_BASE64URL);
  } else {
    if (encodedLike && (cls & ~C_ALNUM) === 0) detected = 'alphanumeric';
    bits = patternBitsUpTo(value, 0, n, log2(alphabet), extras, detected === 'alphanumeric' ? Math.floor((n * 6) / 8) * 8 : Infinity, want);
    if (stopped) return null;
    flags = seenFlags;
    if (detected === 'alphanumeric') {
      // Often base64(url) that happens to contain neither +/ nor -_: count whole bytes at most.
      bits = Math.min(bits, Math.floor((n * 6) / 8) * 8);
    }
  }

  for (const [flag, note] of PATTERN_NOTES) if (flags & flag) notes.push(note);
  if (cps < 16 && (detected === 'text' || detected === 'numeric' || detected === 'hex')) notes.push(NOTE_SHORT);
  return { bits: Math.max(0, Math.floor(bits + 1e-9)), alphabet, length: cps, detected, notes: notes.slice() };
}

/** Size of the EFF large wordlist: passphrases are assumed to be drawn from it (diceware). */
const DICEWARE_WORDS = 7776;
/** Set by passphraseWords(): bits for capitalisation (0 all lower, 1 one shared style, else 1/word). */
let passphraseCaseBits = 0;
/** Set by passphraseWords(): the words' bits (see wordCost). */
let passphraseWordBits = 0;

/**
 * Bits of one word of a passphrase (letters v[start, end)): a frequency-list word outside the EFF
 * list costs log2(rank) + 1 (at most a diceware word), anything else a diceware word's 12.9 bits.
 */
function wordCost(v: string, start: number, end: number): number {
  let node = 0;
  for (let k = start; k < end; k++) {
    const sym = RAW_SYM[v.charCodeAt(k)]!;
    node = sym >= 0 ? TRIE[node * SYM_COUNT + sym]! : 0;
    if (node === 0) return DICEWARE_WORD_BITS;
  }
  const freq = TRIE_FREQ_COST[node]!;
  return freq !== 0 && TRIE_EFF[node] === 0 ? Math.min(freq, DICEWARE_WORD_BITS) : DICEWARE_WORD_BITS;
}

/**
 * Number of words when the value is 3+ words of 2–12 ASCII letters joined by one consistent
 * separator (space - _ .), each word lower, Capitalized or UPPER; otherwise 0.
 */
function passphraseWords(v: string): number {
  const n = v.length;
  let sep = -1;
  let words = 0;
  let len = 0;
  let firstStyle = -1; // 0 lower, 1 Capitalized, 2 UPPER
  let mixed = false;
  let wordStyle = 0;
  let wordBits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? v.charCodeAt(i) : -1;
    const lower = c >= 97 && c <= 122;
    const upper = c >= 65 && c <= 90;
    if (lower || upper) {
      if (len === 0) wordStyle = upper ? 2 : 0;
      else if (lower && wordStyle === 2) wordStyle = len === 1 ? 1 : -1;
      else if (upper && wordStyle !== 2) wordStyle = -1;
      if (++len > 12) return 0;
      continue;
    }
    if (c !== -1) {
      if (c !== 32 && c !== 45 && c !== 95 && c !== 46) return 0;
      if (sep === -1) sep = c;
      else if (c !== sep) return 0;
    }
    if (len < 2 || wordStyle < 0) return 0;
    if (firstStyle === -1) firstStyle = wordStyle;
    else if (firstStyle !== wordStyle) mixed = true;
    words++;
    wordBits += wordCost(v, i - len, i);
    len = 0;
  }
  if (words < 3) return 0;
  passphraseWordBits = wordBits;
  passphraseCaseBits = mixed ? words : firstStyle === 0 ? 0 : 1;
  return words;
}

function isUuidShape(v: string): boolean {
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHexCode(c)) return false;
  }
  return true;
}

/** Only [0-9a-f] or only [0-9A-F] (optionally after 0x, then any length >= 8). */
function isHexValue(v: string, cls: number): boolean {
  const n = v.length;
  if ((v.charCodeAt(0) === 48 && (v.charCodeAt(1) | 32) === 120) && n >= 10) {
    let lower = false;
    let upper = false;
    for (let i = 2; i < n; i++) {
      const c = v.charCodeAt(i);
      if (!isHexCode(c)) return false;
      if (c >= 97) lower = true;
      else if (c >= 65) upper = true;
    }
    return !(lower && upper);
  }
  // Both a digit and a letter: all-letter strings like 'deadbeef' or 'aaaaaaaa' stay text.
  if (n < 8 || (cls & (C_LHEX | C_UHEX)) === 0 || (cls & C_DIGIT) === 0) return false;
  return (cls & ~(C_DIGIT | C_LHEX)) === 0 || (cls & ~(C_DIGIT | C_UHEX)) === 0;
}

// Issue #12 (a first analysis at native speed): the rules after the parse were rewritten for speed
// (key-name verdicts, placeholder and strength pre-filters, fewer allocations). Not one finding may
// change: this compares analyzeEnv with a frozen copy of the whole rule chain before that work
// (test/unit/legacy/i12/: rules, secrets, strength, URL credentials, providers, readers, leak
// guard) over thousands of seeded-random files made of every kind of line bench/check.mjs
// generates plus adversarial ones (placeholders, phrases, URLs with passwords, provider tokens,
// client prefixes, PEM blocks, suppression comments, odd keys), under many settings and contexts.
// Every finding is compared: rule, severity, range, line, message, key, fix and reason, and order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv } from '../../src/core/envdoc.ts';
import { analyzeEnv } from '../../src/core/rules.ts';
import { DEFAULT_RULE_CONFIG } from '../../src/core/rules/config.ts';
import { RULE_CODES, type AnalyzeInput, type Finding, type RuleConfig } from '../../src/core/rules/types.ts';
import * as curSecrets from '../../src/core/secrets.ts';
import { mayHaveSpecialFormat } from '../../src/core/rules/weak.ts';
import { estimateStrength as curEstimate, estimateStrengthUnder } from '../../src/core/strength.ts';
import { analyzeEnv as oldAnalyzeEnv } from './legacy/i12/rules/analyze.ts';
import * as oldSecrets from './legacy/i12/secrets.ts';
import { estimateStrength as oldEstimate } from './legacy/i12/strength.ts';
import { seededRng } from './helpers/seeded.ts';

type Rng = () => number;
function pickOf(r: Rng): <T>(a: readonly T[]) => T {
  return function pick<T>(a: readonly T[]): T {
    return a[Math.floor(r() * a.length)]!;
  };
}
function token(r: Rng, len: number, alphabet: string): string {
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const B62 = B64URL.slice(0, 62);
const DJANGO = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)';
const ODD = ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~aA0éß漢😀\t';

// bench/check.mjs's generator (same kinds of lines, same proportions).
const SERVICES = ['APP', 'DB', 'POSTGRES', 'REDIS', 'STRIPE', 'GITHUB', 'SENTRY', 'AWS', 'SMTP', 'MAILGUN', 'OPENAI', 'SLACK', 'AUTH0', 'S3', 'KAFKA', 'ELASTIC'];
const SECRET_SUFFIX = ['SECRET', 'SECRET_KEY', 'API_KEY', 'TOKEN', 'PASSWORD', 'ACCESS_TOKEN', 'WEBHOOK_SECRET', 'JWT_SECRET', 'FERNET_KEY', 'SIGNING_KEY', 'CLIENT_SECRET'];
const PLAIN_SUFFIX = ['HOST', 'PORT', 'URL', 'USER', 'REGION', 'TIMEOUT', 'ENABLED', 'LOG_LEVEL', 'BUCKET', 'NAME', 'MAX_CONNECTIONS', 'CLIENT_ID'];

function benchLine(r: Rng, i: number, out: string[]): void {
  const pick = pickOf(r);
  const x = r();
  const svc = `${pick(SERVICES)}_${i}`;
  if (r() < 0.05) {
    const y = r();
    if (y < 0.25) out.push(`NEXT_PUBLIC_SVC_${i}_SECRET_KEY=sk_live_${token(r, 40, B62)}`);
    else if (y < 0.5) out.push(`SVC_${i}_DATABASE_URL=postgres://app:${token(r, 12, LOWER)}@db-${i}.internal:5432/app`);
    else if (y < 0.7) out.push(`SVC_${i}_GITHUB_TOKEN=ghp_${token(r, 36, B62)}`);
    else if (y < 0.85) out.push(`SVC_${i}_JWT_SECRET=my_super_secret_jwt_key_${token(r, 4, LOWER)}_${Math.floor(r() * 100)}`);
    else out.push(`VITE_SVC_${i}_API_URL=https://api-${i}.example.com/v1`);
    return;
  }
  if (x < 0.08) out.push('');
  else if (x < 0.18) out.push(`# ${pick(SERVICES).toLowerCase()} settings`);
  else if (x < 0.45) {
    const key = `${svc}_${pick(SECRET_SUFFIX)}`;
    const y = r();
    let value: string;
    if (y < 0.35) value = token(r, 43, B64URL);
    else if (y < 0.55) value = token(r, 64, HEX);
    else if (y < 0.65) value = `"${token(r, 24, B64URL)}"`;
    else if (y < 0.75) value = token(r, 10 + Math.floor(r() * 10), LOWER);
    else if (y < 0.82) value = pick(['changeme', 'your-api-key-here', '<secret>', 'xxxxxxxx', 'password123']);
    else if (y < 0.9) value = '';
    else value = `\${${pick(SERVICES)}_SHARED_SECRET}`;
    out.push(`${key}=${value}`);
  } else {
    const key = `${svc}_${pick(PLAIN_SUFFIX)}`;
    const y = r();
    if (y < 0.3) out.push(`${key}=https://${pick(SERVICES).toLowerCase()}.example.com:${1000 + Math.floor(r() * 9000)}/v1`);
    else if (y < 0.55) out.push(`${key}=${Math.floor(r() * 100000)}`);
    else if (y < 0.7) out.push(`${key}=${pick(['true', 'false', 'info', 'debug', 'eu-west-1'])}`);
    else if (y < 0.85) out.push(`export ${key}=${token(r, 12, LOWER)}`);
    else out.push(`${key}="${pick(SERVICES).toLowerCase()} ${token(r, 6, LOWER)}" # note`);
  }
  if (r() < 0.01) out.push(`${svc}_PORT=1`);
}

// Adversarial lines.
const KEY_WORDS = [
  'API', 'KEY', 'KEYS', 'SECRET', 'TOKEN', 'PASSWORD', 'PASSWD', 'PASS', 'PW', 'PWD', 'AUTH', 'AUTH0', 'JWT', 'HS256', 'HS384', 'HS512',
  'FERNET', 'DJANGO', 'SALT', 'PEPPER', 'PRIVATE', 'PUBLIC', 'PUB', 'PUBLISHABLE', 'SIGN', 'SIGNING', 'SESSION', 'COOKIE', 'DSN',
  'CONNECTION', 'STRING', 'CONNSTR', 'WEBHOOK', 'HMAC', 'ID', 'URL', 'HOST', 'PORT', 'NAME', 'FILE', 'PRIMARY', 'PARTITION', 'CACHE',
  'HEX', 'BASE64', 'BASE64URL', 'B64', 'UUID', 'GUID', 'PASSPHRASE', 'APIKEY', 'PRIVATEKEY', 'RSA', 'SSH', 'PEM', 'TLS', 'ACCESS',
  'CLIENT', 'STRIPE', 'GITHUB', 'AWS', 'DB', 'MAX', 'TOKENS', 'KEYBOARD', 'MONKEY', 'BYPASS', 'OLDPWD', 'GOOGLE', 'APPLICATION',
  'CREDENTIALS', 'CREDS', 'BEARER', 'ENCRYPTION', 'ENCRYPT', 'DRIVER', 'EXPIRES', 'IN', 'ANON', 'SITE', 'DATABASE', 'X', '2', '123',
];
const PREFIXES = ['', '', '', '', 'NEXT_PUBLIC_', 'VITE_', 'REACT_APP_', 'NUXT_PUBLIC_', 'PUBLIC_', 'GATSBY_', 'MY_APP_', 'EXPO_PUBLIC_', 'export '];
const SEPS = ['_', '_', '_', '-', '.', '', '__'];

function adversarialKey(r: Rng): string {
  const pick = pickOf(r);
  const y = r();
  if (y < 0.04) return pick(['SECRET_KEY', 'DJANGO_SECRET_KEY', 'PWD', 'OLDPWD', 'GOOGLE_APPLICATION_CREDENTIALS', '__proto__', 'PUBLIC_KEY', 'PUBLIC_KEYS_PEM', 'constructor', 'toString']);
  if (y < 0.06) return `KEY_${token(r, 16 + Math.floor(r() * 20), B62)}`; // key material in a name (leak guard)
  if (y < 0.07) return pick(['ſecret_KEY', 'TOKEN_İD', 'paßword', 'K\u212AEY', 'ımportant_TOKEN', 'clé_secrète', 'ключ']);
  const words = 1 + Math.floor(r() * 4);
  const sep = pick(SEPS);
  const style = r();
  const parts: string[] = [];
  for (let w = 0; w < words; w++) {
    let word = pick(KEY_WORDS);
    if (r() < 0.15) word += String(Math.floor(r() * 100));
    if (style < 0.2) word = word.toLowerCase();
    else if (style < 0.45) word = word[0] + word.slice(1).toLowerCase();
    parts.push(word);
  }
  const key = parts.join(style >= 0.2 && style < 0.45 && r() < 0.5 ? '' : sep);
  return pick(PREFIXES) + key;
}

const PLACEHOLDERS = [
  'changeme', 'CHANGE_ME', 'change-me-in-production', 'your-api-key-here', 'your_secret', 'YourSecretKey', 'yourApiKey', 'TODO', 'todo: fill in',
  'TBD_later', 'fixme', 'xxx', 'xxxxxxxxxxxx', 'sk_live_xxxxxxxxxxxxxxxxxxxx', '****1234', '••••••', '#####', '<secret>', '{{ secret }}', '1234567890',
  'abcdefgh', 'password123', 'p@ssw0rd', 'secret', 'none', 'null', 'n/a', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=', 'django-insecure-abc', 'your-256-bit-secret', 'SomeRandomString',
  'insert-key-here', 'enter_your_token', 'sample-token', 'example', 'MYKEYEXAMPLE', 'dummy', 'fake_key', 'aaaaaaaa', '0000', '-', '...', '___',
  'lemon', 'my-lemon-value', 'XX', 'x', ' ', 'here', 'use-here', 'replace_with_your_key', 'placeholder', 'tbd!', 'zyxwvu', 'qwertyuiop',
];
const PHRASES = [
  'thisismysupersecretkeythatnobodywillguess', 'my_super_secret_jwt_key_for_development_only_123', 'correct-horse-battery-staple',
  'Correct Horse Battery Staple', 'correct.horse.battery.staple.extra.words.here.now', 'SuperSecret2024', 'hunter2', 'letmein!',
  'the quick brown fox jumps over the lazy dog', 'abandon-ability-able-about-above-absent-absorb-abstract-absurd-abuse',
  'password-password-password-password', 'Summer2024!Summer2024!', 'qwertyqwertyqwertyqwerty12345678', 'abcabcabcabcabcabcabcabcabcabc',
  'monkey_dragon_master_shadow', 'iloveyou_forever_and_ever_2023', 'P@ssw0rd!P@ssw0rd!P@ssw0rd!',
];

function adversarialValue(r: Rng): string {
  const pick = pickOf(r);
  const y = r();
  if (y < 0.12) return pick(PLACEHOLDERS);
  if (y < 0.2) return pick(PHRASES);
  if (y < 0.3) {
    const pw = pick([token(r, 8 + Math.floor(r() * 30), B62), pick(PLACEHOLDERS), pick(PHRASES), 'p%40ss%2Fword', '%E0%A4%A', '${DB_PASS}', '$DB_PASS', 'a@b', '', token(r, 24, B64URL)]);
    const user = pick(['app', '', 'user.name', 'u%40x']);
    const host = pick(['localhost:5432/db', 'db.internal', 'h/path?x=1#f', 'host:1/']);
    return `${pick(['postgres', 'mysql', 'redis', 'amqp', 'https', 'mongodb+srv'])}://${user}${r() < 0.9 ? ':' + pw : ''}@${host}`;
  }
  if (y < 0.4) {
    return pick([
      `sk_live_${token(r, 24 + Math.floor(r() * 30), B62)}`, `rk_live_${token(r, 30, B62)}`, `whsec_${token(r, 32, B62)}`, `pk_live_${token(r, 30, B62)}`,
      `pk_test_${token(r, 30, B62)}`, `AKIA${token(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`, `ghp_${token(r, 36, B62)}`, `github_pat_${token(r, 82, B62 + '_')}`,
      `glpat-${token(r, 20, B64URL)}`, `xoxb-${token(r, 30, B62)}`, `https://hooks.slack.com/services/${token(r, 30, B62)}`, `sk-ant-api03-${token(r, 40, B64URL)}`,
      `sk-proj-${token(r, 40, B64URL)}`, `sk-${token(r, 20, B62)}T3BlbkFJ${token(r, 20, B62)}`, `AIza${token(r, 35, B64URL)}`,
      `SG.${token(r, 22, B64URL)}.${token(r, 43, B64URL)}`, `npm_${token(r, 36, B62)}`, `hf_${token(r, 34, B62)}`,
      `eyJ${token(r, 20, B64URL)}.eyJ${token(r, 30, B64URL)}.${token(r, 43, B64URL)}`, `eyJhbGciOiJub25lIn0.eyJ${token(r, 20, B64URL)}.`,
    ]);
  }
  if (y < 0.5) {
    const body = token(r, 64, B64);
    return pick([
      `"-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----"`, `-----BEGIN PUBLIC KEY-----\\n${body}\\n-----END PUBLIC KEY-----`,
      `"-----BEGIN ENCRYPTED PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n${body}\n-----END ENCRYPTED PRIVATE KEY-----"`,
      `-----BEGIN RSA PRIVATE KEY-----`, `'-----BEGIN CERTIFICATE-----\\n${body}'`,
    ]);
  }
  if (y < 0.62) {
    return pick([
      token(r, 44, B64URL).slice(0, 43) + '=', `${token(r, 43, B64URL)}=`, token(r, 50, DJANGO), `django-insecure-${token(r, 50, DJANGO)}`, token(r, 32, HEX),
      token(r, 64, HEX.toUpperCase()), `0x${token(r, 40, HEX)}`, `${token(r, 8, HEX)}-${token(r, 4, HEX)}-4${token(r, 3, HEX)}-${pick([...'89ab'])}${token(r, 3, HEX)}-${token(r, 12, HEX)}`,
      `${token(r, 8, HEX)}-${token(r, 4, HEX)}-${pick([...'1357'])}${token(r, 3, HEX)}-a${token(r, 3, HEX)}-${token(r, 12, HEX)}`, '00000000-0000-0000-0000-000000000000',
      token(r, 16 + Math.floor(r() * 80), B64), `${token(r, 30, B64)}==`, token(r, 21, B62 + '-_'), token(r, 22, B62), token(r, 40, '0123456789'),
      token(r, 12 + Math.floor(r() * 30), ODD), token(r, 20, 'αβγδЖЯ漢字かな'), token(r, 10, '😀🔑'.split('').join('')),
    ]);
  }
  if (y < 0.7) {
    return pick(['true', 'off', '8080', '3.14', '1e5', '-1', '+7', '127.0.0.1:80', '10.0.0.1', 'localhost:3000', 'LOCALHOST', '30s', '10mb', '1.5h', 'https://a.b/c', 'ftp://x', 'eu-west-1', 'v1.2.3']);
  }
  if (y < 0.78) return pick(['${OTHER}', '$OTHER', '${A}/${B}', 'x${Y}z', '$1abc', '${UNTERMINATED', '$', '$$', '\\$ESC']);
  if (y < 0.86) {
    // Quoting, comments, escapes around a random or placeholder value.
    const v = pick([token(r, 20 + Math.floor(r() * 30), B64URL), pick(PLACEHOLDERS), pick(PHRASES)]);
    return pick([`"${v}"`, `'${v}'`, `\`${v}\``, `"${v}" # c`, `${v} # c`, `${v}#x`, `"${v}\\n${v}"`, `" ${v} "`, `"${v}`, `${v}"`, `"a\\"b${v}"`, ` ${v}`, `${v} tail`]);
  }
  if (y < 0.93) {
    // Mutated random values: a placeholder piece glued to random text.
    return pick([pick(PLACEHOLDERS) + token(r, 20, B64URL), token(r, 20, B64URL) + pick(PLACEHOLDERS), token(r, 10, B64URL) + pick(['xxxx', 'XXXX', '****', 'here', 'EXAMPLE', 'abcd', '1234', 'qwer', 'aaaa']) + token(r, 10, B64URL)]);
  }
  return token(r, Math.floor(r() * 120), pick([B64URL, B64, HEX, LOWER, DJANGO, ODD, '01', 'aA']));
}

const SUPPRESS = [
  '# keysmith-ignore', '# keysmith-ignore: weak-secret', '# keysmith-ignore: weak-secret, empty-secret -- fixture', '#keysmith-ignore:duplicate-key',
  '# keysmith-ignore: not-a-rule', '# KEYSMITH-IGNORE: SYNTAX client-exposed-secret', '# keysmith-ignore-file: env-not-ignored', '# keysmith-ignore-file: weak-secret',
  '# keysmith-ignorex', '# see keysmith-ignore: weak-secret', '# keysmith-ignore-file',
];

function adversarialLines(r: Rng, i: number, out: string[]): void {
  const pick = pickOf(r);
  const y = r();
  if (y < 0.04) out.push(pick(SUPPRESS));
  else if (y < 0.06) {
    // An unquoted multi-line PEM block (the leak guard's syntax finding).
    out.push(`${pick(['PRIVATE_KEY', 'TLS_KEY', 'K' + i])}=-----BEGIN ${pick(['', 'RSA ', 'EC '])}PRIVATE KEY-----`);
    for (let k = 0; k < 1 + Math.floor(r() * 4); k++) out.push(token(r, 64, B64));
    if (r() < 0.5) out.push(`${token(r, 20, B64)}==`);
    if (r() < 0.8) out.push('-----END PRIVATE KEY-----');
  } else if (y < 0.09) {
    out.push(pick(['BAD KEY=1', '=x', 'ONLY_KEY', 'Q="unterminated', 'A="x" y', 'PASSWORD=p4ss word', 'H=abc#def', 'N= # note', 'M=a;b', 'B=`x`', "S='${A}'", '   ', '\t# indented comment', 'export', 'export =1']));
  } else if (y < 0.12) out.push(`${adversarialKey(r)}=${adversarialValue(r)} # keysmith-ignore${pick(['', ': weak-secret', ': client-exposed-secret', '-file: syntax'])}`);
  else if (y < 0.5) out.push(`${adversarialKey(r)}=${adversarialValue(r)}`);
  else if (y < 0.56) out.push(`${adversarialKey(r)}=`);
  else if (y < 0.6) out.push(`${pick(SERVICES)}_${pick(SECRET_SUFFIX)}=${adversarialValue(r)}`); // repeated names: duplicates
  else benchLine(r, i, out);
}

function randomFile(r: Rng, lines: number, adversarial: number): string {
  const out: string[] = [];
  let i = 0;
  while (out.length < lines) {
    i++;
    if (r() < adversarial) adversarialLines(r, i, out);
    else benchLine(r, i, out);
  }
  const eol = r() < 0.15 ? '\r\n' : '\n';
  let text = out.join(eol);
  if (r() < 0.8) text += eol;
  if (r() < 0.05) text = '\uFEFF' + text;
  return text;
}

const CONFIGS: RuleConfig[] = [
  DEFAULT_RULE_CONFIG,
  { ...DEFAULT_RULE_CONFIG, placeholders: ['lemon', 'my*value', '  XX ', 'ab'], secretPatterns: ['*_PIN', 'STRIPE_*', '/^my_?thing$/', 'CLIENT_SECRET', 'HOST'], minBits: 100, leakBits: 40 },
  { ...DEFAULT_RULE_CONFIG, secretPatterns: ['*'], minBits: 200, clientPrefixes: ['MY_APP_', 'VITE_', '  ', 'X'] },
  { ...DEFAULT_RULE_CONFIG, secretPatterns: ['/(/', 'MONKEY', '/key$/g', 'api key'], placeholders: ['*'], minBits: 0, leakBits: 0 },
  { ...DEFAULT_RULE_CONFIG, disabled: ['duplicate-key', 'syntax'], severities: { 'weak-secret': 'error', 'empty-secret': 'off', 'example-leak': 'hint', 'client-exposed-secret': 'info' } },
  { ...DEFAULT_RULE_CONFIG, severities: { 'weak-secret': 'off', 'reader-mismatch': 'warning' }, minBits: Number.NaN, leakBits: -5 },
  { ...DEFAULT_RULE_CONFIG, minBits: 64, placeholders: ['xyz', 'qwerty1'] },
];

const CONTEXTS: Omit<AnalyzeInput, 'text'>[] = [
  { fileName: '.env', git: { ignored: true, tracked: false } },
  { fileName: '.env', git: { ignored: false, tracked: true } },
  { fileName: '.env.local', git: { ignored: false, tracked: 'unknown', trackingNote: 'git not found' }, isDjangoProject: true },
  { fileName: '.env.example', git: { ignored: true, tracked: false } },
  { fileName: 'example.env', counterpart: { role: 'source', name: '.env', keys: ['APP_1_SECRET', 'DB_PASSWORD'] } },
  { fileName: '.env', counterpart: { role: 'example', name: '.env.example', keys: ['SECRET_KEY', 'PORT'] }, isDjangoProject: true, readers: ['shell'] },
  { fileName: '.env.production', readers: ['dotenv-expand', 'python-dotenv', 'compose', 'shell'] },
  { fileName: 'settings.txt', git: { ignored: false, tracked: true } },
];

/** Findings as plain data (no prototype or undefined-property differences hide in deepEqual). */
const plain = (fs: readonly Finding[]): unknown[] => fs.map((f) => JSON.parse(JSON.stringify(f)));

function firstDifference(a: readonly Finding[], b: readonly Finding[]): string {
  const pa = plain(a);
  const pb = plain(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (JSON.stringify(pa[i]) !== JSON.stringify(pb[i])) return `finding #${i}: new ${JSON.stringify(pa[i])} / frozen ${JSON.stringify(pb[i])}`;
  }
  return 'none';
}

describe('issue #12: analyzeEnv gives the findings of the rule chain before the speed work', () => {
  const codes = new Set<string>();
  const reasons = new Set<string>();

  it('on thousands of random files of bench and adversarial lines, every setting and context', () => {
    const seed = Number(process.env['KEYSMITH_SEED'] ?? 20261130);
    const r = seededRng(seed);
    let files = 0;
    let findings = 0;
    for (let round = 0; round < 700; round++) {
      const adversarial = round % 5 === 0 ? 0 : round % 5 === 1 ? 1 : r();
      const text = randomFile(r, 5 + Math.floor(r() * (round % 25 === 0 ? 1500 : 120)), adversarial);
      const config = CONFIGS[round % CONFIGS.length]!;
      const ctx = CONTEXTS[Math.floor(r() * CONTEXTS.length)]!;
      const input: AnalyzeInput = { text, ...ctx };
      const a = analyzeEnv(input, config);
      const b = oldAnalyzeEnv(input, config);
      if (JSON.stringify(plain(a)) !== JSON.stringify(plain(b))) {
        assert.fail(`seed ${seed}, round ${round} (${ctx.fileName}, config #${round % CONFIGS.length}): ${a.length} vs ${b.length} findings; ${firstDifference(a, b)}`);
      }
      // With a parse passed in, as the extension does.
      if (round % 7 === 0) assert.deepEqual(plain(analyzeEnv({ ...input, doc: parseEnv(text) }, config)), plain(b));
      for (const f of a) {
        codes.add(f.code);
        if (f.code === 'weak-secret' && f.reason !== undefined) reasons.add(f.reason);
      }
      files++;
      findings += a.length;
    }
    assert.ok(files === 700 && findings > 20_000, `${files} files, ${findings} findings`);
  });

  it('covers every rule and every weak-secret reason (so that a changed verdict would show)', () => {
    for (const c of RULE_CODES) assert.ok(codes.has(c), `no ${c} finding in the corpus`);
    for (const reason of ['django-insecure', 'placeholder', 'fernet-format', 'jwt-length', 'django-w009', 'low-entropy', 'url-placeholder', 'url-low-entropy']) {
      assert.ok(reasons.has(reason), `no weak-secret finding with reason ${reason}`);
    }
  });

  it('the comparison can fail: a one-bit change of the minimum changes findings', () => {
    const r = seededRng(7);
    let differ = 0;
    for (let round = 0; round < 20; round++) {
      const text = randomFile(r, 200, 0.5);
      const a = analyzeEnv({ text, fileName: '.env' }, { ...DEFAULT_RULE_CONFIG, minBits: 127 });
      const b = oldAnalyzeEnv({ text, fileName: '.env' }, DEFAULT_RULE_CONFIG);
      if (JSON.stringify(plain(a)) !== JSON.stringify(plain(b))) differ++;
    }
    assert.ok(differ > 0);
  });

  it('key names and values, function by function (isSecretName, inferFormat, pasteKind, isPlaceholder, estimateStrength)', () => {
    const r = seededRng(99);
    const keys: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < 20_000; i++) keys.push(adversarialKey(r).replace(/^export /, ''));
    // Last words found from the end (secrets.ts endsWithAttributeWord) and their edges.
    keys.push('APP_HOST_', 'app_HOST', 'APP_HOST2', 'HOST123', '123', 'x_HOSTé', 'é_HOST', 'APP__URL__', 'APPHost', 'APP_HOSTs', 'SECRET_ID2', 'SECRET_9ID', 'TOKEN_URL-', 'TOKEN.URL', 'API_KEY_ID0', 'TOKEN_0', 'KEY_IDS', 'SECRET-NAME', 'SECRETName', 'SECRET_NAMe', '_', '', 'ID', 'SECRET_ID\u00e9');
    for (let i = 0; i < 20_000; i++) values.push(adversarialValue(r));
    for (const patterns of [[], ['*_PIN', 'STRIPE_*', '/^my_?thing$/', 'CLIENT_SECRET'], ['*'], ['MONKEY', 'api key']] as string[][]) {
      for (const key of keys) {
        assert.equal(curSecrets.isSecretName(key, patterns), oldSecrets.isSecretName(key, patterns), `isSecretName ${JSON.stringify(key)} ${JSON.stringify(patterns)}`);
        for (const django of [false, true]) {
          const ctx = { defaultFormat: 'base64url' as const, secretPatterns: patterns, isDjangoProject: django };
          assert.equal(curSecrets.inferFormat(key, ctx), oldSecrets.inferFormat(key, ctx), `inferFormat ${JSON.stringify(key)}`);
        }
      }
    }
    for (const key of keys) assert.equal(curSecrets.pasteKind(key), oldSecrets.pasteKind(key));
    // weak.ts's prescreen of key names, once two regular expressions (and its reading of the scan).
    let scannedChecks = 0;
    for (const key of [...keys, 'ſecret', 'HſS256', 'DJANGO', 'dJaNgO_x', 'fErNeT', 'HS25', 'hs5120', 'JW', 'K\u212Aey']) {
      for (const django of [false, true]) {
        const expected = /fernet|jwt|hs256|hs384|hs512|django/i.test(key) || (django && /secret/i.test(key));
        assert.equal(mayHaveSpecialFormat(key, django), expected, `mayHaveSpecialFormat ${JSON.stringify(key)}`);
        curSecrets.isSecretName(key); // leaves the key's scan behind (ASCII keys that need one)
        const scanned = curSecrets.scannedKeyMentionsSpecial(key, django);
        if (scanned !== undefined) {
          assert.equal(scanned, expected, `scannedKeyMentionsSpecial ${JSON.stringify(key)}`);
          scannedChecks++;
        }
      }
    }
    assert.ok(scannedChecks > 5000, `${scannedChecks} keys read from the scan`);
    for (const extra of [[], ['lemon', 'my*value', '  XX '], ['*']] as string[][]) {
      values.forEach((v, i) => {
        assert.equal(curSecrets.isPlaceholder(v, extra), oldSecrets.isPlaceholder(v, extra), `isPlaceholder #${i}`);
        if (i % 2 === 0) assert.deepEqual(curEstimate(v, { placeholders: extra }), oldEstimate(v, { placeholders: extra }), `estimateStrength #${i}`);
      });
    }
    values.forEach((v, i) => assert.equal(curSecrets.looksLikeNonSecretValue(v), oldSecrets.looksLikeNonSecretValue(v), `looksLikeNonSecretValue #${i}`));
  });

  it('estimateStrengthUnder: null only when the full estimate reaches the minimum, else the full estimate', () => {
    const r = seededRng(101);
    let cut = 0;
    let kept = 0;
    for (let i = 0; i < 12_000; i++) {
      const v = adversarialValue(r);
      const extra = i % 3 === 0 ? ['lemon', 'abc'] : [];
      const full = curEstimate(v, { placeholders: extra });
      for (const atLeast of [0, 40, 64, 100, 127.5, 128, 129, 200, 256.3, Infinity]) {
        const under = estimateStrengthUnder(v, extra, atLeast);
        if (under === null) {
          assert.ok(full.bits >= atLeast, `value #${i}: cut short at ${atLeast} but the estimate is ${full.bits}`);
          cut++;
        } else {
          assert.deepEqual(under, full, `value #${i}, ${atLeast}`);
          kept++;
        }
      }
    }
    assert.ok(cut > 10_000 && kept > 10_000, `${cut} cut short, ${kept} in full`);
  });
});

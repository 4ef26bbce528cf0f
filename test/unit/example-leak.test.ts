/**
 * The leak property of `.env.example` sync: nothing the example hides comes out of `.env`.
 *
 * Generated `.env` files mix secret-looking and ordinary keys, realistic secrets (Keysmith's own
 * generators, i.e. crypto.getRandomValues, and fast-check bytes), URLs with planted credentials
 * and hosts, e-mail addresses, tricky quoting, multi-line values, commented-out assignments,
 * comments and unreadable lines that repeat secrets, mixed line endings, BOMs. What a value *is*
 * comes from parsing the generated text (envdoc, which matches dotenv), so any quoting is fair.
 *
 * Windows made only of whitespace are not checked: eight blanks or line breaks say nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse as dotenvParse } from 'dotenv';
import { syncExample } from '../../src/core/example.ts';
import { parseEnv } from '../../src/core/envdoc.ts';
import { getFormat, FORMAT_IDS, ALL_SYMBOLS } from '../../src/core/formats.ts';
import { isSecretName } from '../../src/core/secrets.ts';
import { hiddenKeys } from '../../src/core/leakguard.ts';

const RUNS = 10_000;

// ---------------------------------------------------------------------------------------------
// Realistic secrets from crypto.getRandomValues, through Keysmith's own generators.

const POOL: string[] = [];
for (const id of FORMAT_IDS) {
  if (id === 'passphrase') continue; // needs the wordlist file; its words are not secret-like anyway
  const f = getFormat(id);
  for (let i = 0; i < 40; i++) POOL.push(f.generate());
  if (id === 'password') {
    // Every printable symbol, quotes, '#', '$', backslash and backtick included.
    for (let i = 0; i < 80; i++) POOL.push(f.generate({ length: 20 + (i % 24), password: { symbolSet: ALL_SYMBOLS } }));
  }
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += B64URL[b & 63];
  return s;
}
function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A distinctive alphanumeric token (planted strings), at least `min` characters. */
const token = (prefix: string, min = 10): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: min, maxLength: min + 6 }).map((b) => prefix + b64url(b).replace(/[-_]/g, 'q'));

/** Live-looking provider credentials (ghp_, sk_live_, AKIA, xoxb-, glpat-, sk-ant-, AIza, SG., npm_). */
const credential: fc.Arbitrary<string> = fc.oneof(
  token('ghp_', 36),
  token('sk_live_', 24),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => 'AKIA' + Array.from(b, (x) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[x & 31]).join('')),
  token('xoxb-', 24),
  token('glpat-', 20),
  token('sk-ant-', 40),
  fc.uint8Array({ minLength: 35, maxLength: 35 }).map((b) => 'AIza' + b64url(b)),
  fc.tuple(token('', 22), token('', 43)).map(([a, b]) => `SG.${a}.${b}`),
  token('npm_', 36).map((t) => t.slice(0, 40)),
);

const secretValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: POOL.length - 1 }).map((i) => POOL[i]!) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 48 }).map(b64url) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 32 }).map(hex) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 12, maxLength: 24 }).map((b) => 'sk_live_' + b64url(b)) },
  // Secrets with spaces, quotes, '#', backslashes and line breaks sprinkled in.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.uint8Array({ minLength: 16, maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '#', '"', "'", '`', '\\', '\n', '\\n', '=', '$', ' # ')), { maxLength: 4 }))
      .map(([b, inserts]) => {
        let s = b64url(b);
        for (const [at, c] of inserts) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + c + s.slice(i);
        }
        return s;
      }),
  },
  // A URL or an e-mail address held in a secret-named key.
  { weight: 1, arbitrary: fc.tuple(token('u'), token('p'), token('h')).map(([u, p, h]) => `https://${u}:${p}@${h}.acme-hooks.net/hook`) },
);

// ---------------------------------------------------------------------------------------------
// Ordinary values

const SCHEMES = ['postgres', 'postgresql', 'mysql', 'redis', 'rediss', 'mongodb', 'mongodb+srv', 'amqp', 'https', 'http', 'wss', 'smtp'];

const url = fc
  .record({
    scheme: fc.constantFrom(...SCHEMES),
    user: fc.option(token('usr'), { nil: undefined }),
    pass: fc.option(token('pwd'), { nil: undefined }),
    host: fc.oneof(token('host').map((h) => h + '.internal'), token('srv').map((h) => h + '.corp.acme.org'), fc.constant('localhost')),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.option(fc.oneof(token('db'), fc.constantFrom('0', 'app', 'api/v1', 'services/T0/B0')), { nil: undefined }),
    query: fc.option(fc.oneof(fc.constant('sslmode=require'), token('tok').map((t) => 'token=' + t + '&x=1')), { nil: undefined }),
  })
  .map((u) => {
    const auth = u.user !== undefined || u.pass !== undefined ? `${u.user ?? ''}${u.pass !== undefined ? ':' + u.pass : ''}@` : '';
    return `${u.scheme}://${auth}${u.host}${u.port !== undefined ? ':' + u.port : ''}${u.path !== undefined ? '/' + u.path : ''}${u.query !== undefined ? '?' + u.query : ''}`;
  });

const email = fc.tuple(token('mail'), token('dom', 6)).map(([l, d]) => `${l}@${d}.com`);

const plainValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'true', 'false', 'yes', 'off', '3000', '8080', '0', '1.5', '-1', '30s', '15m', '1.2.3'),
  fc.constantFrom('info', 'debug', 'WARN', 'development', 'production', 'us-east-1', 'json', 'localhost', 'localhost:5432', '127.0.0.1', '10.1.2.3:8080'),
  url,
  email,
  fc.constantFrom('My App', '/var/lib/app', './data', 'C:\\Users\\x', 'db.prod.internal', '{"a": 1}', 'a#b', 'line1\nline2', '  padded  ', "it's", '123456789012'),
  fc.string({ maxLength: 12 }),
);

// ---------------------------------------------------------------------------------------------
// Keys

const SECRET_KEYS = [
  'API_KEY', 'DB_PASSWORD', 'JWT_SECRET', 'STRIPE_SECRET_KEY', 'GITHUB_TOKEN', 'SESSION_SECRET', 'AWS_SECRET_ACCESS_KEY',
  'FERNET_KEY', 'SECRET_KEY', 'apiKey', 'clientSecret', 'PRIVATE_KEY', 'REDIS_PASSWORD', 'HMAC_SALT', 'x.auth-token', 'PGPASSWORD',
];
const PLAIN_KEYS = [
  'PORT', 'DEBUG', 'NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'ADMIN_EMAIL', 'APP_NAME', 'LOG_LEVEL', 'HOST', 'DATA_DIR',
  'AWS_REGION', 'TIMEOUT', 'MAX_TOKENS', 'PUBLIC_KEY', 'NEXT_PUBLIC_API_URL', 'KEYBOARD_LAYOUT', 'SENTRY_DSN', 'AWS_ACCESS_KEY_ID',
];
const randomKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
const key: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SECRET_KEYS) },
  { weight: 3, arbitrary: fc.constantFrom(...PLAIN_KEYS) },
  { weight: 2, arbitrary: fc.tuple(randomKey, fc.constantFrom('_KEY', '_TOKEN', '_SECRET', '_PASSWORD', '_URL', '_HOST', '')).map(([k, s]) => k + s) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/) },
  { weight: 1, arbitrary: fc.constant('__proto__') },
);

// ---------------------------------------------------------------------------------------------
// Lines

/** The value as it is written: every quoting style, and raw text whose meaning the parser decides. */
function spell(value: string, style: number): string {
  switch (style) {
    case 0:
      return value;
    case 1:
      return '"' + value.replace(/\n/g, '\\n') + '"';
    case 2:
      return "'" + value + "'";
    case 3:
      return '`' + value + '`';
    default:
      return '"' + value + '"';
  }
}

const entryLine = fc
  .record({
    key,
    secret: fc.boolean(),
    secretValue,
    plainValue,
    style: fc.nat({ max: 4 }),
    exported: fc.boolean(),
    colon: fc.nat({ max: 19 }),
    spaces: fc.boolean(),
    comment: fc.option(fc.oneof(fc.constant('# note'), secretValue.map((s) => '# was ' + s), credential.map((c) => '# staging db pw: ' + c)), { nil: undefined }),
    // `DB_PASSWORD=Tr0ub4dor#3xK9pLmQ2vZwY`: dotenv cuts the value at '#', python-dotenv keeps it.
    hashTail: fc.option(token('t', 8), { nil: undefined }),
  })
  .map((r) => {
    const value = r.secret ? r.secretValue : r.plainValue;
    const sep = r.colon === 0 ? ': ' : r.spaces ? ' = ' : '=';
    const tail = r.hashTail !== undefined && r.comment === undefined ? '#' + r.hashTail : '';
    return `${r.exported ? 'export ' : ''}${r.key}${sep}${spell(value, r.style)}${tail}${r.comment !== undefined ? '  ' + r.comment : ''}`;
  });

/** Values under names Keysmith may not know as secret: `REDIS_PW=correcthorsebatt`, `COOKIE_SIGN=purplemonkeydish`. */
const wordLine = fc
  .tuple(fc.oneof(key, fc.constantFrom('REDIS_PW', 'COOKIE_SIGN', 'SESSION', 'APP_FLAVOR', 'MODE', 'SENTRY_DSN', 'SLACK_WEBHOOK')), fc.stringMatching(/^[a-z]{12,20}$/))
  .map(([k, v]) => `${k}=${v}`);

/** An unquoted PEM block: dotenv reads the first line as the value and a padded base64 line as a key. */
const pemBlock = fc
  .tuple(
    fc.constantFrom('PRIVATE_KEY', 'JWT_PRIVATE_KEY', 'TLS_KEY', 'CERT', 'SSH_KEY'),
    fc.array(fc.uint8Array({ minLength: 30, maxLength: 48 }), { minLength: 0, maxLength: 4 }),
    fc.uint8Array({ minLength: 6, maxLength: 30 }),
    fc.constantFrom('=', '==', ''),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([k, lines, lastLine, pad, end, ownLine]) => {
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/=+$/, '');
    const body = [...lines.map(b64), b64(lastLine) + pad];
    const begin = ownLine ? `${k}=\n-----BEGIN PRIVATE KEY-----` : `${k}=-----BEGIN PRIVATE KEY-----`;
    return [begin, ...body, ...(end ? ['-----END PRIVATE KEY-----'] : [])].join('\n');
  });

const otherLine: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.constant('   '),
  fc.constantFrom('# Database', '# --- API ---', '#', '  # indented note'),
  fc.tuple(fc.constantFrom(...SECRET_KEYS, ...PLAIN_KEYS), secretValue).map(([k, v]) => `# ${k}=${spell(v, 0)}`),
  fc.tuple(fc.constantFrom(...SECRET_KEYS), secretValue, fc.nat({ max: 4 })).map(([k, v, s]) => `#${k}=${spell(v, s)}`),
  secretValue.map((v) => `# old value: ${v}`),
  credential.map((c) => `# old token: ${c}`),
  secretValue.map((v) => `garbage ${v}`),
  url.map((u) => `# prod: ${u}`),
  email.map((m) => `# contact ${m}`),
);

const envText = fc
  .record({
    lines: fc.array(
      fc.oneof({ weight: 3, arbitrary: entryLine }, { weight: 2, arbitrary: otherLine }, { weight: 1, arbitrary: wordLine }, { weight: 1, arbitrary: pemBlock }),
      { maxLength: 14 },
    ),
    eol: fc.constantFrom('\n', '\r\n', 'mixed'),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map((d) => {
    let text = '';
    d.lines.forEach((l, i) => {
      if (i > 0) text += d.eol === 'mixed' ? (i % 2 ? '\r\n' : '\n') : d.eol;
      text += l;
    });
    if (d.finalNewline && d.lines.length > 0) text += d.eol === '\r\n' ? '\r\n' : '\n';
    return (d.bom ? '\uFEFF' : '') + text;
  });

/** Hand-written examples holding only placeholders, comments, and lines of every kind. */
const exampleText = fc
  .array(
    fc.oneof(
      fc.tuple(key, fc.constantFrom('', '<your key>', 'changeme', '"<fill me in>"', 'true', 'localhost', "'quoted # x'", '"multi\nline"', '"open'), fc.boolean()).map(
        ([k, v, c]) => `${k}=${v}${c ? ' # hand comment' : ''}`,
      ),
      fc.constantFrom('', '# Hand-written header', '# about the next key', 'not an entry', 'K: "x', '"quoted line"'),
    ),
    { maxLength: 10 },
  )
  .chain((lines) => fc.tuple(fc.constant(lines), fc.constantFrom('\n', '\r\n'), fc.boolean()))
  .map(([lines, eol, final]) => lines.join(eol) + (final && lines.length > 0 ? eol : ''));

// ---------------------------------------------------------------------------------------------
// Checks

const WINDOW = 8;

/** Every 8-character window of every value of a secret-named key (not only whitespace). */
function secretWindows(env: string): Set<string> {
  const out = new Set<string>();
  for (const e of parseEnv(env).entries) {
    if (!isSecretName(e.key)) continue;
    for (let i = 0; i + WINDOW <= e.value.length; i++) {
      const w = e.value.slice(i, i + WINDOW);
      if (!/^\s*$/.test(w)) out.add(w);
    }
  }
  return out;
}

const URL_PARTS = /^[a-z][a-z0-9+.-]*:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^:/?#,]*)/i;
const DEFAULT_USERS = new Set(['postgres', 'root', 'admin', 'user', 'guest', 'default', 'sa', 'mysql', 'redis', 'mongo', 'rabbitmq', 'elastic', 'app']);

/** URL user names, passwords and hosts, and e-mail local parts, of every value (8+ characters). */
function plantedParts(env: string): string[] {
  const out: string[] = [];
  for (const e of parseEnv(env).entries) {
    const m = URL_PARTS.exec(e.value);
    if (m !== null) {
      if (m[1] !== undefined && !DEFAULT_USERS.has(m[1].toLowerCase())) out.push(m[1]);
      if (m[2] !== undefined) out.push(m[2]);
      if (m[3] !== undefined && m[3] !== 'localhost') out.push(m[3]);
    }
    const at = /^([A-Za-z0-9._%+-]+)@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.exec(e.value);
    if (at !== null) out.push(at[1]!);
  }
  return out.filter((s) => s.length >= WINDOW);
}

/** Distinctive text that must never reach the example: provider credentials, `#` tails glued to a value, base64 lines of PEM blocks, word values. */
function planted(env: string): string[] {
  const out: string[] = [];
  for (const m of env.matchAll(/(?:ghp_|sk_live_|AKIA|xoxb-|glpat-|sk-ant-|AIza|SG\.|npm_)[A-Za-z0-9._-]{8,}/g)) out.push(m[0]);
  const doc = parseEnv(env);
  for (const e of doc.entries) {
    if (e.commentStart > 0 && e.quote === null && !/\s/.test(env[e.commentStart - 1]!)) out.push(env.slice(e.commentStart + 1, e.lineEnd).trim());
    if (/^[a-z]{12,20}$/.test(e.value)) out.push(e.value);
  }
  for (const line of env.split(/\r\n|\r|\n/)) if (/^[A-Za-z0-9+/]{8,}={0,2}$/.test(line) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(line)) out.push(line.replace(/=+$/, ''));
  return out;
}

function windowsOf(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + WINDOW <= s.length; i++) out.push(s.slice(i, i + WINDOW));
  return out;
}

function show(s: string): string {
  return JSON.stringify(s);
}

/**
 * The output's key syntax: line breaks, `export`, key names, separators and value quotes, with
 * every value, inline comment and comment line blanked out. A value that swallowed other lines of `.env` (an
 * unclosed quote) can contain text like "\nexport " that the output has as syntax of its own keys;
 * such a window is not a leak. Windows that reach into a value or comment still count.
 */
function skeleton(out: string): string {
  let s = '';
  for (const n of parseEnv(out).nodes) {
    if (n.type === 'entry') s += out.slice(n.lineStart, n.valueStart) + (n.quote !== null ? n.quote + '\0' + n.quote : '\0');
    else if (n.type !== 'blank') s += '\0';
    else s += out.slice(n.lineStart, n.lineEnd);
    s += out.slice(n.lineEnd, n.terminatorEnd);
  }
  return s;
}

function assertNoLeak(env: string, out: string, handWritten = ''): void {
  const syntax = skeleton(out);
  for (const w of secretWindows(env)) {
    if (handWritten.includes(w) || syntax.includes(w)) continue;
    assert.ok(!out.includes(w), `secret window ${show(w)} leaked into ${show(out)}`);
  }
  for (const p of plantedParts(env)) {
    if (handWritten.includes(p)) continue;
    assert.ok(!out.includes(p), `URL/e-mail part ${show(p)} leaked into ${show(out)}`);
  }
  for (const p of planted(env)) {
    for (const w of windowsOf(p)) {
      if (handWritten.includes(w) || syntax.includes(w)) continue;
      assert.ok(!out.includes(w), `planted text ${show(w)} (of ${show(p)}) leaked into ${show(out)}`);
    }
  }
}

/** The keys of a .env file an example lists: dotenv's keys, less those whose names are key material. */
function exampleKeys(env: string): string[] {
  const hidden = hiddenKeys(parseEnv(env)).names;
  return keys(env).filter((k) => !hidden.has(k));
}

/** The comment lines directly above the last definition of `key`, and its inline comment. */
function comments(text: string, key: string): { block: string[]; inline: string | null } | undefined {
  const doc = parseEnv(text);
  let at = -1;
  doc.nodes.forEach((n, i) => {
    if (n.type === 'entry' && n.key === key) at = i;
  });
  if (at < 0) return undefined;
  const block: string[] = [];
  for (let i = at - 1; i >= 0 && doc.nodes[i]!.type === 'comment'; i--) {
    const n = doc.nodes[i]!;
    block.unshift(text.slice(n.lineStart, n.lineEnd).replace(/^\uFEFF/, ''));
  }
  const e = doc.nodes[at]!;
  const inline = e.type === 'entry' && e.commentStart >= 0 ? text.slice(e.commentStart, e.lineEnd).trimEnd() : null;
  return { block, inline };
}

function keys(text: string): string[] {
  return Object.keys(dotenvParse(text));
}

describe('syncExample: nothing from .env leaks (property)', () => {
  it(`fresh examples: no secret window, URL credential/host or e-mail local part; exact keys in .env order; idempotent (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(envText, fc.boolean(), (env, removeExtra) => {
        const r = syncExample(env, undefined, { removeExtra });
        assertNoLeak(env, r.text);
        assert.deepEqual(keys(r.text), exampleKeys(env));
        // Key-material names are never reported by name.
        const hidden = hiddenKeys(parseEnv(env)).names;
        for (const k of [...r.added, ...r.kept, ...r.extra, ...r.removed, ...r.withheld]) assert.ok(!hidden.has(k), `hidden key ${show(k)} reported`);
        const again = syncExample(env, r.text, { removeExtra });
        assert.equal(again.text, r.text);
        assert.equal(again.changed, false);
        assert.deepEqual(again.added, []);
      }),
      { numRuns: RUNS },
    );
  });

  it('hand-written examples: hand edits kept, extra keys kept or removed and reported, no leak, idempotent (5000 runs)', () => {
    fc.assert(
      fc.property(envText, exampleText, fc.boolean(), (env, example, removeExtra) => {
        const r = syncExample(env, example, { removeExtra });
        assertNoLeak(env, r.text, example);
        const envKeys = exampleKeys(env);
        const hiddenNames = new Set([...hiddenKeys(parseEnv(env)).names, ...hiddenKeys(parseEnv(example)).names]);
        const exValues = Object.fromEntries(Object.entries(dotenvParse(example)).filter(([k]) => !hiddenNames.has(k)));
        const outValues = dotenvParse(r.text);
        const outKeys = Object.keys(outValues);
        // Keys of .env, in .env's order; the example's own keys kept (or removed) and reported.
        assert.deepEqual(outKeys.filter((k) => envKeys.includes(k)), envKeys);
        const onlyExample = Object.keys(exValues).filter((k) => !envKeys.includes(k));
        assert.deepEqual(outKeys.filter((k) => !envKeys.includes(k)).sort(), removeExtra ? [] : [...onlyExample].sort());
        for (const k of onlyExample) assert.ok((removeExtra ? r.removed : r.extra).includes(k), `${k} reported`);
        // Hand-written values stay exactly as dotenv read them.
        for (const k of Object.keys(exValues)) if (Object.hasOwn(outValues, k)) assert.equal(outValues[k], exValues[k], `value of ${k}`);
        // ... and so do their own comments: the block above the key and the inline comment.
        for (const k of r.kept) {
          const before = comments(example, k)!;
          const after = comments(r.text, k)!;
          if (before.block.length > 0) assert.deepEqual(after.block, before.block, `comments above ${k}`);
          assert.equal(after.inline, before.inline, `inline comment of ${k}`);
        }
        const again = syncExample(env, r.text, { removeExtra });
        assert.equal(again.text, r.text);
        assert.equal(again.changed, false);
      }),
      { numRuns: 5_000 },
    );
  });
});

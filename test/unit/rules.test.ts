import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv } from '../../src/core/envdoc.ts';
import { getFormat } from '../../src/core/formats.ts';
import {
  analyzeEnv,
  compileRuleConfig,
  DEFAULT_RULE_CONFIG,
  findSuppressions,
  isRuleCode,
  RULE_CODES,
  RULES,
  ruleInfo,
  type AnalyzeInput,
  type Finding,
  type RuleConfig,
} from '../../src/core/rules.ts';

// Secrets come from Keysmith's generators (crypto.getRandomValues).
const gen = (id: Parameters<typeof getFormat>[0], options: Parameters<ReturnType<typeof getFormat>['generate']>[0] = {}) => getFormat(id).generate(options);
const b64url = (bytes: number) => gen('base64url', { bytes, allowWeak: true });

function analyze(text: string, fileName = '.env', extra: Partial<AnalyzeInput> = {}, config?: RuleConfig): Finding[] {
  return analyzeEnv({ text, fileName, ...extra }, config);
}
const codes = (fs: readonly Finding[]) => fs.map((f) => f.code);
const only = (fs: readonly Finding[], code: string) => fs.filter((f) => f.code === code);

/** Every finding names no value of the text and points at the line of its start. */
function assertWellFormed(text: string, findings: readonly Finding[]): void {
  const doc = parseEnv(text);
  for (const f of findings) {
    assert.ok(f.start >= 0 && f.end >= f.start && f.end <= text.length, `range of ${f.code}`);
    const before = text.slice(0, f.start);
    assert.equal(f.line, (before.match(/\r\n|\r|\n/g) ?? []).length, `line of ${f.code}`);
    for (const e of doc.entries) {
      if (e.value.length >= 6) assert.ok(!f.message.includes(e.value), `${f.code} message contains the value of ${e.key}`);
    }
  }
  for (let i = 1; i < findings.length; i++) assert.ok(findings[i - 1]!.start <= findings[i]!.start, 'sorted by offset');
}

describe('RULES registry', () => {
  it('lists the eleven rules once each, with README anchors and sensible defaults', () => {
    assert.deepEqual([...RULE_CODES].sort(), [
      'client-exposed-secret', 'duplicate-key', 'empty-secret', 'env-not-ignored', 'env-tracked', 'example-drift', 'example-ignored', 'example-leak', 'reader-mismatch', 'syntax', 'weak-secret',
    ]);
    for (const r of RULES) {
      assert.equal(r.docsAnchor, `rule-${r.code}`);
      assert.ok(r.title.length > 0 && r.description.length > 0);
      assert.equal(ruleInfo(r.code), r);
      assert.ok(isRuleCode(r.code));
    }
    assert.equal(ruleInfo('env-tracked').defaultSeverity, 'error');
    assert.equal(ruleInfo('env-not-ignored').defaultSeverity, 'warning');
    assert.equal(ruleInfo('example-ignored').defaultSeverity, 'info');
    assert.equal(ruleInfo('example-drift').defaultSeverity, 'info');
    assert.equal(ruleInfo('empty-secret').defaultSeverity, 'info');
    assert.equal(isRuleCode('weak-secrets'), false);
  });

  it('empty-secret: an empty secret-named value (not in an example) is an info finding on its key with the populate fix', () => {
    const text = 'PORT=\nSECRET_KEY=\nAPI_TOKEN=""\nSECRET_KEY2=set-elsewhere-abcdefghijklmnopqrstuvwxyz012345\n';
    const f = analyzeEnv({ text, fileName: '.env' }).filter((x) => x.code === 'empty-secret');
    assert.deepEqual(f.map((x) => [x.key, x.line, x.severity, text.slice(x.start, x.end)]), [['SECRET_KEY', 1, 'info', 'SECRET_KEY'], ['API_TOKEN', 2, 'info', 'API_TOKEN']]);
    assert.deepEqual(f[0]!.fix, { kind: 'populate', key: 'SECRET_KEY' });
    assert.equal(analyzeEnv({ text, fileName: '.env.example' }).filter((x) => x.code === 'empty-secret').length, 0);
    assert.equal(analyzeEnv({ text, fileName: '.env' }, { ...DEFAULT_RULE_CONFIG, disabled: ['empty-secret'] }).filter((x) => x.code === 'empty-secret').length, 0);
  });
});

describe('git rules', () => {
  const text = 'A=1\nB=2\n';
  it('env-not-ignored: a .env git does not ignore, on line 0, with the add-to-gitignore fix', () => {
    const fs = analyze(text, '.env', { git: { ignored: false, tracked: false } });
    assert.deepEqual(codes(fs), ['env-not-ignored']);
    const f = fs[0]!;
    assert.equal(f.severity, 'warning');
    assert.deepEqual([f.line, f.start, f.end], [0, 0, 3]);
    assert.equal(f.message, '.env is not ignored by git: it would be committed. Add it to .gitignore.');
    assert.deepEqual(f.fix, { kind: 'add-to-gitignore' });
  });
  it('applies to every .env variant, not to other names', () => {
    for (const name of ['.env.local', '.env.production', 'prod.env', '.ENV']) {
      assert.deepEqual(codes(analyze(text, name, { git: { ignored: false, tracked: false } })), ['env-not-ignored'], name);
    }
    assert.deepEqual(analyze(text, 'settings.txt', { git: { ignored: false, tracked: true } }), []);
  });
  it('env-tracked: an error whether or not the file is ignored; both findings when tracked and not ignored', () => {
    const tracked = analyze(text, '.env', { git: { ignored: true, tracked: true } });
    assert.deepEqual(codes(tracked), ['env-tracked']);
    assert.equal(tracked[0]!.severity, 'error');
    assert.match(tracked[0]!.message, /already committed: ignoring it does not remove it from the repository\. Run git rm --cached/);
    assert.deepEqual(tracked[0]!.fix, { kind: 'untrack' });
    assert.deepEqual(codes(analyze(text, '.env', { git: { ignored: false, tracked: true } })), ['env-not-ignored', 'env-tracked']);
    assert.deepEqual(analyze(text, '.env', { git: { ignored: true, tracked: false } }), []);
  });
  it('unknown status reports nothing; an unknown tracking note is appended to env-not-ignored', () => {
    assert.deepEqual(analyze(text, '.env', { git: { ignored: 'unknown', tracked: 'unknown', trackingNote: 'x' } }), []);
    const note = 'tracking could not be checked: Restricted Mode';
    const [f] = analyze(text, '.env', { git: { ignored: false, tracked: 'unknown', trackingNote: note } });
    assert.equal(f!.message, `.env is not ignored by git: it would be committed. Add it to .gitignore. Whether it is already committed is unknown (${note}).`);
    const [g] = analyze(text, '.env', { git: { ignored: false, tracked: 'unknown' } });
    assert.doesNotMatch(g!.message, /unknown/);
    // An ignored file with unknown tracking stays quiet.
    assert.deepEqual(analyze(text, '.env', { git: { ignored: true, tracked: 'unknown', trackingNote: note } }), []);
  });
  it('example files: exempt from env-not-ignored/env-tracked, example-ignored (info) when ignored', () => {
    for (const name of ['.env.example', '.env.sample', '.env.template', 'example.env']) {
      assert.deepEqual(analyze(text, name, { git: { ignored: false, tracked: true } }), [], name);
      const fs = analyze(text, name, { git: { ignored: true, tracked: false } });
      assert.deepEqual(codes(fs), ['example-ignored'], name);
      assert.equal(fs[0]!.severity, 'info');
      assert.match(fs[0]!.message, new RegExp(`^${name.replace(/\./g, '\\.')} is ignored by git, so teammates won't get it`));
    }
  });
  it('no git status: no git findings; an empty file still gets a zero-length range', () => {
    assert.deepEqual(analyze(text, '.env'), []);
    const [f] = analyze('', '.env', { git: { ignored: false, tracked: false } });
    assert.deepEqual([f!.line, f!.start, f!.end], [0, 0, 0]);
  });
});

describe('weak-secret', () => {
  const weak = (key: string, value: string, extra: Partial<AnalyzeInput> = {}, config?: RuleConfig) => {
    const text = `${key}=${value}\n`;
    const fs = analyze(text, '.env', extra, config);
    assertWellFormed(text, fs);
    return only(fs, 'weak-secret');
  };

  it('placeholders and published samples', () => {
    for (const [key, value] of [
      ['SECRET_KEY', 'changeme'],
      ['API_KEY', 'your-api-key-here'],
      ['STRIPE_SECRET_KEY', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
      ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
      ['JWT_SECRET', 'your-256-bit-secret'],
      ['DB_PASSWORD', '<password>'],
      ['TOKEN', 'xxxxxxxx'],
    ]) {
      const [f, ...rest] = weak(key!, value!);
      assert.equal(rest.length, 0);
      assert.equal(f?.reason, 'placeholder', `${key}=${value}`);
      assert.equal(f!.severity, 'warning');
      assert.equal(f!.message, `${key} holds a placeholder or published sample value, not a real secret; generate one.`);
    }
  });
  it('the django-insecure- prefix', () => {
    const value = 'django-insecure-' + gen('django').slice(16);
    const [f] = weak('DJANGO_SECRET_KEY', value);
    assert.equal(f?.reason, 'django-insecure');
    assert.deepEqual(f!.fix, { kind: 'regenerate', key: 'DJANGO_SECRET_KEY', entryIndex: 0, format: 'django' });
    assert.equal(weak('SECRET_KEY', value)[0]?.reason, 'django-insecure');
  });
  it('too weak: estimated bits and shape in the message, never the value', () => {
    // A random 12-byte value's shape label varies with its characters (letters and digits,
    // base64url, text, plus a pattern note such as "keyboard pattern" when one shows up by chance),
    // so the message is matched on its form; the alternation used to be ungrouped and failed ~1 in 8.
    const value = b64url(12);
    const [f] = weak('API_SECRET', value);
    assert.equal(f?.reason, 'low-entropy');
    assert.match(f!.message, /^API_SECRET is weak: about \d+ bits of estimated strength \((letters and digits|base64url|text)(; [a-z ]+)?\), under the 128-bit minimum\.$/);
    assert.ok(!f!.message.includes(value), 'the message never holds the value');
    const [g] = weak('API_KEY', 'hunter2hunter2');
    assert.match(g!.message, /about \d+ bits .*common password or word.*under the 128-bit minimum/);
    assert.equal(weak('PIN_PASSWORD', '8675309')[0]?.reason, 'low-entropy');
    assert.match(weak('PIN_PASSWORD', '8675309')[0]!.message, /digits only/);
  });
  it('strong generated secrets pass', () => {
    const strong: [string, string][] = [
      ['API_SECRET', gen('base64url')],
      ['SESSION_SECRET', gen('hex')],
      ['APP_FERNET_KEY', gen('fernet')],
      ['JWT_SECRET', gen('jwt-hs256')],
      ['JWT_HS384_SECRET', gen('jwt-hs384')],
      ['JWT_HS512_SECRET', gen('jwt-hs512')],
      ['DJANGO_SECRET_KEY', gen('django')],
      ['DB_PASSWORD', gen('password')],
      ['STRIPE_API_KEY', gen('api-key')],
      ['ENCRYPTION_KEY', gen('base64')],
    ];
    for (const [k, v] of strong) assert.deepEqual(weak(k, JSON.stringify(v)), [], k);
    assert.deepEqual(weak('SECRET_KEY', JSON.stringify(gen('django')), { isDjangoProject: true }), []);
  });
  it('Fernet keys must be 32 bytes of padded urlsafe base64', () => {
    for (const bad of [b64url(32), gen('base64', { bytes: 32 }).replace(/=$/, ''), gen('fernet').slice(0, -2) + '==', gen('base64url', { bytes: 48 }) + '=']) {
      const [f] = weak('FERNET_KEY', bad);
      assert.equal(f?.reason, 'fernet-format', bad.length.toString());
      assert.match(f!.message, /not a valid Fernet key: it must be 32 random bytes in URL-safe base64 with padding \(44 characters\)/);
      assert.equal(f!.fix?.kind === 'regenerate' && f!.fix.format, 'fernet');
    }
  });
  it('JWT HMAC secrets: at least 32/48/64 bytes, decoded when the value is hex or base64', () => {
    const [hex] = weak('JWT_SECRET', gen('hex', { bytes: 16 }));
    assert.equal(hex?.reason, 'jwt-length');
    assert.equal(hex!.message, 'JWT_SECRET is too short for HS256: 16 bytes once decoded from hex; RFC 7518 requires an HMAC key of at least 32 bytes.');
    // A base64url secret that shows it (about a quarter of random ones have no '-' or '_' and read as
    // plain alphanumeric text, which is judged by its raw length instead).
    let b64 = gen('jwt-hs256');
    while (!/[-_]/.test(b64)) b64 = gen('jwt-hs256');
    const [hs384] = weak('JWT_HS384_SECRET', b64);
    assert.equal(hs384!.message, 'JWT_HS384_SECRET is too short for HS384: 32 bytes once decoded from base64url; RFC 7518 requires an HMAC key of at least 48 bytes.');
    // (As above: a value without '-' or '_' would be judged by its raw length.)
    let s384 = gen('jwt-hs384');
    while (!/[-_]/.test(s384)) s384 = gen('jwt-hs384');
    assert.equal(weak('AUTH_HS512_KEY', s384)[0]?.reason, 'jwt-length');
    assert.equal(weak('JWT_SECRET', 'short')[0]?.reason, 'jwt-length');
    // 40 random letters and digits: used as raw bytes, 40 >= 32.
    const alnum = gen('password', { length: 40, password: { symbols: false } });
    assert.deepEqual(weak('JWT_SECRET', alnum), []);
    assert.deepEqual(weak('JWT_SECRET', gen('hex', { bytes: 32 })), []);
  });
  it("Django's W009 for DJANGO_SECRET_KEY, and SECRET_KEY in a Django project", () => {
    const short = b64url(32); // 43 characters
    assert.equal(weak('DJANGO_SECRET_KEY', short)[0]!.message, "DJANGO_SECRET_KEY fails Django's check security.W009: it has 43 characters, fewer than 50. Generate a new secret key.");
    assert.equal(weak('SECRET_KEY', short, { isDjangoProject: true })[0]?.reason, 'django-w009');
    assert.deepEqual(weak('SECRET_KEY', short), []);
    assert.match(weak('DJANGO_SECRET_KEY', 'abcd'.repeat(15))[0]!.message, /fewer than 5 distinct characters/);
    assert.deepEqual(weak('SECRET_KEY', 'x', { isDjangoProject: true })[0]!.fix, { kind: 'regenerate', key: 'SECRET_KEY', entryIndex: 0, format: 'django' });
  });
  it('skips empty values, references, PEM blocks, private-key names, plain configuration and non-secrets', () => {
    for (const [key, value] of [
      ['API_KEY', ''],
      ['API_KEY', '""'],
      ['DB_PASSWORD', '${POSTGRES_PASSWORD}'],
      ['DB_PASSWORD', '$POSTGRES_PASSWORD'],
      ['TOKEN', 'prefix-${OTHER}'],
      ['PRIVATE_KEY', '"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"'],
      ['SSH_PRIVATE_KEY', 'short'],
      ['AUTH', 'true'],
      ['AUTH_TOKEN', 'https://auth.example.com/token'],
      ['PORT', '1'],
      ['AWS_ACCESS_KEY_ID', 'AKIA1234'],
      ['STRIPE_PUBLISHABLE_KEY', 'pk_1'],
    ]) {
      assert.deepEqual(weak(key!, value!), [], `${key}=${value}`);
    }
    // Digits are still judged.
    assert.equal(weak('DB_PASSWORD', '123456')[0]?.reason, 'placeholder');
  });
  it('judges only the occurrence dotenv uses', () => {
    const text = `API_KEY=changeme\nAPI_KEY=${gen('base64url')}\n`;
    assert.deepEqual(codes(analyze(text)), ['duplicate-key']);
    const text2 = `API_KEY=${gen('base64url')}\nAPI_KEY=changeme\n`;
    const fs = analyze(text2);
    assert.deepEqual(codes(fs), ['duplicate-key', 'weak-secret']);
    assert.equal(fs[1]!.line, 1);
    assert.deepEqual(fs[1]!.fix, { kind: 'regenerate', key: 'API_KEY', entryIndex: 1, format: 'api-key' });
  });
  it('points at the raw value, quotes included, across CRLF and multi-line entries', () => {
    const text = 'A=1\r\nexport  API_KEY = "changeme"  # note\r\nB="x\r\ny"\r\nTOKEN=\r\n"abc"\r\n';
    const fs = only(analyze(text), 'weak-secret');
    assert.equal(fs.length, 2);
    assert.equal(text.slice(fs[0]!.start, fs[0]!.end), '"changeme"');
    assert.equal(fs[0]!.line, 1);
    // dotenv takes TOKEN's value from the next line.
    assert.equal(text.slice(fs[1]!.start, fs[1]!.end), '"abc"');
    assert.equal(fs[1]!.line, 5);
    assertWellFormed(text, analyze(text));
  });
  it('config: extra secret patterns, placeholders and minBits', () => {
    assert.deepEqual(weak('MY_THING', 'abc'), []);
    const cfg: RuleConfig = { ...DEFAULT_RULE_CONFIG, secretPatterns: ['MY_THING', '/^ACME_/'] };
    assert.equal(weak('MY_THING', 'abc', {}, cfg)[0]?.reason, 'placeholder');
    assert.equal(weak('ACME_X', 'abc', {}, cfg)[0]?.reason, 'placeholder');
    const value = `acme-dev-${gen('hex', { bytes: 32 })}`;
    assert.deepEqual(weak('API_KEY', value), []);
    assert.equal(weak('API_KEY', value, {}, { ...DEFAULT_RULE_CONFIG, placeholders: ['acme-dev-*'] })[0]?.reason, 'placeholder');
    const mid = b64url(12); // ~95 bits
    assert.equal(weak('API_SECRET', mid)[0]?.reason, 'low-entropy');
    assert.deepEqual(weak('API_SECRET', mid, {}, { ...DEFAULT_RULE_CONFIG, minBits: 64 }), []);
  });
  it('is not reported in example files', () => {
    assert.deepEqual(analyze('SECRET_KEY=changeme\nAPI_KEY=\n', '.env.example'), []);
  });
});

describe('syntax', () => {
  it("reports the model's problems with their kind and severity, except duplicate-key", () => {
    const text = 'no equals here\nA="open\nB=x#y\nC=a b\nD: colon\nE=1\nE=2\n';
    const doc = parseEnv(text);
    const fs = analyze(text);
    const syntax = only(fs, 'syntax');
    const expected = doc.problems.filter((p) => p.kind !== 'duplicate-key');
    assert.deepEqual(syntax.map((f) => [f.reason, f.severity, f.line, f.start, f.end, f.message]), expected.map((p) => [p.kind, p.severity, p.line, p.start, p.end, p.message]));
    const kinds = new Set(syntax.map((f) => f.reason));
    for (const k of ['no-equals', 'unterminated-quote', 'inline-hash', 'unquoted-space', 'colon-separator']) assert.ok(kinds.has(k), k);
    assert.equal(syntax.find((f) => f.reason === 'unterminated-quote')!.severity, 'error');
    assert.equal(syntax.find((f) => f.reason === 'inline-hash')!.severity, 'warning');
    assert.equal(syntax.find((f) => f.reason === 'unquoted-space')!.severity, 'info');
    assert.ok(!kinds.has('duplicate-key'));
    assertWellFormed(text, fs);
  });
  it("' #' after a value is a comment, not a problem", () => {
    assert.deepEqual(analyze('A=abc # a comment\nB="x y" # ok\n'), []);
  });
});

describe('duplicate-key', () => {
  it('flags every overridden occurrence, naming the next definition and the winner', () => {
    const text = 'PORT=1\nA=1\nPORT=2\n\nPORT=3\n';
    const fs = analyze(text);
    assert.deepEqual(fs.map((f) => [f.code, f.line, f.message]), [
      ['duplicate-key', 0, 'PORT is defined again on line 3; dotenv uses the last definition (line 5).'],
      ['duplicate-key', 2, 'PORT is defined again on line 5; dotenv uses that last definition.'],
    ]);
    assert.deepEqual(fs[0]!.fix, { kind: 'remove-entry', key: 'PORT', entryIndex: 0 });
    assert.deepEqual(fs[1]!.fix, { kind: 'remove-entry', key: 'PORT', entryIndex: 2 });
    assert.equal(text.slice(fs[0]!.start, fs[0]!.end), 'PORT');
    assert.equal(fs[0]!.severity, 'warning');
  });
  it('leaves __proto__ to syntax (dotenv drops it)', () => {
    const fs = analyze('__proto__=1\n__proto__=2\n');
    assert.deepEqual(codes(fs), ['syntax', 'syntax']);
    assert.ok(fs.every((f) => f.reason === 'ignored-key'));
  });
});

describe('example-leak', () => {
  const leak = (value: string, key = 'API_KEY', name = '.env.example') => only(analyze(`${key}=${value}\n`, name), 'example-leak');
  it('flags real-looking secrets in example files only', () => {
    const value = gen('base64url');
    const [f] = leak(value);
    assert.equal(f?.message, 'API_KEY in an example file looks like a real secret; replace it with a placeholder.');
    assert.equal(f!.severity, 'warning');
    assert.equal(f!.fix, undefined);
    assert.deepEqual(leak(value, 'API_KEY', '.env'), []);
    for (const name of ['.env.sample', '.env.template', 'example.env']) assert.equal(leak(value, 'API_KEY', name).length, 1, name);
    assert.equal(leak(gen('password', { length: 12, allowWeak: true })).length, 1, 'a 12-character random password (~75 bits)');
  });
  it('every occurrence counts: the text is committed', () => {
    const fs = only(analyze(`API_KEY=${gen('hex')}\nAPI_KEY=changeme\n`, '.env.example'), 'example-leak');
    assert.deepEqual(fs.map((f) => f.line), [0]);
  });
  it('leaves placeholders, empty values, references, configuration and weak text alone', () => {
    for (const v of ['', 'changeme', 'your-api-key-here', '<api key>', '${API_KEY}', 'https://example.com', 'sk_live_xxxxxxxxxxxx', 'my-dev-secret-key', 'postgres', 'password123']) {
      assert.deepEqual(leak(v), [], v);
    }
    assert.deepEqual(leak(gen('base64url'), 'DATABASE_HOST'), [], 'not a secret name');
  });
  it('PEM: private keys leak, public material does not', () => {
    const body = gen('base64', { bytes: 300 });
    assert.equal(leak(`"-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----"`, 'PRIVATE_KEY').length, 1);
    assert.deepEqual(leak(`"-----BEGIN PUBLIC KEY-----\\n${body}\\n-----END PUBLIC KEY-----"`, 'JWT_PRIVATE_KEY'), []);
  });
  it('leakBits sets the threshold', () => {
    const v = gen('password', { length: 12, allowWeak: true });
    assert.deepEqual(only(analyzeEnv({ text: `API_KEY=${v}\n`, fileName: '.env.example' }, { ...DEFAULT_RULE_CONFIG, leakBits: 200 }), 'example-leak'), []);
  });
});

describe('example-drift', () => {
  it('source .env: keys the example lacks, on their first definition', () => {
    const text = 'A=1\nB=2\nC=3\nB=4\n__proto__=x\n';
    const fs = only(analyze(text, '.env', { counterpart: { role: 'example', name: '.env.example', keys: ['A'] } }), 'example-drift');
    assert.deepEqual(fs.map((f) => [f.line, f.key, f.message, f.severity]), [
      [1, 'B', 'B is missing from .env.example.', 'info'],
      [2, 'C', 'C is missing from .env.example.', 'info'],
    ]);
    assert.deepEqual(fs[0]!.fix, { kind: 'sync-example' });
    assert.equal(text.slice(fs[0]!.start, fs[0]!.end), 'B');
  });
  it('example: keys the source lacks', () => {
    const fs = analyze('A=\nOLD=\n', '.env.example', { counterpart: { role: 'source', name: '.env', keys: ['A', 'NEW'] } });
    assert.deepEqual(fs.map((f) => [f.code, f.line, f.message]), [['example-drift', 1, 'OLD is missing from .env.']]);
  });
  it('nothing without a counterpart', () => {
    assert.deepEqual(analyze('A=1\n'), []);
  });
});

describe('suppression comments', () => {
  // `API_KEY=change me` has two findings on one entry: weak-secret and syntax (unquoted-space).
  const two = 'API_KEY=change me\n';
  it('a directive above an entry silences the listed codes there only', () => {
    assert.deepEqual(codes(analyze(two)), ['weak-secret', 'syntax']);
    const text = `# keysmith-ignore: weak-secret\n${two}API_TOKEN=changeme\n`;
    assert.deepEqual(analyze(text).map((f) => [f.code, f.line]), [['syntax', 1], ['weak-secret', 2]]);
  });
  it('anywhere in the comment block directly above; not across a blank line', () => {
    assert.deepEqual(analyze('# keysmith-ignore: weak-secret -- test fixture\n# the next line is fake\nAPI_KEY=changeme\n'), []);
    assert.deepEqual(codes(analyze('# keysmith-ignore: weak-secret\n\nAPI_KEY=changeme\n')), ['weak-secret']);
  });
  it('no codes: every code; several codes by commas or spaces; case-insensitive', () => {
    assert.deepEqual(analyze(`# keysmith-ignore\n${two}`), []);
    assert.deepEqual(analyze(`#KEYSMITH-IGNORE: Weak-Secret, syntax\n${two}`), []);
    assert.deepEqual(analyze(`# keysmith-ignore: weak-secret syntax -- fixture\n${two}`), []);
    assert.deepEqual(codes(analyze(`# keysmith-ignore: syntax\n${two}`)), ['weak-secret']);
  });
  it('unknown codes silence nothing', () => {
    assert.deepEqual(codes(analyze('# keysmith-ignore: weak-secrets\nAPI_KEY=changeme\n')), ['weak-secret']);
    assert.deepEqual(codes(analyze('# keysmith-ignore-files\nAPI_KEY=changeme\n')), ['weak-secret']);
  });
  it("as the entry's trailing comment", () => {
    assert.deepEqual(analyze('API_KEY=changeme # keysmith-ignore: weak-secret\n'), []);
    // Inside a quoted value it is value text, not a directive.
    assert.deepEqual(codes(analyze('API_KEY="changeme # keysmith-ignore"\n')), ['weak-secret']);
  });
  it('covers every line of a multi-line entry, and invalid lines', () => {
    const text = '# keysmith-ignore: syntax\nA="x\nB=1\n"\n# keysmith-ignore\nnot an entry\n';
    assert.ok(parseEnv(text).problems.length >= 2);
    assert.deepEqual(analyze(text), []);
  });
  it('keysmith-ignore-file: whole file, and the only way to silence file-level rules', () => {
    const git = { git: { ignored: false, tracked: true } as const };
    const text = '# keysmith-ignore: env-not-ignored, env-tracked\nAPI_KEY=changeme\n';
    assert.deepEqual(codes(analyze(text, '.env', git)), ['env-not-ignored', 'env-tracked', 'weak-secret']);
    const fileLevel = 'API_KEY=changeme\nB=1\n# keysmith-ignore-file: env-not-ignored weak-secret\n';
    assert.deepEqual(codes(analyze(fileLevel, '.env', git)), ['env-tracked']);
    assert.deepEqual(analyze('# keysmith-ignore-file\nAPI_KEY=changeme\n', '.env', git), []);
  });
  it('findSuppressions is null for a file without directives', () => {
    assert.equal(findSuppressions(parseEnv('A=1\n# just a comment\n')), null);
  });
});

describe('configuration', () => {
  const text = 'A=1\nA=2\nno equals\nAPI_KEY=changeme\n';
  it('disabled codes and severities (off disables; an override replaces per-problem severities)', () => {
    assert.deepEqual(codes(analyze(text, '.env', {}, { ...DEFAULT_RULE_CONFIG, disabled: ['duplicate-key', 'weak-secret'] })), ['syntax']);
    assert.deepEqual(codes(analyze(text, '.env', {}, { ...DEFAULT_RULE_CONFIG, severities: { syntax: 'off' } })), ['duplicate-key', 'weak-secret']);
    const fs = analyze(text, '.env', {}, { ...DEFAULT_RULE_CONFIG, severities: { syntax: 'hint', 'weak-secret': 'error' } });
    assert.deepEqual(fs.map((f) => [f.code, f.severity]), [['duplicate-key', 'warning'], ['syntax', 'hint'], ['weak-secret', 'error']]);
    // Nonsense in settings is ignored.
    const odd = { ...DEFAULT_RULE_CONFIG, severities: { syntax: 'loud' }, disabled: ['nope'] } as unknown as RuleConfig;
    assert.deepEqual(codes(analyze(text, '.env', {}, odd)), ['duplicate-key', 'syntax', 'weak-secret']);
  });
  it('equal configs share one compiled form (settings are rebuilt on every analysis)', () => {
    const a: RuleConfig = { ...DEFAULT_RULE_CONFIG, severities: { syntax: 'hint', 'weak-secret': 'error' }, secretPatterns: ['X'] };
    const b: RuleConfig = { ...DEFAULT_RULE_CONFIG, severities: { 'weak-secret': 'error', syntax: 'hint' }, secretPatterns: ['X'] };
    assert.equal(compileRuleConfig(a), compileRuleConfig(b));
    assert.notEqual(compileRuleConfig(a), compileRuleConfig({ ...a, secretPatterns: ['Y'] }));
  });
  it('reuses a given parse', () => {
    const doc = parseEnv(text);
    assert.deepEqual(analyzeEnv({ text, fileName: '.env', doc }), analyzeEnv({ text, fileName: '.env' }));
  });
  it('re-analysis after an edit sees the new value (the per-key memo follows values)', () => {
    const strong = gen('base64url');
    assert.deepEqual(analyze(`API_KEY=${strong}\n`), []);
    assert.deepEqual(codes(analyze('API_KEY=changeme\n')), ['weak-secret']);
    assert.deepEqual(analyze(`API_KEY=${strong}\n`), []);
    assert.deepEqual(codes(analyze('API_KEY=changeme\n', '.env', { isDjangoProject: true })), ['weak-secret']);
    assert.deepEqual(analyze(`API_KEY=${strong}\n`, '.env.example').length, 1);
    assert.deepEqual(analyze('API_KEY=changeme\n', '.env.example'), []);
  });
});

describe('ordering', () => {
  it('sorts by offset, then rule order, then end', () => {
    const text = 'API_TOKEN=abc def\nPORT=1\nPORT=2\n';
    const fs = analyze(text, '.env', { git: { ignored: false, tracked: true }, counterpart: { role: 'example', name: '.env.example', keys: [] } });
    assert.deepEqual(fs.map((f) => f.code), ['env-not-ignored', 'env-tracked', 'example-drift', 'weak-secret', 'syntax', 'duplicate-key', 'example-drift']);
    assertWellFormed(text, fs);
  });
});

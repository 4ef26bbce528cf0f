import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as dotenvParse } from 'dotenv';
import {
  encodeExampleValue,
  exampleDrift,
  exampleNameFor,
  exampleValue,
  parseExampleRules,
  secretPlaceholder,
  syncExample,
  type ExampleValueOptions,
} from '../../src/core/example.ts';
import { KeysmithError } from '../../src/core/errors.ts';
import { isPlaceholder } from '../../src/core/secrets.ts';

/** The example value dotenv reads for KEY=value in .env, checking it is written so dotenv reads it back. */
function fake(key: string, value: string, options?: ExampleValueOptions): string {
  const v = exampleValue(key, value, options);
  assert.equal(dotenvParse(`${key}=${v.raw}\n`)[key], v.value, `raw ${v.raw} reads back`);
  return v.value;
}

function sync(env: string, example?: string, options?: Parameters<typeof syncExample>[2]) {
  const r = syncExample(env, example, options);
  const again = syncExample(env, r.text, options);
  assert.equal(again.text, r.text, 'idempotent');
  assert.equal(again.changed, false, 'idempotent');
  return r;
}

describe('exampleValue: fake values by key and value shape', () => {
  it('secret-named keys get a quoted placeholder naming a format, whatever the value', () => {
    assert.equal(fake('FERNET_KEY', 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='), '<generate: fernet>');
    assert.equal(fake('JWT_SECRET', 'x'), '<generate: jwt-hs256>');
    assert.equal(fake('DB_PASSWORD', ''), '<generate: password>');
    assert.equal(fake('STRIPE_API_KEY', 'sk_live_abc'), '<generate: api-key>');
    assert.equal(fake('SESSION_SECRET', 'true'), '<generate: base64url>');
    assert.equal(fake('WEBHOOK_SECRET', 'https://u:p@hooks.example.org/x'), '<generate: base64url>');
    assert.equal(fake('PRIVATE_KEY', '-----BEGIN PRIVATE KEY-----\nMII...'), '<paste: PEM private key>');
    assert.equal(exampleValue('API_KEY', 'x').raw, '"<generate: api-key>"');
    assert.ok(isPlaceholder(fake('API_KEY', 'x')), 'Populate recognises it as a placeholder');
  });
  it('uses the configured default format, Django projects and extra secret patterns', () => {
    assert.equal(secretPlaceholder('SESSION_SECRET', { defaultFormat: 'hex' }), '<generate: hex>');
    assert.equal(secretPlaceholder('SECRET_KEY', { isDjangoProject: true }), '<generate: django>');
    assert.equal(fake('ACME_SIGNATURE', 'abcdef0123456789'), '<ACME_SIGNATURE>');
    assert.equal(fake('ACME_SIGNATURE', 'abcdef0123456789', { secretPatterns: ['*SIGNATURE'] }), '<generate: base64url>');
  });
  it('URLs keep scheme and port, with fake credentials, localhost / example.com and generic paths', () => {
    assert.equal(fake('DATABASE_URL', 'postgres://admin:s3cret@db.prod.internal:5432/prod_db'), 'postgres://user:password@localhost:5432/app');
    assert.equal(fake('DATABASE_URL', 'postgresql://db.internal/orders?sslmode=require&password=x1y2z3w4'), 'postgresql://localhost/app?sslmode=require&password=xxxx');
    assert.equal(fake('REDIS_URL', 'redis://:hunter2hunter2@cache.internal:6379/0'), 'redis://user:password@localhost:6379/0');
    assert.equal(fake('MONGO_URL', 'mongodb://u:p@h1:27017,h2:27017/app?replicaSet=rs0'), 'mongodb://user:password@localhost:27017/app?replicaSet=rs0');
    assert.equal(fake('API_URL', 'https://api.internal.acme.io/v1/orders'), 'https://example.com/v1/orders');
    assert.equal(fake('SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T0ABC12/B0DEF34/xyzXYZ123abc'), 'https://example.com/services/xxxx/xxxx/xxxx');
    assert.equal(fake('GIT_URL', 'https://ghp_abcdef123456@github.com/acme/app.git'), 'https://user@example.com/acme/xxxx');
    assert.equal(fake('APP_URL', 'http://localhost:3000'), 'http://localhost:3000');
    assert.equal(fake('SQLITE_URL', 'sqlite:///var/data/app.db'), 'sqlite:///app');
    assert.equal(fake('AMQP_URL', 'amqp://guest:guest@rabbit.internal'), 'amqp://user:password@localhost');
  });
  it('e-mail addresses become user@example.com', () => {
    assert.equal(fake('ADMIN_EMAIL', 'jane.doe+ops@acme.io'), 'user@example.com');
  });
  it('keeps plain configuration of non-secret keys as it is', () => {
    for (const [k, v] of [
      ['DEBUG', 'true'], ['FEATURE_X', 'off'], ['PORT', '3000'], ['RATIO', '0.75'], ['RETRIES', '-1'], ['TIMEOUT', '30s'],
      ['MAX_UPLOAD', '10mb'], ['API_VERSION', '1.2.3'], ['LOG_LEVEL', 'info'], ['LOG_LEVEL', 'WARN'], ['NODE_ENV', 'development'],
      ['AWS_REGION', 'us-east-1'], ['DB_HOST', 'localhost'], ['DB_HOST', 'localhost:5432'], ['BIND', '0.0.0.0:8080'],
      ['BIND', '127.0.0.1'], ['OPTIONAL', ''], ['APP_ENV', 'staging'], ['LOG_FORMAT', 'json'], ['GCP_REGION', 'europe-west4'],
    ] as const) {
      assert.equal(fake(k, v), v, `${k}=${v}`);
    }
    assert.equal(fake('BLANK', '   '), '');
  });
  it('replaces everything else with <KEY_NAME>: free text, paths, host names, ids, random tokens, JSON, multi-line', () => {
    for (const [k, v] of [
      ['APP_NAME', 'My App'], ['DATA_DIR', '/home/jsmith/data'], ['DB_HOST', 'db.prod.internal'], ['BUILD', 'k3x9qz7w'],
      ['CONFIG', '{"a": 1}'], ['MOTD', 'line1\nline2'], ['COMMIT', 'deadbeef1234'], ['NAME', 'MixedCase'], ['LONG_WORD', 'abcdefghijklmnopq'],
      ['SERVER', '2001:db8::1'],
      // Words are kept only when they are known enum words: REDIS_PW and COOKIE_SIGN are secrets
      // now, and an unknown name with a passphrase-like word must not leak it either.
      ['CACHE_DRIVER', 'redis'], ['MODE', 'correcthorsebatt'], ['FLAVOR', 'purplemonkeydish'],
    ] as const) {
      assert.equal(fake(k, v), `<${k}>`, `${k}=${JSON.stringify(v)}`);
    }
    assert.equal(exampleValue('APP_NAME', 'My App').raw, '"<APP_NAME>"');
  });
  it('long numbers (ids) keep only their length; other IPv4 addresses become 127.0.0.1', () => {
    assert.equal(fake('AWS_ACCOUNT', '987654321098'), '123456789012');
    assert.equal(fake('DB_ADDR', '10.1.2.3:5432'), '127.0.0.1:5432');
    assert.equal(fake('DB_ADDR', '10.1.2.3'), '127.0.0.1');
  });
  it('user rules win over the built-ins: literal values, <generate> and <keep>', () => {
    const rules = [
      { pattern: 'STRIPE_*', value: 'sk_test_xxx' },
      { pattern: 'APP_NAME', value: '<keep>' },
      { pattern: 'BUILD_ID', value: '<generate>' },
      { pattern: 'DB_PASSWORD', value: '<keep>' },
      { pattern: '/^GREETING$/', value: 'hello world # not a comment' },
      { pattern: 'PORT', value: '' },
    ];
    assert.equal(fake('STRIPE_SECRET_KEY', 'sk_live_real', { rules }), 'sk_test_xxx');
    assert.equal(fake('APP_NAME', 'My App', { rules }), 'My App');
    assert.equal(fake('BUILD_ID', '1234', { rules }), '<generate: base64url>');
    assert.equal(fake('DB_PASSWORD', 'hunter2', { rules }), '<generate: password>', '<keep> never copies a secret');
    assert.equal(fake('GREETING', 'x', { rules }), 'hello world # not a comment');
    assert.equal(fake('PORT', '3000', { rules }), '');
    // The first matching rule wins.
    assert.equal(fake('STRIPE_X', 'v', { rules: [{ pattern: 'STRIPE_*', value: 'a' }, { pattern: 'STRIPE_X', value: 'b' }] }), 'a');
  });
  it('parseExampleRules reads the setting and reports bad entries without their values', () => {
    const r = parseExampleRules({ 'STRIPE_*': '<generate>', APP_NAME: '<keep>', SENTRY_DSN: '', BAD: 42, WORSE: 'a\r"\'`#\\n' });
    assert.deepEqual(r.rules, [
      { pattern: 'STRIPE_*', value: '<generate>' },
      { pattern: 'APP_NAME', value: '<keep>' },
      { pattern: 'SENTRY_DSN', value: '' },
    ]);
    assert.equal(r.errors.length, 2);
    assert.match(r.errors[0]!, /"BAD"/);
    assert.match(r.errors[1]!, /"WORSE": the value cannot be written/);
    assert.deepEqual(parseExampleRules(undefined), { rules: [], errors: [] });
    assert.equal(parseExampleRules(['x']).errors.length, 1);
  });
  it('encodeExampleValue writes shell-safe text unquoted and quotes the rest so dotenv reads it back', () => {
    for (const v of ['plain', 'a b', "it's", 'say "hi"', 'a#b', 'back\\slash', 'multi\nline', '$HOME', 'x\\', '`tick` "dq" \'sq\'']) {
      const raw = encodeExampleValue('K', v);
      assert.equal(dotenvParse(`K=${raw}\nNEXT="quoted"\n`).K, v, JSON.stringify(v));
    }
    assert.equal(encodeExampleValue('K', 'user@example.com'), 'user@example.com');
    assert.equal(encodeExampleValue('K', '<x>'), '"<x>"');
    assert.throws(() => encodeExampleValue('MY_KEY', 'a\r"\'`#\\n'), (e: unknown) => e instanceof KeysmithError && /MY_KEY/.test(e.message) && !e.message.includes('\r'));
  });
});

describe('syncExample: a fresh example', () => {
  it("follows .env's order, comments and blank lines, with export and inline comments", () => {
    const env = '# App\n\n# Database\nDATABASE_URL=postgres://a:b@db.internal/x # docker\nexport DEBUG=true # dev only\n\nAPI_KEY=sk_live_123456789 # from the dashboard\n';
    const r = sync(env);
    // An inline comment after a secret's value is never copied.
    assert.equal(
      r.text,
      '# App\n\n# Database\nDATABASE_URL=postgres://user:password@localhost/app # docker\nexport DEBUG=true # dev only\n\nAPI_KEY="<generate: api-key>"\n',
    );
    assert.deepEqual(r.added, ['DATABASE_URL', 'DEBUG', 'API_KEY']);
    assert.deepEqual([r.kept, r.extra, r.removed, r.changed, r.skipped, r.withheld], [[], [], [], true, 1, ['API_KEY']]);
  });
  it('writes each key once, where it first appears, with the value dotenv uses', () => {
    const r = sync('PORT=1\nA=x\n# override\nPORT=secret words here\n__proto__=1\n');
    assert.equal(r.text, 'PORT="<PORT>"\nA="<A>"\n');
    assert.deepEqual(r.added, ['PORT', 'A']);
  });
  it('leaves out lines dotenv cannot read, and comments repeating a hidden value', () => {
    const env = 'API_KEY=sk_live_Zq81mXr4Tt0p\nsk_live_Zq81mXr4Tt0p\n# rotated sk_live_Zq81mXr4Tt0p on Monday\n# keep this note\nB=1 # old: Zq81mXr4Tt0p\n';
    const r = sync(env);
    assert.equal(r.text, 'API_KEY="<generate: api-key>"\n# keep this note\nB=1\n');
    assert.equal(r.skipped, 3);
  });
  it('hides URL credentials and hosts and e-mail addresses in comments too', () => {
    const env = 'DB_URL=postgres://svc_orders:Pw9xYz1234@pg-prod-7.internal/db\n# pg-prod-7.internal is behind the VPN\n# password Pw9xYz1234\nOPS=oncall.lead@acme.io\n# mail oncall.lead about it\n# a harmless note\n';
    const r = sync(env);
    assert.equal(r.text, 'DB_URL=postgres://user:password@localhost/app\nOPS=user@example.com\n# a harmless note\n');
    assert.equal(r.skipped, 3);
  });
  it('a secret-named boolean does not make every other boolean or comment suspect', () => {
    const r = sync('BASIC_AUTH=false\n# false alarms are rare\nDEBUG=false\n');
    assert.equal(r.text, 'BASIC_AUTH="<generate: base64url>"\n# false alarms are rare\nDEBUG=false\n');
  });
  it('short hidden values (6-7 characters) are not repeated either', () => {
    const r = sync('DB_PASSWORD=hunter2\nDB_URL=mysql://app:tiger7@localhost/db\n# hunter2 again\n# tiger7 again\n# ok\n');
    assert.equal(r.text, 'DB_PASSWORD="<generate: password>"\nDB_URL=mysql://user:password@localhost/app\n# ok\n');
  });
  it('rewrites commented-out assignments with example values', () => {
    const r = sync('# API_KEY=sk_live_abcdefghij\n#export DEBUG=true\n#  STRIPE_SECRET_KEY="x y z"  # old\nA=1\n');
    assert.equal(r.text, '# API_KEY="<generate: api-key>"\n#export DEBUG=true\n#  STRIPE_SECRET_KEY="<generate: base64url>"\nA=1\n');
  });
  it('never lets a value run into the next line (multi-line and oddly quoted values)', () => {
    const env = 'CERT="-----BEGIN-----\nabc\n-----END-----"\nMSG=\'two\nlines\'\nODD="unterminated\nNEXT=1\n';
    const r = sync(env);
    assert.deepEqual(Object.keys(dotenvParse(r.text)), ['CERT', 'MSG', 'ODD', 'NEXT']);
    assert.equal(r.text, 'CERT="<CERT>"\nMSG="<MSG>"\nODD="<ODD>"\nNEXT=1\n');
  });
  it("uses .env's line endings, BOM and final-newline convention when there is no example", () => {
    assert.equal(sync('\uFEFFA=1\r\nB=2\r\n').text, '\uFEFFA=1\r\nB=2\r\n');
    assert.equal(sync('A=1\nB=2').text, 'A=1\nB=2');
    assert.equal(sync('A=1').text, 'A=1');
    assert.equal(sync('').text, '');
  });
});

describe('syncExample: an existing example', () => {
  const env = '# Database\nDATABASE_URL=postgres://a:b@db.internal/x\nPORT=3000\n\n# Secrets\nAPI_KEY=sk_live_123456789\n';

  it('keeps hand-written values, quoting, export and inline comments of keys it already has', () => {
    const example = 'export DATABASE_URL = "postgres://localhost/dev"   # local docker\nPORT=8080\n';
    const r = sync(env, example);
    assert.equal(r.text, '# Database\nexport DATABASE_URL = "postgres://localhost/dev"   # local docker\nPORT=8080\n\n# Secrets\nAPI_KEY="<generate: api-key>"\n');
    assert.deepEqual(r.kept, ['DATABASE_URL', 'PORT']);
    assert.deepEqual(r.added, ['API_KEY']);
  });
  it("the example's comments above a key win; .env's are used where the example has none", () => {
    const example = '# Where the app keeps its data\nDATABASE_URL=\n# the HTTP port\n# (any free port)\nPORT=8080\n';
    const r = sync(env, example);
    assert.equal(r.text, '# Where the app keeps its data\nDATABASE_URL=\n# the HTTP port\n# (any free port)\nPORT=8080\n\n# Secrets\nAPI_KEY="<generate: api-key>"\n');
  });
  it("keeps the example's file header and its section headers", () => {
    const example = '# Copy this file to .env\n\nDATABASE_URL=\n\n# === Web ===\n\nPORT=8080\n';
    const r = sync(env, example);
    // DATABASE_URL has no comment above it in the example, so it gets .env's.
    assert.equal(r.text, '# Copy this file to .env\n\n# Database\nDATABASE_URL=\n\n# === Web ===\n\nPORT=8080\n\n# Secrets\nAPI_KEY="<generate: api-key>"\n');
  });
  it('keeps keys only in the example after the key they followed, or at the top, and reports them', () => {
    const example = '# legacy\nOLD_FIRST=1\nPORT=8080\n# still used by the worker\nWORKER_QUEUE=jobs\nDATABASE_URL=\n';
    const r = sync(env, example);
    assert.equal(r.text, '# legacy\nOLD_FIRST=1\n# Database\nDATABASE_URL=\nPORT=8080\n# still used by the worker\nWORKER_QUEUE=jobs\n\n# Secrets\nAPI_KEY="<generate: api-key>"\n');
    assert.deepEqual(r.extra, ['OLD_FIRST', 'WORKER_QUEUE']);
    assert.deepEqual(r.removed, []);
  });
  it('removeExtra deletes them with their comments and reports them', () => {
    const example = '# legacy\nOLD_FIRST=1\nPORT=8080\n\n# === Worker ===\n# still used by the worker\nWORKER_QUEUE=jobs\nDATABASE_URL=\n';
    const r = sync(env, example, { removeExtra: true });
    assert.deepEqual(r.removed, ['OLD_FIRST', 'WORKER_QUEUE']);
    assert.deepEqual(r.extra, []);
    assert.equal(r.text, '# Database\nDATABASE_URL=\nPORT=8080\n\n# Secrets\nAPI_KEY="<generate: api-key>"\n');
    assert.deepEqual(Object.keys(dotenvParse(r.text)), ['DATABASE_URL', 'PORT', 'API_KEY']);
  });
  it('a key the example defines twice keeps the definition dotenv uses', () => {
    const r = sync('A=1\n', 'A=first\n# the real one\nA=second\n');
    assert.equal(r.text, '# the real one\nA=second\n');
  });
  it("keeps the example's line endings, BOM and missing final newline", () => {
    assert.equal(sync('A=1\nB=2\n', '\uFEFFA=x\r\n').text, '\uFEFFA=x\r\nB=2\r\n');
    assert.equal(sync('A=1\nB=2\n', 'A=x\nC=3').text, 'A=x\nC=3\nB=2');
    assert.equal(sync('A=1\r\nB=2\r\n', 'A=x\n').text, 'A=x\nB=2\n');
    assert.equal(sync('A=1\n', '').text, 'A=1\n');
  });
  it('an example that is already in sync is returned unchanged', () => {
    const example = '# Copy me\n\n# db\nDATABASE_URL=postgres://localhost/dev # docker\nPORT=8080\n\n# Secrets\nAPI_KEY=\n';
    const r = syncExample(env, example);
    assert.equal(r.changed, false);
    assert.equal(r.text, example);
    assert.deepEqual(r.added, []);
    assert.deepEqual(r.kept, ['DATABASE_URL', 'PORT', 'API_KEY']);
  });
  it('example lines whose meaning depends on what follows are rewritten, not misread, when moved', () => {
    // B's unclosed quote would swallow the lines of A; a dangling "K:" would take the next line as its value.
    const example = 'B="open\nZ=1\nA=x\nK:';
    const r = sync('A=1\nB=2\n', example);
    const parsed = dotenvParse(r.text);
    assert.deepEqual(parsed, { A: 'x', B: '"open', Z: '1' });
  });
  it('a hand-written example value is kept even when it equals the real one', () => {
    const r = sync('API_KEY=sk_test_shared_demo_key\n', 'API_KEY=sk_test_shared_demo_key\n');
    assert.equal(r.text, 'API_KEY=sk_test_shared_demo_key\n');
  });
  it('throws a clear error, without values, when a rule value cannot be written', () => {
    assert.throws(
      () => syncExample('A=1\n', undefined, { rules: [{ pattern: 'A', value: 'a\r"\'`#\\n' }] }),
      (e: unknown) => e instanceof KeysmithError && /\bA\b/.test(e.message),
    );
  });
});

describe('exampleDrift', () => {
  it('lists keys missing from the example and keys only in it, with 0-based lines of their first definitions', () => {
    const env = '# c\nA=1\n\nB=2\nA=3\n__proto__=x\nC="multi\nline"\nD=4\n';
    const example = 'B=\n\nX=1\nD=\nX=2\n';
    assert.deepEqual(exampleDrift(env, example), {
      missingInExample: [{ key: 'A', line: 1 }, { key: 'C', line: 6 }],
      extraInExample: [{ key: 'X', line: 2 }],
      hiddenInExample: 0,
    });
  });
  it('agrees with what syncExample adds and keeps apart', () => {
    const env = 'A=1\nB=2\nC=3\n';
    const example = 'Q=1\nB=\n';
    const d = exampleDrift(env, example);
    const r = syncExample(env, example);
    assert.deepEqual(d.missingInExample.map((k) => k.key), r.added);
    assert.deepEqual(d.extraInExample.map((k) => k.key), r.extra);
    assert.deepEqual(exampleDrift(env, r.text).missingInExample, []);
  });
  it('an absent example lacks every key', () => {
    assert.deepEqual(exampleDrift('A=1\nB=2\n', undefined).missingInExample, [{ key: 'A', line: 0 }, { key: 'B', line: 1 }]);
  });
});

describe('exampleNameFor', () => {
  it('maps every .env variant to the configured example name beside it', () => {
    for (const n of ['.env', '.env.local', '.env.production', '.env.development.local', 'app.env']) {
      assert.equal(exampleNameFor(n), '.env.example', n);
      assert.equal(exampleNameFor(n, '.env.dist'), '.env.dist', n);
    }
  });
  it('gives nothing for example files themselves', () => {
    for (const n of ['.env.example', '.env.sample', '.env.template', 'example.env', '.ENV.EXAMPLE']) assert.equal(exampleNameFor(n), undefined, n);
    assert.equal(exampleNameFor('.env.dist', '.env.dist'), undefined);
  });
});

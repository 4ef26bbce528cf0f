import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { applyEdits, parseEnv } from '../../src/core/envdoc.ts';
import { getFormat } from '../../src/core/formats.ts';
import { parseFormatRules, planPopulate, populateEdits } from '../../src/core/populate.ts';
import { DEFAULT_SETTINGS } from '../../src/core/settings.ts';
import { runCli } from './helpers/cli.ts';

const SAMPLE = [
  '# comment stays',
  'SECRET_KEY=',
  'DJANGO_SECRET_KEY=changeme',
  'FERNET_KEY=',
  'JWT_SECRET=<your-jwt-secret>',
  'HS256_SIGNING_KEY=',
  'SESSION_SECRET_HEX=',
  'DB_PASSWORD=TODO',
  'STRIPE_API_KEY=xxx',
  'PASSWORD_SALT=',
  'export AUTH_TOKEN="your-token-here" # inline',
  'REAL_SECRET=Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0',
  'PORT=3000',
  'HOST=',
  'DATABASE_URL=postgres://user:pass@localhost/db',
  'DEBUG=true',
  'TIMEOUT=30',
  'PUBLIC_KEY=',
  'NEXT_PUBLIC_API_KEY=',
  'AWS_ACCESS_KEY_ID=',
  'LOG_LEVEL=',
].join('\n');

const ctx = { defaultFormat: 'base64url' as const };

describe('populate: which keys and which format', () => {
  it('fills empty and placeholder secrets, in the format the name calls for', () => {
    const plan = planPopulate(parseEnv(SAMPLE), ctx);
    assert.deepEqual(Object.fromEntries(plan.map((p) => [p.key, p.format])), {
      SECRET_KEY: 'base64url',
      DJANGO_SECRET_KEY: 'django',
      FERNET_KEY: 'fernet',
      JWT_SECRET: 'jwt-hs256',
      HS256_SIGNING_KEY: 'jwt-hs256',
      SESSION_SECRET_HEX: 'hex',
      DB_PASSWORD: 'password',
      STRIPE_API_KEY: 'api-key',
      PASSWORD_SALT: 'base64url',
      AUTH_TOKEN: 'base64url',
    });
  });

  it('never touches non-secret keys or real values', () => {
    const keys = planPopulate(parseEnv(SAMPLE), ctx).map((p) => p.key);
    for (const k of ['REAL_SECRET', 'PORT', 'HOST', 'DATABASE_URL', 'DEBUG', 'TIMEOUT', 'PUBLIC_KEY', 'NEXT_PUBLIC_API_KEY', 'AWS_ACCESS_KEY_ID', 'LOG_LEVEL']) {
      assert.ok(!keys.includes(k), k);
    }
  });

  it('SECRET_KEY is a Django key in a Django project', () => {
    const plan = planPopulate(parseEnv('SECRET_KEY=\n'), { ...ctx, isDjangoProject: true });
    assert.equal(plan[0]!.format, 'django');
  });

  it('user rules come first', () => {
    const { rules, errors } = parseFormatRules({ 'STRIPE_*': 'hex', '*_PIN': 'password' });
    assert.deepEqual(errors, []);
    const plan = planPopulate(parseEnv('STRIPE_API_KEY=\nCARD_PIN=\n'), { ...ctx, rules });
    assert.deepEqual(plan.map((p) => p.format), ['hex', 'password']);
    assert.match(parseFormatRules({ A: 'rot13' }).errors[0]!, /unknown format "rot13"/);
  });

  it('only the occurrence dotenv uses is filled', () => {
    const text = 'API_TOKEN=\nAPI_TOKEN=\n';
    const plan = planPopulate(parseEnv(text), ctx);
    assert.equal(plan.length, 1);
    assert.equal(plan[0]!.entryIndex, 1);
  });

  it('edits change only the filled values; dotenv reads valid secrets; everything else is byte-identical', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = '\uFEFF' + SAMPLE.split('\n').join(eol);
      const doc = parseEnv(text);
      const plan = planPopulate(doc, ctx);
      const next = applyEdits(text, populateEdits(doc, plan, DEFAULT_SETTINGS));
      const parsed = dotenv.parse(next);
      for (const p of plan) assert.ok(getFormat(p.format).validate(parsed[p.key]!), `${p.key} (${p.format}) is not valid after the edit`);
      const before = dotenv.parse(text);
      for (const k of Object.keys(before)) if (!plan.some((p) => p.key === k)) assert.equal(parsed[k], before[k], k);
      assert.ok(next.startsWith('\uFEFF# comment stays' + eol), 'BOM or first line changed');
      assert.ok(next.endsWith('LOG_LEVEL='), 'a final newline was added');
      assert.equal(next.split(eol).length, text.split(eol).length, 'line count changed');
      assert.match(next, /export AUTH_TOKEN="[A-Za-z0-9_-]{43}" # inline/);
      if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(next), 'bare LF in a CRLF file');
    }
  });
});

describe('keysmith populate', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'keysmith-populate-'));

  it('--dry-run lists key names and formats, never values, and changes nothing', async () => {
    const d = dir();
    const file = join(d, '.env');
    writeFileSync(file, SAMPLE);
    const r = await runCli(['populate', file, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /would fill 10 keys/);
    assert.match(r.stdout, /DJANGO_SECRET_KEY \(django, placeholder\)/);
    assert.ok(!r.stdout.includes('Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0'));
    assert.equal(readFileSync(file, 'utf8'), SAMPLE);
  });

  it('writes atomically, keeps the file mode, and leaves no temporary files', async () => {
    const d = dir();
    const file = join(d, '.env');
    writeFileSync(file, SAMPLE);
    chmodSync(file, 0o640);
    const r = await runCli(['populate', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(d), ['.env']);
    const parsed = dotenv.parse(readFileSync(file, 'utf8'));
    assert.ok(getFormat('fernet').validate(parsed['FERNET_KEY']!));
    assert.equal(parsed['REAL_SECRET'], 'Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0');
    for (const v of Object.values(parsed)) if (v.length > 8 && v !== 'Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0') assert.ok(!r.stdout.includes(v), 'a value was printed');
    const again = await runCli(['populate', file]);
    assert.match(again.stdout, /no empty or placeholder secrets/);
  });

  it('exits 2 with a clear message on unreadable, binary or invalid files, and bad usage', async () => {
    const d = dir();
    const binary = join(d, 'bin.env');
    writeFileSync(binary, Buffer.from([0x41, 0x3d, 0x00, 0x01]));
    const latin1 = join(d, 'latin1.env');
    writeFileSync(latin1, Buffer.from([0x41, 0x3d, 0xe9, 0x0a]));
    const cases: [string[], RegExp][] = [
      [['populate', join(d, 'missing.env')], /missing\.env: no such file/],
      [['populate', d], /is a directory/],
      [['populate', binary], /binary/i],
      [['populate', latin1], /UTF-8/],
      [['populate', 'a.env', 'b.env'], /one FILE \(default \.\/\.env\), got 2/],
      [['populate', binary, '--rule', 'A=rot13'], /unknown format/],
    ];
    for (const [argv, re] of cases) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, re, argv.join(' '));
    }
  });

  it('defaults to ./.env and prints paths relative to the working directory', async () => {
    const d = dir();
    writeFileSync(join(d, '.env'), SAMPLE);
    const dry = await runCli(['populate', '--dry-run'], { cwd: d });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^\.env: would fill 10 keys/);
    const empty = dir();
    const none = await runCli(['populate'], { cwd: empty });
    assert.equal(none.code, 2);
    assert.equal(none.stderr.trim(), 'keysmith: .env: no such file');
    const missing = await runCli(['populate', join(empty, 'sub', 'x.env')], { cwd: empty });
    assert.match(missing.stderr, /keysmith: sub\/x\.env: no such file/);
    assert.ok(!missing.stderr.includes(empty), 'an absolute path was printed');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dotenv from 'dotenv';
import { applyEdits, parseEnv, type EnvDocument } from '../../src/core/envdoc.ts';
import { getFormat } from '../../src/core/formats.ts';
import {
  describeItem, isFernetList, needsConfirmation, planRotation, rotationEdits, rotationFormat, splitList,
} from '../../src/core/rotate.ts';
import { DEFAULT_SETTINGS } from '../../src/core/settings.ts';

const ctx = { defaultFormat: 'base64url' as const };
const fernet = () => getFormat('fernet').generate();
const django = () => getFormat('django').generate();

function rotate(text: string, keys?: string[], extra: Record<string, unknown> = {}, accept = true): { text: string; doc: EnvDocument; out: Record<string, string> } {
  const doc = parseEnv(text);
  const plan = planRotation(doc, keys, { ...ctx, ...extra });
  const { edits } = rotationEdits(doc, plan, DEFAULT_SETTINGS, { acceptFallbacks: accept });
  const next = applyEdits(text, edits);
  return { text: next, doc, out: dotenv.parse(next) };
}

describe('rotate: rule 1, Fernet key lists', () => {
  it('puts a new key first and keeps at most --keep keys', () => {
    const [a, b, c] = [fernet(), fernet(), fernet()];
    const r = rotate(`# keys\nFERNET_KEYS=${a},${b}\nOTHER=1\n`);
    const list = splitList(r.out['FERNET_KEYS']!);
    assert.equal(list.length, 2);
    assert.ok(getFormat('fernet').validate(list[0]!));
    assert.notEqual(list[0], a);
    assert.equal(list[1], a);
    assert.equal(r.out['OTHER'], '1');
    assert.ok(r.text.startsWith('# keys\nFERNET_KEYS='));
    const r3 = rotate(`FERNET_KEYS=${a},${b},${c}\n`, undefined, { keep: 3 });
    assert.deepEqual(splitList(r3.out['FERNET_KEYS']!).slice(1), [a, b]);
  });
  it('a single key under a plural name is a list; under a singular name it is not', () => {
    const a = fernet();
    assert.equal(isFernetList('FERNET_KEYS', a), true);
    assert.equal(isFernetList('FERNET_KEY', a), false);
    assert.equal(isFernetList('FERNET_KEY', `${a},${fernet()}`), true);
    assert.equal(isFernetList('FERNET_KEYS', `${a},not-a-key`), false);
  });
});

describe('rotate: rule 2, companion keys', () => {
  for (const suffix of ['_FALLBACKS', '_PREVIOUS', '_OLD']) {
    it(`moves the old value to <KEY>${suffix}`, () => {
      const r = rotate(`JWT_SECRET=old-secret-value-0123456789abcdefghij\nJWT_SECRET${suffix}=\n`, ['JWT_SECRET']);
      assert.equal(r.out[`JWT_SECRET${suffix}`], 'old-secret-value-0123456789abcdefghij');
      assert.notEqual(r.out['JWT_SECRET'], 'old-secret-value-0123456789abcdefghij');
      assert.ok(r.out['JWT_SECRET']!.length >= 43);
    });
  }
  it('keeps a newest-first list trimmed to --keep (the new key included)', () => {
    const [k0, k1, k2] = [django(), django(), django()];
    const text = `SECRET_KEY='${k0}'\nSECRET_KEY_FALLBACKS='${k1},${k2}'\n`;
    assert.deepEqual(splitList(rotate(text, undefined, { keep: 2 }).out['SECRET_KEY_FALLBACKS']!), [k0]);
    assert.deepEqual(splitList(rotate(text, undefined, { keep: 3 }).out['SECRET_KEY_FALLBACKS']!), [k0, k1]);
    assert.deepEqual(splitList(rotate(text, undefined, { keep: 5 }).out['SECRET_KEY_FALLBACKS']!), [k0, k1, k2]);
    assert.equal(rotate(text, undefined, { keep: 1 }).out['SECRET_KEY_FALLBACKS'], '');
  });
  it('uses SECRET_KEY_FALLBACKS for DJANGO_SECRET_KEY, and never rotates the companion itself', () => {
    const k0 = django();
    const doc = parseEnv(`DJANGO_SECRET_KEY='${k0}'\nSECRET_KEY_FALLBACKS=\nAPI_TOKEN=abc\n`);
    const plan = planRotation(doc, undefined, ctx);
    assert.deepEqual(plan.items.map((i) => i.key), ['DJANGO_SECRET_KEY', 'API_TOKEN']);
    assert.equal(plan.items[0]!.strategy.kind, 'companion');
    assert.equal(plan.items[0]!.format, 'django');
  });
  it('refuses to move a value holding a comma into a list', () => {
    const plan = planRotation(parseEnv('API_SECRET="a,b-long-secret"\nAPI_SECRET_OLD=\n'), undefined, ctx);
    assert.equal(plan.items.length, 0);
    assert.match(plan.skipped[0]!.reason, /comma/);
    assert.doesNotMatch(plan.skipped[0]!.reason, /a,b/);
  });
});

describe('rotate: rule 3 and 4', () => {
  it('offers SECRET_KEY_FALLBACKS in a Django or Flask project, added right after the key', () => {
    const k0 = django();
    const text = `DEBUG=1\nexport SECRET_KEY="${k0}"\r\nPORT=80`;
    for (const extra of [{ isDjangoProject: true }, { isFlaskProject: true }]) {
      const plan = planRotation(parseEnv(text), undefined, { ...ctx, ...extra });
      assert.equal(plan.items[0]!.strategy.kind, 'offer-fallbacks');
      assert.equal(needsConfirmation(plan.items[0]!, true), false);
      assert.equal(needsConfirmation(plan.items[0]!, false), true);
    }
    const r = rotate(text, undefined, { isDjangoProject: true });
    assert.equal(r.out['SECRET_KEY_FALLBACKS'], k0);
    assert.match(r.text, /^DEBUG=1\nexport SECRET_KEY=\S+\r\nexport SECRET_KEY_FALLBACKS=\S+\nPORT=80$/);
    assert.equal(r.out['PORT'], '80');
    const declined = rotate(text, undefined, { isDjangoProject: true }, false);
    assert.equal(declined.out['SECRET_KEY_FALLBACKS'], undefined);
    assert.notEqual(declined.out['SECRET_KEY'], k0);
  });
  it('adds the fallback key on a last line without a final newline', () => {
    const r = rotate(`SECRET_KEY=${django().replace(/[#$'"`\\]/g, 'a')}`, undefined, { isDjangoProject: true });
    assert.ok(!r.text.endsWith('\n'));
    assert.equal(r.text.split('\n').length, 2);
  });
  it('otherwise a plain replacement that needs confirmation; placeholders need none', () => {
    const plan = planRotation(parseEnv('API_TOKEN=abcdefghijklmnop1234\nDB_PASSWORD=changeme\nPORT=80\nEMPTY_SECRET=\n'), undefined, ctx);
    assert.deepEqual(plan.items.map((i) => [i.key, i.strategy.kind, needsConfirmation(i, true)]), [
      ['API_TOKEN', 'replace', true],
      ['DB_PASSWORD', 'replace', false],
    ]);
    assert.deepEqual(plan.skipped.map((s) => s.key), ['EMPTY_SECRET']);
  });
  it('skips missing keys and PEM keys, naming them only', () => {
    const plan = planRotation(parseEnv('PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"\n'), ['PRIVATE_KEY', 'NOPE'], ctx);
    assert.equal(plan.items.length, 0);
    assert.deepEqual(plan.skipped.map((s) => s.key), ['NOPE', 'PRIVATE_KEY']);
  });
  it('describes items by name and format only', () => {
    const secret = 'Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0';
    const doc = parseEnv(`API_TOKEN=${secret}\nAPI_TOKEN_PREVIOUS=${secret}x\n`);
    for (const item of planRotation(doc, undefined, ctx).items) {
      const line = describeItem(item);
      assert.ok(!line.includes(secret.slice(0, 8)));
      assert.match(line, /API_TOKEN/);
    }
  });
  it('rejects a bad --keep', () => {
    assert.throws(() => planRotation(parseEnv('A_SECRET=x'), undefined, { ...ctx, keep: 0 }), /keep/);
  });
});

describe('rotate: the new value has the old one\'s format', () => {
  const fmt = (key: string, value: string, extra = {}) => rotationFormat(key, value, { ...ctx, ...extra });
  it('by name where the name is specific, by shape otherwise, size kept', () => {
    assert.equal(fmt('FERNET_KEY', fernet())?.format, 'fernet');
    assert.deepEqual(fmt('ENCRYPTION_KEY', '0123456789abcdef0123456789abcdef'), { format: 'hex', options: { bytes: 16 } });
    assert.deepEqual(fmt('SIGNING_KEY', '0123456789abcdef'.repeat(8)), { format: 'hex', options: { bytes: 64 } });
    assert.equal(fmt('SECRET_KEY', django())?.format, 'django');
    assert.equal(fmt('SESSION_ID_SECRET', '123e4567-e89b-42d3-a456-426614174000')?.format, 'uuid');
    // Many draws: one random base64url value in eight has neither - nor _.
    for (let i = 0; i < 200; i++) assert.deepEqual(fmt('JWT_SECRET', getFormat('jwt-hs256').generate({ bytes: 48 })), { format: 'jwt-hs256', options: { bytes: 48 } });
    assert.deepEqual(fmt('JWT_SECRET', 'A'.repeat(64)), { format: 'jwt-hs256', options: { bytes: 48 } });
    assert.equal(fmt('DB_PASSWORD', 'hunter2hunter2')?.format, 'password');
    assert.deepEqual(fmt('STRIPE_API_KEY', 'rk_test_' + 'a1B2'.repeat(8)), { format: 'api-key', options: { prefix: 'rk', environment: 'test' } });
    assert.equal(fmt('APP_TOKEN', 'plain text that is long')?.format, 'base64url');
    assert.equal(fmt('APP_TOKEN', 'x', { rules: [{ pattern: 'APP_*', format: 'hex' }] })?.format, 'hex');
  });
  it('every generated value validates in its format and reads back through dotenv', () => {
    const text = [
      `FERNET_KEYS=${fernet()},${fernet()}`,
      `SECRET_KEY=${JSON.stringify(django())}`,
      'SECRET_KEY_FALLBACKS=',
      'ENC_KEY=0123456789abcdef0123456789abcdef',
      'API_TOKEN=Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0',
    ].join('\n');
    for (let i = 0; i < 50; i++) {
      const r = rotate(text);
      assert.ok(splitList(r.out['FERNET_KEYS']!).every((k) => getFormat('fernet').validate(k)));
      assert.ok(getFormat('django').validate(r.out['SECRET_KEY']!));
      assert.match(r.out['ENC_KEY']!, /^[0-9a-f]{32}$/);
      assert.equal(r.out['SECRET_KEY_FALLBACKS'], dotenv.parse(text)['SECRET_KEY']);
    }
  });
});

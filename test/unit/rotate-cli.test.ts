import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { getFormat } from '../../src/core/formats.ts';
import { runCli } from './helpers/cli.ts';

const OLD = 'Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0-_x';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'keysmith-rotate-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('keysmith rotate', () => {
  it('rotates with a companion, keeps CRLF, comments and mode, prints names only', async () => {
    const d = dir({ '.env': `# api\r\nAPI_TOKEN=${OLD} # inline\r\nAPI_TOKEN_PREVIOUS=\r\nPORT=80` });
    chmodSync(join(d, '.env'), 0o640);
    const r = await runCli(['rotate', '.env'], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(join(d, '.env'), 'utf8');
    const out = dotenv.parse(text);
    assert.equal(out['API_TOKEN_PREVIOUS'], OLD);
    assert.notEqual(out['API_TOKEN'], OLD);
    assert.match(text, /^# api\r\nAPI_TOKEN=\S+ # inline\r\nAPI_TOKEN_PREVIOUS=\S+\r\nPORT=80$/);
    assert.equal(statSync(join(d, '.env')).mode & 0o777, 0o640);
    assert.match(r.stdout, /API_TOKEN .*API_TOKEN_PREVIOUS/);
    for (const v of [OLD, out['API_TOKEN']!]) assert.ok(!r.stdout.includes(v.slice(0, 8)) && !r.stderr.includes(v.slice(0, 8)));
    assert.deepEqual(readdirSync(d).sort(), ['.env']);
  });
  it('--dry-run changes nothing', async () => {
    const text = `FERNET_KEYS=${getFormat('fernet').generate()}\n`;
    const d = dir({ '.env': text });
    const r = await runCli(['rotate', '.env', '--dry-run'], { cwd: d });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /would rotate 1 key:\n {2}FERNET_KEYS \(fernet list\)/);
    assert.equal(readFileSync(join(d, '.env'), 'utf8'), text);
  });
  it('a plain replacement needs --yes (exit 1, nothing written)', async () => {
    const text = `API_TOKEN=${OLD}\n`;
    const d = dir({ '.env': text });
    const r = await runCli(['rotate', '.env'], { cwd: d });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /API_TOKEN.*stop verifying.*--yes/);
    assert.equal(readFileSync(join(d, '.env'), 'utf8'), text);
    const y = await runCli(['rotate', '.env', '--yes'], { cwd: d });
    assert.equal(y.code, 0);
    assert.notEqual(dotenv.parse(readFileSync(join(d, '.env'), 'utf8'))['API_TOKEN'], OLD);
  });
  it('Django project: offers SECRET_KEY_FALLBACKS; --add-fallbacks and --sync-example add it to the example', async () => {
    const key = getFormat('django').generate();
    const d = dir({ 'manage.py': '', '.env': `SECRET_KEY='${key}'\nDEBUG=0\n`, '.env.example': 'SECRET_KEY=\nDEBUG=0\n' });
    const r = await runCli(['rotate', '.env'], { cwd: d });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--add-fallbacks to keep the old value in SECRET_KEY_FALLBACKS/);
    const a = await runCli(['rotate', '.env', '--add-fallbacks', '--sync-example'], { cwd: d });
    assert.equal(a.code, 0, a.stderr);
    assert.equal(dotenv.parse(readFileSync(join(d, '.env'), 'utf8'))['SECRET_KEY_FALLBACKS'], key);
    const example = readFileSync(join(d, '.env.example'), 'utf8');
    assert.match(example, /^SECRET_KEY=\nSECRET_KEY_FALLBACKS=.*\nDEBUG=0\n$/);
    assert.ok(!example.includes(key.slice(0, 8)));
  });
  it('named keys that are missing or cannot be rotated: exit 2, nothing written', async () => {
    const text = `API_TOKEN=${OLD}\nEMPTY_SECRET=\n`;
    const d = dir({ '.env': text });
    const m = await runCli(['rotate', '.env', 'NOPE', '--yes'], { cwd: d });
    assert.equal(m.code, 2);
    assert.match(m.stderr, /no NOPE in the file/);
    const e = await runCli(['rotate', '.env', 'EMPTY_SECRET', '--yes'], { cwd: d });
    assert.equal(e.code, 2);
    assert.equal(readFileSync(join(d, '.env'), 'utf8'), text);
    assert.equal((await runCli(['rotate', '.env', '--keep', '0'], { cwd: d })).code, 2);
    assert.equal((await runCli(['rotate'], { cwd: d })).code, 2);
  });
  it('writes through a symbolic link it was given and refuses a read-only file', async () => {
    const d = dir({ 'real.env': `API_TOKEN=${OLD}\nAPI_TOKEN_OLD=\n`, 'ro.env': `API_TOKEN=${OLD}\nAPI_TOKEN_OLD=\n` });
    symlinkSync('real.env', join(d, '.env'));
    const r = await runCli(['rotate', '.env'], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(join(d, '.env')).isSymbolicLink());
    assert.equal(dotenv.parse(readFileSync(join(d, 'real.env'), 'utf8'))['API_TOKEN_OLD'], OLD);
    chmodSync(join(d, 'ro.env'), 0o444);
    const ro = await runCli(['rotate', 'ro.env'], { cwd: d });
    assert.equal(ro.code, 2);
    assert.match(ro.stderr, /read-only/);
    assert.equal(readFileSync(join(d, 'ro.env'), 'utf8'), `API_TOKEN=${OLD}\nAPI_TOKEN_OLD=\n`);
  });
});

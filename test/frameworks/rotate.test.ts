// Framework layer: `keysmith rotate` against the real Django, Flask/itsdangerous, pyca
// cryptography (MultiFernet) and PyJWT, installed by scripts/ci-install.sh into .vscode-test/pyenv
// (pinned in test/frameworks/requirements.txt). Each case fills a .env with `keysmith populate`,
// signs or encrypts with the current key in Python, rotates with the built CLI (dist/cli.js), and
// checks in Python, with settings read from the rotated .env, that old signatures still verify and
// new ones use the new key. Run: npm run test:frameworks (after npm run build).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const python = process.env.KEYSMITH_PYTHON ?? join(root, '.vscode-test', 'pyenv', process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
const script = join(root, 'test', 'frameworks', 'frameworks.py');
const cli = join(root, 'dist', 'cli.js');

function keysmith(dir: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

function py(framework: string, phase: string, dir: string): { code: number; out: string } {
  const r = spawnSync(python, [script, framework, phase, dir], { encoding: 'utf8', timeout: 300_000, env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' } });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

function expectOk(r: { code: number; out: string }, what: string): void {
  assert.equal(r.code, 0, `${what} failed:\n${r.out}`);
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-fw-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function prepared(files: Record<string, string>): string {
  const dir = project(files);
  expectOk(keysmith(dir, 'populate', '.env'), 'keysmith populate');
  return dir;
}

describe('frameworks: the test environment', () => {
  it('has the pinned Python packages and a built CLI', () => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build');
    assert.ok(existsSync(python), `${python} is missing: run scripts/ci-install.sh`);
    const r = spawnSync(python, ['-c', 'import django, flask, itsdangerous, cryptography, jwt, dotenv'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('frameworks: Django SECRET_KEY_FALLBACKS', () => {
  it('rule 3: --add-fallbacks keeps old signatures and sessions valid; new ones use the new key', (t) => {
    const dir = prepared({ 'manage.py': '', '.env': '# Django\nSECRET_KEY=\nDEBUG=false\n' });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    expectOk(py('django', 'sign', dir), 'sign');
    const before = readFileSync(join(dir, '.env'), 'utf8');
    const r = keysmith(dir, 'rotate', '.env');
    assert.equal(r.code, 1, 'without --add-fallbacks or --yes nothing is written');
    assert.equal(readFileSync(join(dir, '.env'), 'utf8'), before);
    expectOk(keysmith(dir, 'rotate', '.env', '--add-fallbacks'), 'keysmith rotate');
    assert.match(readFileSync(join(dir, '.env'), 'utf8'), /^# Django\nSECRET_KEY=.*\nSECRET_KEY_FALLBACKS=.*\nDEBUG=false\n$/);
    expectOk(py('django', 'verify', dir), 'verify');
  });
  it('rule 2: an existing SECRET_KEY_FALLBACKS gets the old key first, trimmed to --keep', (t) => {
    const dir = prepared({ 'manage.py': '', '.env': 'SECRET_KEY=\nSECRET_KEY_FALLBACKS=\n' });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    expectOk(keysmith(dir, 'rotate', '.env', 'SECRET_KEY'), 'first rotation');
    expectOk(py('django', 'sign', dir), 'sign');
    expectOk(keysmith(dir, 'rotate', '.env', 'SECRET_KEY', '--keep', '3'), 'second rotation');
    expectOk(py('django', 'verify', dir), 'verify');
    const fallbacks = /^SECRET_KEY_FALLBACKS=(.*)$/m.exec(readFileSync(join(dir, '.env'), 'utf8'))![1]!;
    assert.equal(fallbacks.replace(/^['"]|['"]$/g, '').split(',').length, 2);
  });
  it('control: a plain replacement (--yes) breaks old signatures, and the check notices', (t) => {
    const dir = prepared({ 'manage.py': '', '.env': 'SECRET_KEY=\n' });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    expectOk(py('django', 'sign', dir), 'sign');
    expectOk(keysmith(dir, 'rotate', '.env', '--yes'), 'keysmith rotate --yes');
    const r = py('django', 'verify', dir);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /FAILED: SECRET_KEY_FALLBACKS is a non-empty list/);
  });
});

describe('frameworks: Flask >= 3.1.1 and itsdangerous', () => {
  it('a Flask project (requirements.txt) gets SECRET_KEY_FALLBACKS; old cookies and tokens still verify', (t) => {
    const dir = prepared({ 'requirements.txt': 'Flask==3.1.3\n', '.env': 'SECRET_KEY=\n' });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    expectOk(py('flask', 'sign', dir), 'sign');
    expectOk(keysmith(dir, 'rotate', '.env', '--add-fallbacks'), 'keysmith rotate');
    expectOk(py('flask', 'verify', dir), 'verify');
  });
});

describe('frameworks: pyca cryptography MultiFernet', () => {
  it('old tokens decrypt with the rotated list, rotate() moves them to the new key, --keep drops the oldest', (t) => {
    const dir = prepared({ '.env': 'FERNET_KEYS=\n' });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    expectOk(py('fernet', 'sign', dir), 'encrypt');
    expectOk(keysmith(dir, 'rotate', '.env'), 'first rotation');
    expectOk(py('fernet', 'verify', dir), 'verify');
    expectOk(keysmith(dir, 'rotate', '.env', 'FERNET_KEYS', '--keep', '2'), 'second rotation');
    expectOk(py('fernet', 'trimmed', dir), 'trimmed');
  });
});

describe('frameworks: a JWT verifier with a previous key (PyJWT)', () => {
  it('JWT_SECRET_PREVIOUS holds the old key: old tokens verify, new ones use the new key', (t) => {
    const dir = prepared({ '.env': 'JWT_SECRET=\nJWT_SECRET_PREVIOUS=\n' });
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    expectOk(py('jwt', 'sign', dir), 'sign');
    expectOk(keysmith(dir, 'rotate', '.env'), 'keysmith rotate');
    expectOk(py('jwt', 'verify', dir), 'verify');
  });
});

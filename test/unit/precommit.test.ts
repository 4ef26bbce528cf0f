// .pre-commit-hooks.yaml with the real pre-commit framework (installed by scripts/ci-install.sh
// into .tools/pre-commit): a fixture repository uses the hooks from a git repository made of this
// checkout's files, and real `git commit`s go through them. pre-commit installs Keysmith the way it
// installs any node hook: `npm install -g git+file://…` into its own environment (prepare builds).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PRE_COMMIT = join(root, '.tools', 'pre-commit', 'bin', 'pre-commit');
const available = existsSync(PRE_COMMIT) && spawnSync('git', ['--version']).status === 0 && spawnSync('npm', ['--version']).status === 0;

let base: string;
let proj: string;
let env: Record<string, string>;

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
}
function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} (${String(r.status)}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const head = () => ok(run('git', ['rev-parse', 'HEAD'], proj), 'rev-parse').trim();

before(() => {
  if (!available) return;
  base = realpathSync(mkdtempSync(join(tmpdir(), 'keysmith-pre-commit-')));
  env = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && !/^GIT_/.test(k)) env[k] = v;
  Object.assign(env, {
    PRE_COMMIT_HOME: join(base, 'cache'),
    npm_config_prefer_offline: 'true',
    // The hook install runs npm install (devDependencies included) in the clone, as for any user:
    // @playwright/browser-chromium (a dependency of @vscode/test-web) must not download a browser
    // there (package.json allowScripts denies its install script). Where it would put one:
    PLAYWRIGHT_BROWSERS_PATH: join(base, 'browsers'),
    npm_config_update_notifier: 'false',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(base, 'gitconfig'),
    GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com',
  });
  writeFileSync(join(base, 'gitconfig'), '[init]\n\tdefaultBranch = main\n[protocol "file"]\n\tallow = always\n');
  // The hook repository: this checkout's sources, committed (pre-commit clones a rev).
  const hooks = join(base, 'hooks');
  mkdirSync(hooks);
  for (const f of ['package.json', 'package-lock.json', 'esbuild.mjs', 'tsconfig.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.pre-commit-hooks.yaml', '.gitignore']) cpSync(join(root, f), join(hooks, f));
  for (const d of ['src', 'media', 'scripts']) cpSync(join(root, d), join(hooks, d), { recursive: true });
  ok(run('git', ['init', '-q'], hooks), 'git init hooks');
  ok(run('git', ['add', '-A'], hooks), 'git add hooks');
  ok(run('git', ['commit', '-qm', 'hooks'], hooks), 'git commit hooks');
  const rev = ok(run('git', ['rev-parse', 'HEAD'], hooks), 'rev').trim();

  proj = join(base, 'proj');
  mkdirSync(proj);
  ok(run('git', ['init', '-q'], proj), 'git init proj');
  writeFileSync(
    join(proj, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: keysmith-check\n      - id: keysmith-sync-example\n`,
  );
  writeFileSync(join(proj, 'README.md'), 'demo\n');
  ok(run('git', ['add', '-A'], proj), 'git add proj');
  ok(run('git', ['commit', '-qm', 'init', '--no-verify'], proj), 'git commit proj');
  ok(run(PRE_COMMIT, ['install'], proj), 'pre-commit install');
  // Builds the hook environment (npm install from the git repository, prepare builds dist/).
  ok(run(PRE_COMMIT, ['install-hooks'], proj, 900_000), 'pre-commit install-hooks');
});
after(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('pre-commit hooks (.pre-commit-hooks.yaml)', { skip: !available && 'pre-commit (scripts/ci-install.sh), git or npm missing', timeout: 900_000 }, () => {
  it('a commit adding a .env that git does not ignore is refused', () => {
    const before = head();
    writeFileSync(join(proj, '.env'), 'DEBUG=1\n');
    ok(run('git', ['add', '.env'], proj), 'git add .env');
    const r = run('git', ['commit', '-m', 'add .env'], proj, 300_000);
    assert.notEqual(r.status, 0, 'the commit went through');
    const out = r.stdout + r.stderr;
    assert.match(out, /keysmith check\.+Failed/);
    assert.match(out, /\.env:1:1 warning env-not-ignored /);
    assert.equal(head(), before);
    ok(run('git', ['rm', '-q', '--cached', '.env'], proj), 'git rm --cached');
  });

  it('a clean commit (.env ignored, the example in sync) passes', () => {
    const before = head();
    writeFileSync(join(proj, '.gitignore'), '.env\n');
    writeFileSync(join(proj, '.env.example'), 'DEBUG=\n');
    ok(run('git', ['add', '.gitignore', '.env.example'], proj), 'git add');
    const r = run('git', ['commit', '-m', 'ignore .env'], proj, 300_000);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /keysmith check\.+Passed/);
    assert.match(r.stdout + r.stderr, /keysmith sync-example --check\.+Passed/);
    assert.notEqual(head(), before);
  });

  it('installing the hooks downloads no browser (the npm install of devDependencies runs no Playwright download)', () => {
    const browsers = join(base, 'browsers');
    assert.ok(!existsSync(browsers) || readdirSync(browsers).length === 0, `a browser was downloaded into ${browsers}`);
  });

  it('the hook reads the team\'s .vscode/settings.json, as the editor does', () => {
    const before = head();
    // Without the setting APP_PIN is no secret; with it, a real-looking value in the example is a leak.
    writeFileSync(join(proj, '.env.example'), `DEBUG=\nAPP_PIN=${randomBytes(20).toString('hex')}\n`);
    ok(run('git', ['add', '.env.example'], proj), 'git add');
    const plain = run(PRE_COMMIT, ['run', 'keysmith-check', '--files', '.env.example'], proj, 300_000);
    assert.equal(plain.status, 0, plain.stdout + plain.stderr);
    mkdirSync(join(proj, '.vscode'), { recursive: true });
    writeFileSync(join(proj, '.vscode', 'settings.json'), '{\n  // team settings\n  "keysmith.secretNamePatterns": ["*_PIN"],\n}\n');
    const r = run('git', ['commit', '-m', 'example'], proj, 300_000);
    assert.notEqual(r.status, 0, 'the commit went through');
    assert.match(r.stdout + r.stderr, /\.env\.example:2:\d+ warning example-leak .*APP_PIN/);
    assert.equal(head(), before);
    ok(run('git', ['reset', '-q', 'HEAD', '.env.example'], proj), 'git reset');
    ok(run('git', ['checkout', '-q', '--', '.env.example'], proj), 'git checkout');
    rmSync(join(proj, '.vscode'), { recursive: true, force: true });
  });

  it('a key added to .env but not to the example stops the next commit (keysmith-sync-example)', () => {
    const before = head();
    writeFileSync(join(proj, '.env'), 'DEBUG=1\nNEW_FLAG=on\n');
    writeFileSync(join(proj, 'README.md'), 'demo 2\n');
    ok(run('git', ['add', 'README.md'], proj), 'git add');
    const r = run('git', ['commit', '-m', 'docs'], proj, 300_000);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /missing \(1\): NEW_FLAG/);
    assert.ok(!(r.stdout + r.stderr).includes('=on'), 'no value printed');
    assert.equal(head(), before);
  });
});

// The npm package: `npm pack` (its prepare script builds the bundles) gives a tarball that installs into an
// empty prefix and runs there with nothing but Node: no devDependencies, the wordlist shipped.
// The tarball is packed from a copy of the sources in a temporary folder (node_modules linked),
// so the worktree's dist/ and git status are never touched while other tests read them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; files: string[]; dependencies?: object; bin: Record<string, string> };
const hasNpm = spawnSync('npm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' }).status === 0;
const hasGit = spawnSync('git', ['--version']).status === 0;

/** The environment minus what an outer `npm test` exports (npm_config_local_prefix and co.). */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} failed (${String(r.status)}): ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

let base: string;
let prefix: string;
let tarball: string;
let bin: string;
/** PATH with this Node first and none of the repository's node_modules/.bin. */
let runEnv: Record<string, string>;

before(() => {
  if (!hasNpm) return;
  base = realpathSync(mkdtempSync(join(tmpdir(), 'keysmith-pack-')));
  const src = join(base, 'src');
  mkdirSync(src);
  for (const f of ['package.json', 'esbuild.mjs', 'tsconfig.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) cpSync(join(root, f), join(src, f));
  for (const d of ['src', 'media', 'scripts']) cpSync(join(root, d), join(src, d), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'), 'junction');
  const packs = join(base, 'packs');
  mkdirSync(packs);
  ok(spawnSync('npm', ['pack', '--pack-destination', packs], { cwd: src, env: cleanEnv(), encoding: 'utf8', timeout: 600_000 }), 'npm pack');
  const tgz = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
  assert.deepEqual(tgz, [`keysmith-${pkg.version}.tgz`]);
  tarball = join(packs, tgz[0]!);
  prefix = join(base, 'prefix');
  // No registry needed: the package has no dependencies.
  ok(
    spawnSync('npm', ['install', '--global', '--offline', '--prefix', prefix, tarball], { cwd: base, env: cleanEnv(), encoding: 'utf8', timeout: 600_000 }),
    'npm install -g',
  );
  bin = process.platform === 'win32' ? join(prefix, 'keysmith.cmd') : join(prefix, 'bin', 'keysmith');
  const env = cleanEnv({ PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter) });
  delete env['NODE_PATH'];
  runEnv = env;
});
after(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

function keysmith(args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(bin, args, { cwd, env: runEnv, encoding: 'utf8', timeout: 120_000 });
}

/** Whether the pieces can be grouped, in order, into exactly `n` words of `set` (a word may span pieces joined by '-'). */
function splitsInto(pieces: readonly string[], set: ReadonlySet<string>, n: number): boolean {
  // ways[i] = the word counts that cover pieces[0..i).
  const ways: Set<number>[] = pieces.map(() => new Set<number>());
  ways.push(new Set<number>());
  ways[0]!.add(0);
  for (let i = 0; i < pieces.length; i++) {
    if (ways[i]!.size === 0) continue;
    let word = '';
    for (let j = i; j < pieces.length; j++) {
      word = j === i ? pieces[j]! : `${word}-${pieces[j]!}`;
      if (set.has(word)) for (const c of ways[i]!) ways[j + 1]!.add(c + 1);
    }
  }
  return ways[pieces.length]!.has(n);
}

describe('passphrase read back with hyphenated words', () => {
  const set = new Set(['drop-down', 'yo-yo', 'yo', 'cat', 't-shirt']);
  it('groups pieces into list words, and can fail', () => {
    assert.equal(splitsInto('cat-drop-down-yo-yo'.split('-'), set, 3), true);
    assert.equal(splitsInto('cat-yo-yo'.split('-'), set, 3), true);
    assert.equal(splitsInto('cat-yo-yo'.split('-'), set, 2), true);
    assert.equal(splitsInto('cat-drop-down'.split('-'), set, 3), false);
    assert.equal(splitsInto('cat-t-dog'.split('-'), set, 3), false);
  });
});

describe('npm package', { skip: !hasNpm && 'npm is not installed', timeout: 900_000 }, () => {
  it('package.json: a self-contained CLI, no runtime dependencies, a prepare build', () => {
    assert.equal(pkg.dependencies, undefined, 'the CLI bundle needs no dependencies');
    assert.equal(pkg.bin['keysmith'], './dist/cli.js');
    // prepare, not prepack: npm runs prepare for npm pack and for git installs (the pre-commit framework installs that way).
    assert.match((pkg as unknown as { scripts: Record<string, string> }).scripts['prepare'] ?? '', /prepare\.mjs/);
  });

  it('the tarball holds the bundles, the wordlist and the docs, and no sources or source maps', () => {
    const list = ok(spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }), 'tar').trim().split('\n').map((l) => l.replace(/^package\//, '')).sort();
    for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cli.js', 'dist/eff_large_wordlist.txt', 'dist/extension.js', 'dist/envTools.js', 'dist/web/extension.js']) {
      assert.ok(list.includes(f), `${f} missing from ${list.join(', ')}`);
    }
    assert.deepEqual(list.filter((f) => /^src\/|\.map$|^test\/|node_modules/.test(f)), []);
  });

  it('the installed keysmith runs outside the checkout: --version, generate passphrase', () => {
    const away = mkdtempSync(join(base, 'away-'));
    const v = keysmith(['--version'], away);
    assert.equal(ok(v, 'keysmith --version').trim(), pkg.version);
    const words = readFileSync(join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules', 'keysmith', 'dist', 'eff_large_wordlist.txt'), 'utf8').trim().split('\n');
    assert.equal(words.length, 7776);
    const out = ok(keysmith(['generate', 'passphrase', '--count', '3'], away), 'generate passphrase').trim().split('\n');
    assert.equal(out.length, 3);
    const set = new Set(words);
    // Four EFF words hold a hyphen themselves (drop-down, felt-tip, t-shirt, yo-yo), so a passphrase
    // joined by '-' is read back as some split into exactly 10 list words, not by split('-') alone.
    for (const p of out) assert.ok(splitsInto(p.split('-'), set, 10), `${p.split('-').length} pieces that are not 10 EFF words`);
    assert.equal(ok(keysmith(['formats'], away), 'formats').split('\n').filter(Boolean).length >= 10, true);
  });

  it('check on a fixture repository: a non-ignored .env fails (text and SARIF), an ignored one passes', { skip: !hasGit && 'git is not installed' }, () => {
    const repo = mkdtempSync(join(base, 'repo-'));
    ok(spawnSync('git', ['init', '-q'], { cwd: repo, encoding: 'utf8' }), 'git init');
    writeFileSync(join(repo, '.env'), 'DEBUG=1\n');
    const bad = keysmith(['check'], repo);
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /^\.env:1:1 warning env-not-ignored /m);
    const sarif = keysmith(['check', '--format', 'sarif'], repo);
    assert.equal(sarif.status, 1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(log.runs[0]!.results.map((r) => r.ruleId), ['env-not-ignored']);
    writeFileSync(join(repo, '.gitignore'), '.env\n');
    const good = keysmith(['check'], repo);
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.equal(good.stdout, '');
    writeFileSync(join(repo, '.env.example'), 'DEBUG=\n');
    assert.equal(keysmith(['sync-example', '--check'], repo).status, 0);
  });
});

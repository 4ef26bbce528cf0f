// The extension's batched git access (src/extension/gitBatch.ts) against real repositories: how
// many git processes a scan of many folders starts, and that every answer agrees with asking git
// about each file on its own.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hasGit = spawnSync('git', ['--version']).status === 0;

describe('GitBatcher: git processes per scan', { skip: !hasGit && 'git is not installed' }, () => {
  let base = '';
  let gitEnv: NodeJS.ProcessEnv = {};
  let mod: typeof import('../../src/extension/gitBatch.ts');
  const files: string[] = [];

  before(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'keysmith-gitbatch-')));
    // Never the user's git configuration; set before gitBatch.ts reads process.env.
    gitEnv = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: base, XDG_CONFIG_HOME: join(base, 'xdg') };
    Object.assign(process.env, gitEnv);
    mod = await import('../../src/extension/gitBatch.ts');
    const git = (cwd: string, ...args: string[]) => {
      const r = spawnSync('git', args, { cwd, env: { ...process.env, ...gitEnv }, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    // Repository "mono": 300 package folders, each with a .env; a nested repository "mono/vendor/lib"
    // with 40 folders of its own; and a folder outside any repository.
    const mono = join(base, 'mono');
    mkdirSync(mono);
    git(mono, 'init', '-q');
    writeFileSync(join(mono, '.gitignore'), '.env\n!packages/p7/.env\n');
    for (let i = 0; i < 300; i++) {
      const dir = join(mono, 'packages', `p${i}`, i % 3 === 0 ? 'config' : '');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, '.env'), 'A=1\n');
      writeFileSync(join(dir, '.env.example'), 'A=\n');
      files.push(join(dir, '.env'), join(dir, '.env.example'));
    }
    git(mono, 'add', '-f', 'packages/p1/.env', 'packages/p2/.env.example');
    const lib = join(mono, 'vendor', 'lib');
    mkdirSync(lib, { recursive: true });
    git(lib, 'init', '-q');
    for (let i = 0; i < 40; i++) {
      const dir = join(lib, `m${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, '.env.local'), 'B=2\n');
      files.push(join(dir, '.env.local'));
    }
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, '.env'), 'C=3\n');
    files.push(join(outside, '.env'));
  });

  after(() => rmSync(base, { recursive: true, force: true }));

  it('at most three git processes per repository for a whole scan, two once roots are known', async () => {
    let spawned = 0;
    const counting: import('../../src/extension/gitBatch.ts').RunGit = (args, cwd, input) => {
      spawned++;
      return mod.runGit(args, cwd, input);
    };
    const g = new mod.GitBatcher(counting);
    const first = await Promise.all(files.map((f) => g.status(f)));
    // Two repositories: one rev-parse, one check-ignore and one ls-files each.
    assert.ok(spawned <= 6, `first scan of ${files.length} files in 2 repositories started ${spawned} git processes`);
    assert.equal(g.processes, spawned);
    const again = await Promise.all(files.map((f) => g.status(f)));
    assert.ok(spawned - 6 <= 4, `second scan started ${spawned - 6} more`);
    assert.deepEqual(again, first);

    // Every answer agrees with git asked about that one file.
    const ask = (file: string) => {
      const cwd = join(file, '..');
      const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, env: { ...process.env, ...gitEnv }, encoding: 'utf8' });
      if (top.status !== 0) return undefined;
      const ignored = spawnSync('git', ['check-ignore', '-q', '--no-index', file], { cwd, env: { ...process.env, ...gitEnv } }).status === 0;
      const tracked = spawnSync('git', ['ls-files', '--error-unmatch', file], { cwd, env: { ...process.env, ...gitEnv } }).status === 0;
      return { ignored, tracked };
    };
    // A sample, including every special case (tracked, negated, nested repository, outside).
    const sample = files.filter((_, i) => i % 61 === 0 || /p1\/|p2\/|p7\/|outside|m3\//.test(files[i]!));
    for (const f of sample) assert.deepEqual(first[files.indexOf(f)], ask(f), f);
    assert.equal(first[files.indexOf(join(base, 'outside', '.env'))], undefined);
    assert.deepEqual(first[files.indexOf(join(base, 'mono', 'packages', 'p1', '.env'))], { ignored: true, tracked: true });
    assert.deepEqual(first[files.indexOf(join(base, 'mono', 'packages', 'p7', '.env'))], { ignored: false, tracked: false });
  });

  it('a failing git answers "unknown" instead of throwing', async () => {
    const g = new mod.GitBatcher(async (args, cwd, input) => {
      if (args[0] === 'rev-parse') return mod.runGit(args, cwd, input);
      throw new Error('boom');
    });
    const messages: string[] = [];
    const g2 = new mod.GitBatcher(async (args) => {
      if (args[0] === 'rev-parse') return `${join(base, 'mono')}\n`;
      throw new Error('boom');
    }, (m) => messages.push(m));
    assert.deepEqual(await g.status(files[0]!), { ignored: 'unknown', tracked: 'unknown', trackingNote: 'git could not be asked' });
    assert.deepEqual(await g2.status(files[0]!), { ignored: 'unknown', tracked: 'unknown', trackingNote: 'git could not be asked' });
    assert.equal(messages.length, 1);
  });
});

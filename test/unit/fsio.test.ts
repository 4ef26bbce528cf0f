// Reading and writing at the edges (src/cli/fsio.ts and the commands over it), with real FIFOs,
// sockets, devices, symbolic links, read-only files, hard links, other owners, concurrent writers
// and SIGINT. The commands run as real child processes (dist/cli.js) wherever a hang or a signal
// is what is being tested; a child that does not finish is killed and the test fails.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync, chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync,
  readlinkSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { getFormat } from '../../src/core/formats.ts';
import { readRegularFile, writeFileSafely } from '../../src/cli/fsio.ts';
import { runCli } from './helpers/cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(root, 'dist', 'cli.js');
const CHILD = fileURLToPath(new URL('./helpers/write-child.ts', import.meta.url));
const isRoot = process.geteuid?.() === 0;
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const OTHER_UID = 12345;
/** Generous: only a hang (a bug) should ever reach it, on however busy a machine. */
const CHILD_TIMEOUT_MS = 60_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ARGS` in `cwd`; kills it (and fails) if it does not finish. */
function cli(args: string[], cwd: string, opts: { uid?: number; gid?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`keysmith ${args.join(' ')} did not finish within ${CHILD_TIMEOUT_MS} ms (hung?)`));
    }, CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `keysmith-fsio-${tag}-`));
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, `mkfifo ${path}: ${r.stderr}`);
}

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

/** Temporary or lock files Keysmith may have left in `dir`. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.includes('.keysmith'));
}

/** The CLI in-process (fast), where a hang or a signal is not what is tested. */
const inproc = (args: string[], cwd: string) => runCli(args, { cwd });

const mode = (p: string): number => statSync(p).mode & 0o7777;

describe('reading: only regular files, never a hang, never past the size limit', { skip: !hasMkfifo && 'mkfifo is not installed' }, () => {
  let dir: string;
  let server: Server | undefined;
  before(async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run npm run build');
    dir = tempDir('read');
    writeFileSync(join(dir, '.env'), 'SECRET_KEY=changeme\nPORT=8080\n');
    writeFileSync(join(dir, 'real.env'), 'A=1\n');
    mkfifo(join(dir, 'fifo.env'));
    symlinkSync('/dev/zero', join(dir, 'zero.env'));
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a FIFO named on the command line: exit 2 "not a regular file" for check, populate and sync-example', async () => {
    for (const args of [['check', 'fifo.env'], ['populate', 'fifo.env'], ['populate', 'fifo.env', '--dry-run'], ['sync-example', 'fifo.env', '--example', 'out.example']]) {
      const r = await cli(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /fifo\.env: not a regular file \(a FIFO\)/, args.join(' '));
    }
    assert.ok(!existsSync(join(dir, 'out.example')));
  });

  it('/dev/zero and a symlink to it: exit 2 "not a regular file" (nothing read)', async () => {
    for (const args of [['check', '/dev/zero'], ['check', 'zero.env'], ['populate', 'zero.env'], ['sync-example', 'zero.env', '--example', 'out.example']]) {
      const r = await cli(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /not a regular file \(a character device\)/, args.join(' '));
    }
  });

  it('an example file that is a FIFO or a link to /dev/zero: sync-example (and --check) exit 2 without hanging', async () => {
    const d = tempDir('example');
    try {
      writeFileSync(join(d, '.env'), 'API_KEY=abc\n');
      mkfifo(join(d, '.env.example'));
      for (const args of [['sync-example'], ['sync-example', '--check']]) {
        const r = await cli(args, d);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /\.env\.example: not a regular file \(a FIFO\)/);
      }
      rmSync(join(d, '.env.example'));
      symlinkSync('/dev/zero', join(d, '.env.example'));
      for (const args of [['sync-example'], ['sync-example', '--check']]) {
        const r = await cli(args, d);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /\.env\.example: is a symbolic link.*pass --example \.env\.example/);
      }
      // Named, it is followed, and then it is a device.
      const named = await cli(['sync-example', '--example', '.env.example'], d);
      assert.equal(named.code, 2);
      assert.match(named.stderr, /not a regular file \(a character device\)/);
      assert.equal(readlinkSync(join(d, '.env.example')), '/dev/zero');
      assert.deepEqual(leftovers(d), []);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a scan skips FIFOs and sockets with one line each on stderr, skips links silently, and still reports the real files', async () => {
    const d = tempDir('scan');
    try {
      mkdirSync(join(d, 'app'));
      writeFileSync(join(d, '.env'), 'SECRET_KEY=changeme\nPORT=8080\n');
      writeFileSync(join(d, 'app', '.env'), 'API_TOKEN=1234\n');
      mkfifo(join(d, '.env.local'));
      mkfifo(join(d, 'app', 'prod.env'));
      server = await listen(join(d, '.env.sock'));
      symlinkSync('/dev/zero', join(d, '.env.production'));
      // A linked example with keys .env lacks: followed, it would cause example-drift findings.
      writeFileSync(join(d, 'elsewhere'), 'ONLY_IN_LINKED_EXAMPLE=1\n');
      symlinkSync(join(d, 'elsewhere'), join(d, '.env.example'));
      const r = await cli(['check'], d);
      assert.equal(r.code, 1, r.stderr);
      const files = new Set(r.stdout.trimEnd().split('\n').map((l) => l.split(':')[0]));
      assert.deepEqual([...files].sort(), ['.env', 'app/.env']);
      assert.doesNotMatch(r.stdout, /ONLY_IN_LINKED_EXAMPLE|example-drift/);
      const errs = r.stderr.trimEnd().split('\n').sort();
      assert.deepEqual(errs, [
        'keysmith: .env.local: not a regular file (a FIFO); skipped',
        'keysmith: .env.sock: not a regular file (a socket); skipped',
        'keysmith: app/prod.env: not a regular file (a FIFO); skipped',
      ]);
      // The same example as a regular file is read: the test above can fail.
      rmSync(join(d, '.env.example'));
      writeFileSync(join(d, '.env.example'), 'ONLY_IN_LINKED_EXAMPLE=1\n');
      assert.match((await cli(['check'], d)).stdout, /example-drift/);
    } finally {
      server?.close();
      server = undefined;
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('stops reading at the size limit whatever stat says (a /proc file reports 0 bytes)', { skip: !existsSync('/proc/self/maps') && 'no /proc here' }, () => {
    assert.equal(statSync('/proc/self/maps').size, 0);
    assert.throws(() => readRegularFile('/proc/self/maps', { maxBytes: 64 }), /larger than the 64-byte limit/);
    const whole = readRegularFile('/proc/self/maps', { maxBytes: 1 << 24 });
    assert.ok(whole.bytes.length > 64);
  });

  it('refuses a regular file over the limit before reading it, and reads one at the limit', () => {
    const f = join(dir, 'big.env');
    writeFileSync(f, 'A'.repeat(100));
    assert.throws(() => readRegularFile(f, { maxBytes: 99 }), /100 bytes is larger than the 99-byte limit/);
    assert.equal(readRegularFile(f, { maxBytes: 100 }).bytes.length, 100);
  });
});

const ENV = '# app\nSECRET_KEY=\nAPI_KEY=changeme\nPORT=8080\n';

function assertFilled(text: string): void {
  const p = dotenv.parse(text);
  assert.ok(getFormat('base64url').validate(p['SECRET_KEY']!), 'SECRET_KEY not filled');
  assert.ok(getFormat('api-key').validate(p['API_KEY']!), 'API_KEY not filled');
  assert.equal(p['PORT'], '8080');
}

describe('writing: through links, never over read-only files, owner and mode kept, hard links refused', () => {
  const dirs: string[] = [];
  const fresh = (tag: string): string => {
    const d = tempDir(tag);
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) {
      try { chmodSync(d, 0o755); } catch { /* gone */ }
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('populate writes through a symlink: the target gets the content, the link stays a link', async () => {
    const d = fresh('link');
    mkdirSync(join(d, 'shared'));
    writeFileSync(join(d, 'shared', 'real.env'), ENV, { mode: 0o640 });
    chmodSync(join(d, 'shared', 'real.env'), 0o640);
    symlinkSync('shared/real.env', join(d, '.env'));
    const r = await inproc(['populate', '.env'], d);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(join(d, '.env')).isSymbolicLink(), 'the link was replaced');
    assert.equal(readlinkSync(join(d, '.env')), 'shared/real.env');
    assertFilled(readFileSync(join(d, 'shared', 'real.env'), 'utf8'));
    assert.equal(mode(join(d, 'shared', 'real.env')), 0o640);
    assert.deepEqual(leftovers(d), []);
    assert.deepEqual(leftovers(join(d, 'shared')), []);
  });

  it('sync-example writes through an example link named with --example, and refuses one it only found', async () => {
    const d = fresh('exlink');
    writeFileSync(join(d, '.env'), 'API_KEY=abc123\nPORT=1\n');
    writeFileSync(join(d, 'shared.example'), 'PORT=1\n');
    symlinkSync('shared.example', join(d, '.env.example'));
    const found = await inproc(['sync-example'], d);
    assert.equal(found.code, 2);
    assert.match(found.stderr, /\.env\.example: is a symbolic link.*--example/);
    assert.equal(readFileSync(join(d, 'shared.example'), 'utf8'), 'PORT=1\n');
    const named = await inproc(['sync-example', '--example', '.env.example'], d);
    assert.equal(named.code, 0, named.stderr);
    assert.ok(lstatSync(join(d, '.env.example')).isSymbolicLink());
    assert.match(readFileSync(join(d, 'shared.example'), 'utf8'), /^API_KEY=/m);
    assert.deepEqual(leftovers(d), []);
  });

  it('a read-only file (0444, 0400) is refused with exit 2, "read-only", unchanged and not chmodded', async () => {
    const d = fresh('ro');
    for (const m of [0o444, 0o400]) {
      const f = join(d, '.env');
      rmSync(f, { force: true });
      writeFileSync(f, ENV);
      chmodSync(f, m);
      const before = statSync(f);
      const r = await inproc(['populate', '.env'], d);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, /\.env: is read-only \(mode 0[0-7]+\).*nothing was written/);
      assert.equal(readFileSync(f, 'utf8'), ENV);
      assert.equal(mode(f), m);
      assert.equal(statSync(f).ino, before.ino);
      assert.deepEqual(leftovers(d), []);
    }
    // sync-example over a read-only example.
    writeFileSync(join(d, 'src.env'), 'API_KEY=abc123\n');
    writeFileSync(join(d, 'ro.example'), 'PORT=1\n');
    chmodSync(join(d, 'ro.example'), 0o444);
    const r = await inproc(['sync-example', 'src.env', '--example', 'ro.example'], d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ro\.example: is read-only/);
    assert.equal(readFileSync(join(d, 'ro.example'), 'utf8'), 'PORT=1\n');
  });

  it('a read-only folder is refused (the file cannot be replaced safely there)', async () => {
    const d = fresh('rodir');
    const sub = join(d, 'locked');
    mkdirSync(sub);
    writeFileSync(join(sub, '.env'), ENV);
    chmodSync(sub, 0o555);
    const r = await inproc(['populate', '.env'], sub);
    chmodSync(sub, 0o755);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /folder .* is read-only/);
    assert.equal(readFileSync(join(sub, '.env'), 'utf8'), ENV);
    assert.deepEqual(leftovers(sub), []);
  });

  it('a file with two hard links is refused; both names keep the same content', async () => {
    const d = fresh('hard');
    writeFileSync(join(d, '.env'), ENV);
    linkSync(join(d, '.env'), join(d, 'other-name.env'));
    const r = await inproc(['populate', '.env'], d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.env: has 2 hard links; .*nothing was written/);
    assert.equal(readFileSync(join(d, '.env'), 'utf8'), ENV);
    assert.equal(statSync(join(d, '.env')).ino, statSync(join(d, 'other-name.env')).ino);
    assert.deepEqual(leftovers(d), []);
  });

  it('as root, a file owned by another user keeps its owner, group and mode', { skip: !isRoot && 'needs root to give a file to another user' }, async () => {
    const d = fresh('owner');
    const f = join(d, '.env');
    writeFileSync(f, ENV);
    chownSync(f, OTHER_UID, OTHER_UID + 1);
    chmodSync(f, 0o600);
    const r = await inproc(['populate', '.env'], d);
    assert.equal(r.code, 0, r.stderr);
    const st = statSync(f);
    assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [OTHER_UID, OTHER_UID + 1, 0o600]);
    assertFilled(readFileSync(f, 'utf8'));
    assert.deepEqual(leftovers(d), []);
  });

  it('as an ordinary user: read-only by permission is refused, and a group that cannot be kept is refused', { skip: !isRoot && 'needs root to run a child as another user' }, async () => {
    const d = fresh('user');
    chmodSync(d, 0o777);
    const ro = join(d, 'ro.env');
    writeFileSync(ro, ENV);
    chownSync(ro, OTHER_UID, OTHER_UID);
    chmodSync(ro, 0o444);
    const r1 = await cli(['populate', 'ro.env'], d, { uid: OTHER_UID, gid: OTHER_UID });
    assert.equal(r1.code, 2, r1.stdout);
    assert.match(r1.stderr, /ro\.env: is read-only/);
    assert.equal(readFileSync(ro, 'utf8'), ENV);
    // Owned by the user but in group 0, which the user is not in: fchown to gid 0 fails.
    const grp = join(d, 'grp.env');
    writeFileSync(grp, ENV);
    chownSync(grp, OTHER_UID, 0);
    chmodSync(grp, 0o640);
    const r2 = await cli(['populate', 'grp.env'], d, { uid: OTHER_UID, gid: OTHER_UID });
    assert.equal(r2.code, 2, r2.stdout);
    assert.match(r2.stderr, /grp\.env: cannot keep its owner and group \(uid 12345, gid 0/);
    assert.equal(readFileSync(grp, 'utf8'), ENV);
    assert.equal(statSync(grp).gid, 0);
    assert.deepEqual(leftovers(d), []);
    // The same user on its own file: written, owner kept.
    const own = join(d, 'own.env');
    writeFileSync(own, ENV);
    chownSync(own, OTHER_UID, OTHER_UID);
    const r3 = await cli(['populate', 'own.env'], d, { uid: OTHER_UID, gid: OTHER_UID });
    assert.equal(r3.code, 0, r3.stderr);
    assertFilled(readFileSync(own, 'utf8'));
    assert.equal(statSync(own).uid, OTHER_UID);
  });

  it('a dangling symlink is refused with a message; nothing is created', async () => {
    const d = fresh('dangling');
    symlinkSync('missing.env', join(d, '.env'));
    const r = await inproc(['populate', '.env'], d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.env: is a symbolic link to a file that does not exist/);
    assert.deepEqual(readdirSync(d), ['.env']);
  });
});

describe('writing: lost updates, concurrent writers, SIGINT', () => {
  const dirs: string[] = [];
  const fresh = (tag: string): string => {
    const d = tempDir(tag);
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a line another program appends between the read and the rename is kept: the plan is made again on it', async () => {
    const d = fresh('race');
    const f = join(d, '.env');
    writeFileSync(f, 'A=1\n');
    const seen: (string | undefined)[] = [];
    const r = await writeFileSafely(f, (text) => {
      seen.push(text);
      return (text ?? '') + 'ADDED=1\n';
    }, {
      beforeCommit: ({ attempt }) => {
        if (attempt === 0) appendFileSync(f, 'OTHER_WRITER=1\n');
      },
    });
    assert.equal(r.written, true);
    assert.equal(r.plans, 2);
    assert.deepEqual(seen, ['A=1\n', 'A=1\nOTHER_WRITER=1\n']);
    assert.equal(readFileSync(f, 'utf8'), 'A=1\nOTHER_WRITER=1\nADDED=1\n');
    assert.deepEqual(leftovers(d), []);
  });

  it('a change of the same size with the mtime set back is caught (ctime and content hash)', async () => {
    const d = fresh('hash');
    const f = join(d, '.env');
    writeFileSync(f, 'A=1\n');
    const { utimesSync } = await import('node:fs');
    const st = statSync(f);
    const r = await writeFileSafely(f, (text) => (text ?? '') + 'B=2\n', {
      beforeCommit: ({ attempt }) => {
        if (attempt === 0) {
          writeFileSync(f, 'A=9\n');
          utimesSync(f, st.atime, st.mtime);
        }
      },
    });
    assert.equal(r.plans, 2);
    assert.equal(readFileSync(f, 'utf8'), 'A=9\nB=2\n');
  });

  it('a file that keeps changing: exit 2 "changed while writing; nothing written", the other writer\'s content stays', async () => {
    const d = fresh('churn');
    writeFileSync(join(d, '.env'), ENV);
    let n = 0;
    await assert.rejects(
      writeFileSafely(join(d, '.env'), (text) => (text ?? '') + 'MINE=1\n', {
        beforeCommit: () => appendFileSync(join(d, '.env'), `OTHER_${n++}=1\n`),
      }),
      /changed while writing; nothing written/,
    );
    assert.equal(n, 5);
    assert.equal(readFileSync(join(d, '.env'), 'utf8'), ENV + [0, 1, 2, 3, 4].map((i) => `OTHER_${i}=1\n`).join(''));
    assert.deepEqual(leftovers(d), []);
  });

  it('creating a file that another program creates meanwhile: planned again on its content, never overwritten blind', async () => {
    const d = fresh('create');
    const f = join(d, 'new.example');
    const seen: (string | undefined)[] = [];
    await writeFileSafely(f, (text) => {
      seen.push(text);
      return (text ?? '') + 'MINE=1\n';
    }, {
      create: true,
      newMode: 0o644,
      beforeCommit: ({ attempt }) => {
        if (attempt === 0) writeFileSync(f, 'THEIRS=1\n');
      },
    });
    assert.deepEqual(seen, [undefined, 'THEIRS=1\n']);
    assert.equal(readFileSync(f, 'utf8'), 'THEIRS=1\nMINE=1\n');
    assert.deepEqual(leftovers(d), []);
  });

  it('a lock left by a process that is gone is taken over; one held by a live process makes the writer wait, then give up', async () => {
    const d = fresh('lock');
    const f = join(d, '.env');
    writeFileSync(f, 'A=1\n');
    const lock = join(d, '..env.keysmith.lock');
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(lock, `${gone}\n`);
    const r = await writeFileSafely(f, (t) => (t ?? '') + 'B=2\n');
    assert.equal(r.written, true);
    assert.equal(readFileSync(f, 'utf8'), 'A=1\nB=2\n');
    assert.deepEqual(leftovers(d), []);
    writeFileSync(lock, `${process.pid}\n`);
    await assert.rejects(writeFileSafely(f, (t) => (t ?? '') + 'C=3\n', { lockTimeoutMs: 300 }), new RegExp(`another keysmith process \\(pid ${process.pid}\\) is writing it`));
    assert.equal(readFileSync(f, 'utf8'), 'A=1\nB=2\n');
    assert.deepEqual(leftovers(d), ['..env.keysmith.lock'], 'the other process\'s lock was removed');
  });

  it('twenty populate runs at once: a valid file, every key filled exactly once, no temporary file left', async () => {
    const d = fresh('twenty');
    const keys = Array.from({ length: 12 }, (_, i) => `SERVICE_${i}_SECRET`);
    const original = ['# many writers', ...keys.map((k) => `${k}=`), 'PORT=8080', ''].join('\n');
    writeFileSync(join(d, '.env'), original, { mode: 0o600 });
    const runs = await Promise.all(Array.from({ length: 20 }, () => cli(['populate', '.env'], d)));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const fillers = runs.filter((r) => /filled \d+ keys/.test(r.stdout));
    for (const k of keys) {
      assert.equal(runs.filter((r) => new RegExp(`^  ${k} `, 'm').test(r.stdout)).length, 1, `${k} filled by more than one run`);
    }
    assert.equal(fillers.length, 1);
    assert.equal(runs.filter((r) => /no empty or placeholder secrets/.test(r.stdout)).length, 19);
    const text = readFileSync(join(d, '.env'), 'utf8');
    const parsed = dotenv.parse(text);
    for (const k of keys) assert.ok(getFormat('base64url').validate(parsed[k]!), `${k} is not a valid value`);
    assert.equal(text.split('\n').length, original.split('\n').length);
    assert.equal(mode(join(d, '.env')), 0o600);
    assert.deepEqual(leftovers(d), []);
  });

  it('SIGINT in the middle of a write (a real child process): temp file and lock removed, file unchanged, the process ends by SIGINT', async () => {
    const d = fresh('sigint');
    const f = join(d, '.env');
    writeFileSync(f, ENV);
    const child = spawn(process.execPath, [CHILD, f], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    const temp = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /^READY (.+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      void done.then(() => reject(new Error(`the child ended before writing: ${stderr}`)));
    });
    // Mid-write: the complete temporary file and the lock are there.
    assert.ok(existsSync(temp), 'no temporary file while writing');
    assert.equal(leftovers(d).length, 2);
    child.kill('SIGINT');
    const end = await done;
    clearTimeout(timer);
    assert.equal(end.signal, 'SIGINT', `exit ${end.code}: ${stderr}`);
    assert.equal(readFileSync(f, 'utf8'), ENV);
    assert.deepEqual(leftovers(d), []);
  });
});

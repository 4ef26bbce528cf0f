// `keysmith check` on real temporary git repositories. The command object is run directly, with
// the argument parsing and error handling of src/cli/main.ts reproduced in runCheck().
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, createCheckCommand, type CheckOptions } from '../../src/cli/check.ts';
import { UsageError, parseArgs } from '../../src/cli/args.ts';
import { Output } from '../../src/cli/output.ts';
import type { CliCommand } from '../../src/cli/main.ts';
import { getFormat } from '../../src/core/formats.ts';
import { WORDLIST_FILE } from './helpers/cli.ts';

const hasGit = spawnSync('git', ['--version']).status === 0;

class Capture extends EventEmitter {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** What main() does around a command: parse, --help, usage errors → exit 2. */
async function runCheck(argv: string[], cwd: string, cmd: CliCommand = check): Promise<Run> {
  const stdout = new Capture();
  const stderr = new Capture();
  const out = new Output(stdout, stderr);
  let code: number;
  try {
    const parsed = parseArgs(argv, { ...cmd.options, help: { type: 'boolean' } });
    if (parsed.options['help']) {
      await out.line(`${cmd.summary}.\n\nUsage: ${cmd.usage}`);
      code = 0;
    } else code = await cmd.run(parsed.positionals, parsed.options, out, { cwd, wordlistFile: WORDLIST_FILE });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    out.error(`keysmith: ${e.message}`);
    code = 2;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Secrets planted in the files; none may ever be printed. */
const planted: string[] = [];
function secret(): string {
  const s = getFormat('base64url').generate();
  planted.push(s);
  return s;
}
function assertNoSecrets(r: Run): void {
  for (const s of planted) {
    assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), 'a planted secret was printed');
    assert.ok(!r.stdout.includes(s.slice(0, 12)) && !r.stderr.includes(s.slice(0, 12)), 'part of a planted secret was printed');
  }
  for (const weak of ['changeme', 'hunter2hunter2']) assert.ok(!r.stdout.includes(weak) && !r.stderr.includes(weak), `value ${weak} printed`);
}

let base: string;
let gitEnv: Record<string, string>;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function write(root: string, rel: string, content: string | Uint8Array): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), content);
}

/** Options for createCheckCommand with the isolated git environment. */
function opts(extra: CheckOptions = {}): CheckOptions {
  return { env: gitEnv, ...extra };
}

before(() => {
  base = mkdtempSync(join(tmpdir(), 'keysmith-check-'));
  mkdirSync(join(base, 'home'));
  gitEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(base, 'home'),
    XDG_CONFIG_HOME: join(base, 'home', 'xdg'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com',
  };
});
after(() => rmSync(base, { recursive: true, force: true }));

/**
 * A repository with every situation:
 *   .env                ignored, untracked: weak SECRET_KEY, duplicate PORT, strong API_KEY
 *   .env.example        committed: keys A and OLD_KEY (drift both ways), a leaked secret
 *   app/.env.production committed (git add -f) although ignored: env-tracked
 *   app/prod.env        not ignored: env-not-ignored
 *   sub/.env.example    ignored by sub/.gitignore: example-ignored
 *   local/x.env         ignored by .git/info/exclude only
 *   node_modules/p/.env, linked -> app: skipped
 */
function makeRepo(name: string): string {
  const root = join(base, name);
  mkdirSync(root);
  git(root, 'init', '-q');
  write(root, '.gitignore', '.env\n.env.*\n!.env.example\n');
  write(root, '.env', `SECRET_KEY=changeme\nPORT=1\nPORT=2\nAPI_KEY=${secret()}\n`);
  write(root, '.env.example', `API_KEY=${secret()}\nOLD_KEY=\n`);
  write(root, 'app/.env.production', `DB_PASSWORD=${secret()}\n`);
  write(root, 'app/prod.env', `JWT_SECRET=hunter2hunter2\n`);
  write(root, 'sub/.gitignore', '.env.example\n');
  write(root, 'sub/.env.example', 'A=\n');
  write(root, 'local/x.env', `TOKEN=${secret()}\n`);
  write(root, '.git/info/exclude', 'local/\n');
  write(root, 'node_modules/p/.env', 'SECRET_KEY=changeme\n');
  symlinkSync(join(root, 'app'), join(root, 'linked'));
  git(root, 'add', '.gitignore', '.env.example');
  git(root, 'add', '-f', 'app/.env.production');
  git(root, 'commit', '-qm', 'init');
  return root;
}

const EXPECTED_WITH_GIT = [
  '.env:1:12 warning weak-secret SECRET_KEY holds a placeholder or published sample value, not a real secret; generate one.',
  '.env:2:1 warning duplicate-key PORT is defined again on line 3; dotenv uses that last definition.',
  '.env:2:1 info example-drift PORT is missing from .env.example.',
  '.env:1:1 info example-drift SECRET_KEY is missing from .env.example.',
  '.env.example:1:9 warning example-leak API_KEY in an example file looks like a real secret; replace it with a placeholder.',
  '.env.example:2:1 info example-drift OLD_KEY is missing from .env.',
  'app/.env.production:1:1 error env-tracked .env.production is already committed: ignoring it does not remove it from the repository. Run git rm --cached on it, commit, and rotate the secrets it held.',
  'app/prod.env:1:1 warning env-not-ignored prod.env is not ignored by git: it would be committed. Add it to .gitignore.',
  'app/prod.env:1:12 warning weak-secret JWT_SECRET is too short for HS256: 14 bytes; RFC 7518 requires an HMAC key of at least 32 bytes.',
  "sub/.env.example:1:1 info example-ignored .env.example is ignored by git, so teammates won't get it. Remove it from .gitignore or add a '!.env.example' exception.",
];

describe('keysmith check', { skip: !hasGit && 'git is not installed' }, () => {
  let repo: string;
  before(() => {
    repo = makeRepo('repo');
  });

  it('finds .env files recursively and prints file:line:col severity code message', async () => {
    const r = await runCheck([], repo, createCheckCommand(opts()));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual([...lines].sort(), [...EXPECTED_WITH_GIT].sort());
    // Files in walk order, findings in offset order within a file.
    assert.deepEqual(lines.map((l) => l.split(':')[0]), ['.env', '.env', '.env', '.env', '.env.example', '.env.example', 'app/.env.production', 'app/prod.env', 'app/prod.env', 'sub/.env.example']);
    assert.ok(!r.stdout.includes('node_modules') && !r.stdout.includes('linked/') && !r.stdout.includes('local/'));
    assertNoSecrets(r);
  });

  it('--json: an array of {file, line, column, severity, code, message}', async () => {
    const plain = await runCheck([], repo, createCheckCommand(opts()));
    const r = await runCheck(['--json'], repo, createCheckCommand(opts()));
    assert.equal(r.code, 1);
    const arr = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(arr.length, EXPECTED_WITH_GIT.length);
    for (const f of arr) assert.deepEqual(Object.keys(f), ['file', 'line', 'column', 'severity', 'code', 'message']);
    assert.deepEqual(
      arr.map((f) => `${f['file']}:${f['line']}:${f['column']} ${f['severity']} ${f['code']} ${f['message']}`),
      plain.stdout.trimEnd().split('\n'),
    );
    assertNoSecrets(r);
  });

  it('asks git once per repository, in batch, without prompts', async () => {
    const log = join(base, 'git-calls.log');
    const fake = join(base, 'fake-git');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s|%s\\n' "$GIT_TERMINAL_PROMPT" "$*" >> '${log}'\nexec git "$@"\n`);
    chmodSync(fake, 0o755);
    // A second repository nested inside, and many files.
    const nested = join(repo, 'vendor', 'lib');
    mkdirSync(nested, { recursive: true });
    git(nested, 'init', '-q');
    for (let i = 0; i < 25; i++) write(repo, `many/d${i}/app.env`, 'A=1\n');
    for (let i = 0; i < 5; i++) write(nested, `p${i}/.env.local`, 'B=1\n');
    try {
      writeFileSync(log, '');
      const r = await runCheck([], repo, createCheckCommand(opts({ git: fake })));
      assert.equal(r.code, 1);
      const calls = readFileSync(log, 'utf8').trimEnd().split('\n');
      assert.deepEqual(calls.map((c) => c.split('|')[0]), calls.map(() => '0'), 'GIT_TERMINAL_PROMPT=0');
      const verbs = calls.map((c) => c.split('|')[1]!.replace(/ -C \S+/, '').split(' ').slice(0, 2).join(' '));
      assert.deepEqual(verbs.sort(), ['--no-pager check-ignore', '--no-pager check-ignore', '--no-pager ls-files', '--no-pager ls-files', '--version'].sort());
      // The nested repository's files are judged by its own (empty) rules: not ignored.
      assert.match(r.stdout, /^vendor\/lib\/p0\/\.env\.local:1:1 warning env-not-ignored/m);
      assert.match(r.stdout, /^many\/d0\/app\.env:1:1 warning env-not-ignored/m);
    } finally {
      rmSync(join(repo, 'vendor'), { recursive: true, force: true });
      rmSync(join(repo, 'many'), { recursive: true, force: true });
    }
  });

  it('without git: the same ignore decisions from .gitignore files and info/exclude, tracking unknown', async () => {
    for (const cmd of [createCheckCommand(opts({ git: null })), createCheckCommand(opts({ git: join(base, 'no-such-git') }))]) {
      const r = await runCheck([], repo, cmd);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      const withGit = EXPECTED_WITH_GIT.filter((l) => !l.includes(' env-tracked ')).map((l) =>
        l.replace('Add it to .gitignore.', 'Add it to .gitignore. Whether it is already committed is unknown (tracking could not be checked: git is not installed).'),
      );
      assert.deepEqual([...lines].sort(), [...withGit].sort());
      assertNoSecrets(r);
    }
  });

  it('falls back to the ignore files when git fails in a repository', async () => {
    const failing = join(base, 'failing-git');
    writeFileSync(failing, '#!/bin/sh\ncase "$*" in *--version*) echo "git version 2"; exit 0;; esac\necho "fatal: nope" >&2\nexit 128\n');
    chmodSync(failing, 0o755);
    const r = await runCheck(['app/prod.env'], repo, createCheckCommand(opts({ git: failing })));
    assert.match(r.stdout, /prod\.env is not ignored by git: it would be committed\. Add it to \.gitignore\. Whether it is already committed is unknown \(tracking could not be checked: git failed in this repository\)\./);
    assert.doesNotMatch(r.stdout + r.stderr, /fatal/);
  });

  it('explicit files are checked whatever their name; paths print relative to the cwd', async () => {
    write(repo, 'config/settings.txt', 'API_KEY=changeme\n');
    const r = await runCheck(['config/settings.txt', '.env.example'], repo, createCheckCommand(opts()));
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      'config/settings.txt:1:9 warning weak-secret API_KEY holds a placeholder or published sample value, not a real secret; generate one.',
      '.env.example:1:9 warning example-leak API_KEY in an example file looks like a real secret; replace it with a placeholder.',
      '.env.example:2:1 info example-drift OLD_KEY is missing from .env.',
    ]);
    const up = await runCheck(['..'], join(repo, 'app'), createCheckCommand(opts()));
    assert.match(up.stdout, /^\.\.\/\.env:1:12 warning weak-secret/m);
    assert.match(up.stdout, /^prod\.env:1:1 warning env-not-ignored/m);
    rmSync(join(repo, 'config'), { recursive: true });
  });

  it('exit 0 when clean or when only info findings remain', async () => {
    const root = join(base, 'clean');
    mkdirSync(root);
    git(root, 'init', '-q');
    write(root, '.gitignore', '.env\n');
    write(root, '.env', `API_KEY=${secret()}\nPORT=8080\n`);
    write(root, '.env.example', 'API_KEY=\nPORT=\n');
    const r = await runCheck([], root, createCheckCommand(opts()));
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
    write(root, '.env.example', 'API_KEY=\nPORT=\nEXTRA=\n');
    const info = await runCheck([], root, createCheckCommand(opts()));
    assert.equal(info.code, 0);
    assert.equal(info.stdout, '.env.example:3:1 info example-drift EXTRA is missing from .env.\n');
    const json = await runCheck(['--json', '--disable', 'example-drift'], root, createCheckCommand(opts()));
    assert.deepEqual(JSON.parse(json.stdout), []);
    assert.equal(json.code, 0);
  });

  it('outside a repository the git rules are skipped', async () => {
    const root = join(base, 'plain');
    write(root, '.env', 'A=1\n');
    const r = await runCheck([], root, createCheckCommand(opts()));
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
  });

  it('exit 2 naming an unreadable or invalid file; the other files are still checked', async () => {
    const root = join(base, 'broken');
    const s = secret();
    write(root, '.env', `API_KEY=changeme\n`);
    write(root, '.env.binary', new Uint8Array([65, 61, 0, 1, 2, ...new TextEncoder().encode(s)]));
    write(root, '.env.latin1', new Uint8Array([65, 61, 0xe9, 0x0a]));
    const r = await runCheck([], root, createCheckCommand(opts()));
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^\.env:1:9 warning weak-secret/m);
    const errs = r.stderr.trimEnd().split('\n');
    assert.equal(errs.length, 2);
    assert.match(errs[0]!, /^keysmith: \.env\.binary: .*binary/i);
    assert.match(errs[1]!, /^keysmith: \.env\.latin1: .*UTF-8/i);
    assertNoSecrets(r);
    const missing = await runCheck(['nope/.env'], root, createCheckCommand(opts()));
    assert.deepEqual(missing, { code: 2, stdout: '', stderr: 'keysmith: nope/.env: no such file or directory\n' });
  });

  it('bad usage exits 2; --help documents the command', async () => {
    const bad = await runCheck(['--disable', 'weak-secrets'], repo, createCheckCommand(opts()));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--disable: unknown rule "weak-secrets"/);
    assert.equal((await runCheck(['--frobnicate'], repo)).code, 2);
    const help = await runCheck(['--help'], repo);
    assert.equal(help.code, 0);
    for (const needle of ['keysmith check [PATH...] [--format text|json|sarif]', '--json', '--format FORMAT', 'Exit status', 'env-not-ignored', 'keysmith-ignore', 'node_modules']) {
      assert.ok(help.stdout.includes(needle), needle);
    }
  });

  it('a directory named .env: says so and checks the .env files inside it; an empty one exits 2', async () => {
    const root = join(base, 'envdir');
    write(root, '.env/.env.local', `API_KEY=${'changeme'}\n`);
    const r = await runCheck(['.env'], root, createCheckCommand(opts()));
    assert.match(r.stderr, /^keysmith: \.env is a directory, not a \.env file; checking the \.env files inside it$/m);
    assert.match(r.stdout, /^\.env\/\.env\.local:1:\d+ warning weak-secret/m);
    const empty = join(base, 'envdir-empty');
    mkdirSync(join(empty, '.env'), { recursive: true });
    const e = await runCheck(['.env'], empty, createCheckCommand(opts()));
    assert.equal(e.code, 2);
    assert.match(e.stderr, /keysmith: \.env: no \.env files inside this directory/);
  });

  it('a UTF-16 file is named as UTF-16, with the hint to save it as UTF-8', async () => {
    const root = join(base, 'utf16');
    write(root, '.env', new Uint8Array([0xff, 0xfe, ...[...'A=1\n'].flatMap((c) => [c.charCodeAt(0), 0])]));
    const r = await runCheck([], root, createCheckCommand(opts()));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^keysmith: \.env: The file is UTF-16 \(little-endian\) text, not UTF-8; save it as UTF-8/);
  });

  it('an empty directory: nothing to check, exit 0', async () => {
    const root = join(base, 'empty');
    mkdirSync(root);
    const r = await runCheck([], root, createCheckCommand(opts()));
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no \.env files found/);
  });

  it('CRLF files: 1-based line and UTF-16 column of each finding; Django projects get W009', async () => {
    const root = join(base, 'django');
    write(root, 'manage.py', '');
    write(root, 'web/.env', `DEBUG=1\r\n  SECRET_KEY = ${secret()}\r\nNAME="é"\r\n`);
    const r = await runCheck([], root, createCheckCommand(opts()));
    assert.equal(r.stdout, "web/.env:2:16 warning weak-secret SECRET_KEY fails Django's check security.W009: it has 43 characters, fewer than 50. Generate a new secret key.\n");
    assertNoSecrets(r);
  });
});

describe('keysmith check: the leak rules', { skip: !hasGit }, () => {
  it('reports client-exposed-secret, URL passwords, guessable phrases, provider leaks and the git escalation with the same codes, never the values', async () => {
    const root = join(base, 'leaks');
    mkdirSync(root);
    git(root, 'init', '-q');
    const stripe = getFormat('api-key').generate(); // sk_live_ + base62: a Stripe secret key's shape
    planted.push(stripe);
    write(root, '.env', `NEXT_PUBLIC_STRIPE_SECRET_KEY=${stripe}\nDATABASE_URL=postgres://app:hunter2hunter2@db/app\nJWT_SECRET=my_super_secret_jwt_key_for_development_only_123\nCACHE_URL=redis://cache:6379/0\n`);
    write(root, '.env.example', `NEXT_PUBLIC_STRIPE_SECRET_KEY=${stripe}\nDATABASE_URL=\n`);
    const r = await runCheck(['--json'], root, createCheckCommand(opts()));
    assert.equal(r.code, 1);
    const rows = JSON.parse(r.stdout) as { file: string; line: number; column: number; severity: string; code: string; message: string }[];
    const find = (file: string, code: string) => rows.filter((x) => x.file === file && x.code === code);
    assert.equal(find('.env', 'client-exposed-secret')[0]?.severity, 'error');
    const weak = find('.env', 'weak-secret');
    assert.deepEqual(weak.map((x) => [x.line, x.column]), [[2, 29], [3, 12]], 'the URL password (at the password) and the phrase; not the URL without credentials');
    assert.match(weak[1]!.message, /common password or word/);
    const git1 = find('.env', 'env-not-ignored')[0]!;
    assert.equal(git1.severity, 'error');
    assert.match(git1.message, /a live Stripe secret key/);
    const leak = find('.env.example', 'example-leak')[0]!;
    assert.equal(leak.severity, 'error');
    assert.match(leak.message, /a live Stripe secret key/);
    assertNoSecrets(r);
  });
});

describe('keysmith check: reader-mismatch', () => {
  it('detects the readers per project, names them, and --readers overrides the detection', async () => {
    const root = join(base, 'readers');
    mkdirSync(root);
    const pw = `Q${secret().slice(0, 10)}#${secret().slice(0, 10)}`;
    planted.push(pw.slice(1, 11), pw.slice(12));
    write(root, '.env', `DB_PASSWORD=${pw}\nBASE=/srv\nDATA=\${BASE}/data\nNOTE= # later\nCMD=run fast\n`);
    // Nothing detected: node dotenv only, as before (the '#' is a syntax finding).
    let r = await runCheck(['--json'], root, createCheckCommand(opts()));
    const codes = (run: Run) => (JSON.parse(run.stdout) as { code: string; severity: string; line: number; message: string }[]);
    assert.deepEqual(codes(r).filter((x) => x.code === 'reader-mismatch'), []);
    assert.ok(codes(r).some((x) => x.code === 'syntax' && x.line === 1));

    write(root, 'backend/requirements.txt', 'Django==5.1\npython-dotenv==1.0.1\n');
    write(root, 'scripts/dev.sh', '#!/bin/sh\nset -a\n. ./.env\nset +a\nexec "$@"\n');
    write(root, 'node_modules/x/package.json', JSON.stringify({ dependencies: { next: '14' } }));
    r = await runCheck(['--json'], root, createCheckCommand(opts()));
    const rows = codes(r).filter((x) => x.code === 'reader-mismatch');
    const at = (line: number) => rows.filter((x) => x.line === line);
    assert.match(at(1)[0]!.message, /python-dotenv and a shell sourcing the file keep it/);
    assert.equal(at(3)[0]!.severity, 'hint');
    assert.match(at(3)[0]!.message, /python-dotenv and a shell sourcing the file replace/, 'dotenv-expand is not detected from node_modules');
    assert.match(at(4)[0]!.message, /python-dotenv reads the comment/);
    assert.match(at(5)[0]!.message, /unquoted whitespace: a shell sourcing the file/);
    assert.ok(!codes(r).some((x) => x.code === 'syntax' && x.line === 1), 'the # is reported once, by reader-mismatch');
    assertNoSecrets(r);

    r = await runCheck(['--readers', 'dotenv-expand'], root, createCheckCommand(opts()));
    assert.match(r.stdout, /^\.env:3:6 hint reader-mismatch DATA refers to a key defined above it in this file \(BASE\), which dotenv-expand replaces/m);
    assert.doesNotMatch(r.stdout, /python-dotenv|a shell sourcing/);
    r = await runCheck(['--readers', 'dotenv'], root, createCheckCommand(opts()));
    assert.doesNotMatch(r.stdout, /reader-mismatch/);
    // keysmith.readers in the workspace settings, as the editor reads it; --readers still wins.
    write(root, '.vscode/settings.json', '{\n  // who reads .env here\n  "keysmith.readers": ["compose"],\n}\n');
    r = await runCheck([], root, createCheckCommand(opts()));
    assert.match(r.stdout, /^\.env:1:13 warning reader-mismatch DB_PASSWORD's value has a '#' that node dotenv reads as the start of a comment, but docker compose keeps it/m);
    assert.doesNotMatch(r.stdout, /python-dotenv|a shell sourcing/);
    r = await runCheck(['--readers', 'shell'], root, createCheckCommand(opts()));
    assert.doesNotMatch(r.stdout, /docker compose/);
    assert.match(r.stdout, /a shell sourcing the file/);
    r = await runCheck(['--readers', 'shell,perl'], root, createCheckCommand(opts()));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown reader "perl"/);
    r = await runCheck(['--help'], root);
    assert.match(r.stdout, /--readers LIST/);
    assert.match(r.stdout, /reader-mismatch/);
  });
});

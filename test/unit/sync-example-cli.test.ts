import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import { syncExample } from '../../src/cli/syncExample.ts';
import { Output } from '../../src/cli/output.ts';

class Capture extends EventEmitter {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

type Options = Record<string, string | number | boolean | undefined>;

/** Runs `keysmith sync-example` in-process with `dir` as the working directory. */
async function run(dir: string, positionals: string[] = [], options: Options = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await syncExample.run(positionals, options, new Output(stdout, stderr), { cwd: dir, wordlistFile: '/nonexistent' });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Fresh secrets from crypto.getRandomValues, so no test can pass by accident on a fixed string. */
function secret(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return prefix + Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

const API_KEY = secret('sk_live_');
const DB_PASS = secret('pw');
const DB_HOST = secret('db') + '.internal';
const SESSION = secret('');
const ENV = `# Database
DATABASE_URL=postgres://orders:${DB_PASS}@${DB_HOST}:5432/orders
PORT=3000

# Secrets
API_KEY=${API_KEY}  # rotated monthly
SESSION_SECRET="${SESSION}"
# OLD_API_KEY=${secret('sk_live_')}
`;
const SECRETS = [API_KEY, DB_PASS, DB_HOST, SESSION, API_KEY.slice(10, 18)];

function assertNoSecrets(...texts: string[]): void {
  for (const t of texts) for (const s of SECRETS) assert.ok(!t.includes(s), 'a value from .env was printed or written');
}

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('keysmith sync-example', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keysmith-sync-example-'));
    writeFileSync(join(dir, '.env'), ENV, { mode: 0o600 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates .env.example beside .env (mode 0644), naming keys only', async () => {
    const r = await run(dir);
    assert.equal(r.code, 0, r.stderr);
    const example = join(dir, '.env.example');
    const text = readFileSync(example, 'utf8');
    assert.equal(mode(example), 0o644);
    assert.deepEqual(Object.keys(dotenvParse(text)), ['DATABASE_URL', 'PORT', 'API_KEY', 'SESSION_SECRET']);
    assert.equal(
      text,
      // The inline comment after a secret's value is not copied.
      '# Database\nDATABASE_URL=postgres://user:password@localhost:5432/app\nPORT=3000\n\n# Secrets\nAPI_KEY="<generate: api-key>"\nSESSION_SECRET="<generate: base64url>"\n# OLD_API_KEY="<generate: api-key>"\n',
    );
    assert.match(r.stdout, /^Created \.env\.example from \.env: 4 added, 0 kept\.\n/);
    assert.match(r.stdout, /added \(4\): DATABASE_URL, PORT, API_KEY, SESSION_SECRET/);
    assert.equal(r.stderr, '');
    assertNoSecrets(text, r.stdout, r.stderr);
    // No temporary file is left behind.
    assert.deepEqual(readdirSync(dir).sort(), ['.env', '.env.example']);
  });

  it('updates an existing example, keeping its mode, its hand-written lines and its extra keys', async () => {
    const example = join(dir, '.env.example');
    writeFileSync(example, '# Copy me to .env\n\nPORT=8080 # any free port\nLEGACY_FLAG=on\n');
    chmodSync(example, 0o640);
    const r = await run(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(mode(example), 0o640);
    const text = readFileSync(example, 'utf8');
    assert.equal(dotenvParse(text).PORT, '8080');
    assert.equal(dotenvParse(text).LEGACY_FLAG, 'on');
    assert.ok(text.startsWith('# Copy me to .env\n\n'));
    assert.match(r.stdout, /^Updated \.env\.example from \.env: 3 added, 1 kept, 1 only in the example\.\n/);
    assert.match(r.stdout, /kept \(1\): PORT/);
    assert.match(r.stdout, /only in the example, kept \(1\): LEGACY_FLAG/);
    assertNoSecrets(text, r.stdout);
  });

  it('--remove-extra removes keys only in the example and says so', async () => {
    writeFileSync(join(dir, '.env.example'), 'PORT=8080\nLEGACY_FLAG=on\n');
    const r = await run(dir, [], { 'remove-extra': true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed \(1\): LEGACY_FLAG/);
    assert.ok(!('LEGACY_FLAG' in dotenvParse(readFileSync(join(dir, '.env.example'), 'utf8'))));
  });

  it('writes nothing when the example is up to date', async () => {
    assert.equal((await run(dir)).code, 0);
    const example = join(dir, '.env.example');
    const before = readFileSync(example, 'utf8');
    const inode = statSync(example).ino; // an atomic write renames a new file over it
    const r = await run(dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\.env\.example is up to date with \.env \(4 keys\)\.\n$/);
    assert.equal(readFileSync(example, 'utf8'), before);
    assert.equal(statSync(example).ino, inode);
  });

  it('takes ENV_FILE and --example relative to the working directory', async () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', '.env.production'), 'DEBUG=false\nAPI_TOKEN=abc\n');
    const r = await run(dir, ['app/.env.production']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(dir, 'app', '.env.example'), 'utf8'), 'DEBUG=false\nAPI_TOKEN="<generate: base64url>"\n');
    assert.match(r.stdout, /Created app\/\.env\.example from app\/\.env\.production/);
    const r2 = await run(dir, [], { example: 'templates/env.txt' });
    assert.equal(r2.code, 2);
    mkdirSync(join(dir, 'templates'));
    const r3 = await run(dir, [], { example: 'templates/env.txt' });
    assert.equal(r3.code, 0, r3.stderr);
    assert.ok(existsSync(join(dir, 'templates', 'env.txt')));
  });

  describe('--check', () => {
    it('exits 1 and lists missing keys when the example lacks some, writing nothing', async () => {
      const example = join(dir, '.env.example');
      writeFileSync(example, 'PORT=8080\nLEGACY_FLAG=on\n');
      const inode = statSync(example).ino;
      const r = await run(dir, [], { check: true });
      assert.equal(r.code, 1);
      assert.equal(statSync(example).ino, inode);
      assert.match(r.stdout, /\.env\.example is out of sync with \.env\./);
      assert.match(r.stdout, /missing \(3\): DATABASE_URL, API_KEY, SESSION_SECRET/);
      assert.match(r.stdout, /only in \.env\.example \(1\): LEGACY_FLAG/);
      assert.equal(readFileSync(example, 'utf8'), 'PORT=8080\nLEGACY_FLAG=on\n');
      assertNoSecrets(r.stdout, r.stderr);
    });
    it('exits 1 without creating a missing example', async () => {
      const r = await run(dir, [], { check: true });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /\.env\.example does not exist\./);
      assert.ok(!existsSync(join(dir, '.env.example')));
    });
    it('exits 0 when every key is there; keys only in the example count only with --remove-extra', async () => {
      writeFileSync(join(dir, '.env.example'), 'DATABASE_URL=\nPORT=\nAPI_KEY=\nSESSION_SECRET=\nLEGACY_FLAG=on\n');
      const r = await run(dir, [], { check: true });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\.env\.example has every key of \.env\.\n {2}only in \.env\.example \(1\): LEGACY_FLAG\n$/);
      const strict = await run(dir, [], { check: true, 'remove-extra': true });
      assert.equal(strict.code, 1);
      assert.match(strict.stdout, /keysmith sync-example --remove-extra/);
    });
  });

  it('--if-present: a missing .env is nothing to do (exit 0, nothing written); a present one is checked as usual', async () => {
    rmSync(join(dir, '.env'));
    for (const options of [{ 'if-present': true }, { 'if-present': true, check: true }]) {
      const r = await run(dir, [], options);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\.env does not exist: nothing to compare\.\n$/);
      assert.ok(!existsSync(join(dir, '.env.example')));
    }
    writeFileSync(join(dir, '.env'), ENV);
    const r = await run(dir, [], { 'if-present': true, check: true });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\.env\.example does not exist\./);
    // A .env that cannot be read is still an error.
    rmSync(join(dir, '.env'));
    mkdirSync(join(dir, '.env'));
    assert.equal((await run(dir, [], { 'if-present': true, check: true })).code, 2);
  });

  describe('errors exit 2 with a message on stderr', () => {
    const cases: [string, (d: string) => void, string[], Options, RegExp][] = [
      ['missing .env', (d) => rmSync(join(d, '.env')), [], {}, /^keysmith: \.env: no such file/],
      ['a missing file in a subfolder, shown relative', () => {}, ['sub/x.env'], {}, /^keysmith: sub\/x\.env: no such file/],
      ['too many files', () => {}, ['.env', 'other'], {}, /one ENV_FILE, got 2/],
      ['an example as ENV_FILE', (d) => writeFileSync(join(d, '.env.example'), 'A=1\n'), ['.env.example'], {}, /looks like an example file/],
      ['the same file twice', () => {}, ['.env'], { example: '.env' }, /are the same file/],
      ['an empty --example', () => {}, [], { example: '' }, /--example needs a file name/],
      ['a binary .env', (d) => writeFileSync(join(d, '.env'), Uint8Array.from([65, 61, 0, 1])), [], {}, /looks binary/],
      ['a directory as ENV_FILE', (d) => mkdirSync(join(d, 'sub')), ['sub'], {}, /is a directory/],
      ['a non-UTF-8 example', (d) => writeFileSync(join(d, '.env.example'), Uint8Array.from([65, 61, 0xff, 10])), [], {}, /not valid UTF-8/],
    ];
    for (const [name, setup, positionals, options, message] of cases) {
      it(name, async () => {
        setup(dir);
        const before = existsSync(join(dir, '.env.example')) ? readFileSync(join(dir, '.env.example')) : undefined;
        const r = await run(dir, positionals, options);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^keysmith: /);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '');
        assertNoSecrets(r.stderr);
        const after = existsSync(join(dir, '.env.example')) ? readFileSync(join(dir, '.env.example')) : undefined;
        assert.deepEqual(after, before, 'nothing written');
      });
    }
  });

  it('has usage text and option specs for the CLI', () => {
    assert.match(syncExample.usage, /^keysmith sync-example \[ENV_FILE\]/);
    assert.deepEqual(Object.keys(syncExample.options).sort(), ['check', 'config', 'example', 'if-present', 'remove-extra']);
  });
});

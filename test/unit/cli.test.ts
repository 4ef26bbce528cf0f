import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getFormat, FORMAT_IDS } from '../../src/core/formats.ts';
import { runCli, WORDLIST_FILE } from './helpers/cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('keysmith CLI', () => {
  before(() => {
    // The wordlist and dist/cli.js come from the build; npm test builds first.
    if (!existsSync(WORDLIST_FILE)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  });

  it('formats: one line per format with id, bits and description', async () => {
    const r = await runCli(['formats']);
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), [...FORMAT_IDS]);
    assert.match(lines.find((l) => l.startsWith('fernet'))!, /256 bits/);
  });

  it('generate defaults to one base64url secret', async () => {
    const r = await runCli(['generate']);
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.ok(getFormat('base64url').validate(lines[0]!, { bytes: 32 }));
  });

  it('generate FORMAT --count N prints N valid, distinct secrets for every format', async () => {
    for (const id of FORMAT_IDS) {
      const r = await runCli(['generate', id, '--count', '25']);
      assert.equal(r.code, 0, `${id}: ${r.stderr}`);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 25, id);
      assert.equal(new Set(lines).size, 25, id);
      for (const l of lines) assert.ok(getFormat(id).validate(l), `${id} produced an invalid value`);
    }
  });

  it('generate honours size and shape options', async () => {
    assert.equal((await runCli(['generate', 'hex', '--bytes', '48'])).stdout.trim().length, 96);
    assert.equal((await runCli(['generate', 'password', '--length=40', '--no-symbols'])).stdout.trim().length, 40);
    assert.match((await runCli(['generate', 'passphrase', '--words', '11', '--separator', '.'])).stdout.trim(), /^[a-z-]+(\.[a-z-]+){10}$/);
    assert.match((await runCli(['generate', 'api-key', '--prefix', 'rk', '--environment', 'test', '--body', 'hex'])).stdout.trim(), /^rk_test_[0-9a-f]{64}$/);
    assert.equal((await runCli(['generate', 'hex', '--bytes', '8', '--allow-weak'])).stdout.trim().length, 16);
  });

  it('bad formats and options exit 2 with a clear message on stderr and nothing on stdout', async () => {
    const cases: [string[], RegExp][] = [
      [['generate', 'rot13'], /unknown format "rot13"/],
      [['generate', 'hex', '--bytes', 'ten'], /--bytes needs a whole number/],
      [['generate', 'hex', '--bytes', '8'], /128-bit minimum.*--allow-weak/],
      [['generate', 'jwt-hs512', '--bytes', '32', '--allow-weak'], /at least 64 bytes/],
      [['generate', 'hex', '--frobnicate'], /unknown option --frobnicate/],
      [['generate', 'hex', '--count'], /--count needs a value/],
      [['generate', 'hex', '--count', '0'], /at least 1/],
      [['generate', 'api-key', '--body', 'base32'], /--body must be hex or base62/],
      [['generate', 'hex', 'fernet'], /one FORMAT/],
      [['generate', 'uuid', '--bytes', '8'], /--bytes does not apply to uuid; uuid takes no options but --count/],
      [['generate', 'fernet', '--bytes', '32'], /--bytes does not apply to fernet/],
      [['generate', 'hex', '--length', '40'], /--length does not apply to hex; hex takes --bytes/],
      [['generate', 'password', '--words', '5', '--prefix', 'x'], /--words, --prefix do not apply to password/],
      [['generate', 'passphrase', '--no-symbols'], /--no-symbols does not apply to passphrase/],
      [['generate', 'django', '--body', 'hex'], /--body does not apply to django/],
      [['nope'], /unknown command "nope"/],
    ];
    for (const [argv, re] of cases) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, re, argv.join(' '));
      assert.equal(r.stdout, '', argv.join(' '));
    }
  });

  it('--help on each command', async () => {
    for (const argv of [['--help'], ['formats', '--help'], ['generate', '--help'], ['generate', '-h']]) {
      const r = await runCli(argv);
      assert.equal(r.code, 0, argv.join(' '));
      assert.match(r.stdout, /Usage: keysmith/);
    }
    assert.match((await runCli(['generate', '--help'])).stdout, /--allow-weak/);
  });

  it('the bundled binary: `node dist/cli.js generate fernet --count 3` prints three Fernet keys', () => {
    const r = spawnSync(process.execPath, [`${root}dist/cli.js`, 'generate', 'fernet', '--count', '3'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const keys = r.stdout.trim().split('\n');
    assert.equal(keys.length, 3);
    for (const k of keys) assert.ok(getFormat('fernet').validate(k));
  });

  it('the bundled binary stops quietly when its reader goes away', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${root}dist/cli.js" generate --count 2000000 | head -n 1; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    assert.match(r.stdout, /status=0/);
    assert.equal(r.stderr, '');
  });
});

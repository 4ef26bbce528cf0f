// `keysmith check --format sarif`: a SARIF 2.1.0 log, validated against the official JSON schema
// (test/unit/fixtures/sarif, vendored: see its README) with ajv.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { createCheckCommand } from '../../src/cli/check.ts';
import { UsageError, parseArgs } from '../../src/cli/args.ts';
import { Output } from '../../src/cli/output.ts';
import { README_URL, pathToRelativeUri } from '../../src/cli/sarif.ts';
import { RULES } from '../../src/core/rules.ts';
import { getFormat } from '../../src/core/formats.ts';
import { WORDLIST_FILE } from './helpers/cli.ts';

const require = createRequire(import.meta.url);
const hasGit = spawnSync('git', ['--version']).status === 0;
const SCHEMA = JSON.parse(readFileSync(new URL('./fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8')) as object;
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function sarifValidator(): (data: unknown) => string[] {
  const ajv = new Ajv({ schemaId: 'id', meta: false, allErrors: true, format: 'full' });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json') as object);
  const validate = ajv.compile(SCHEMA);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`));
}

class Capture extends EventEmitter {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

let base: string;
let env: Record<string, string>;

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = createCheckCommand({ env });
  const stdout = new Capture();
  const stderr = new Capture();
  const out = new Output(stdout, stderr);
  let code: number;
  try {
    const parsed = parseArgs(argv, cmd.options);
    code = await cmd.run(parsed.positionals, parsed.options, out, { cwd, wordlistFile: WORDLIST_FILE });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    out.error(`keysmith: ${e.message}`);
    code = 2;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const secrets: string[] = [];

before(() => {
  base = mkdtempSync(join(tmpdir(), 'keysmith-sarif-'));
  mkdirSync(join(base, 'home'));
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: join(base, 'home'),
    XDG_CONFIG_HOME: join(base, 'home', 'xdg'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
});
after(() => rmSync(base, { recursive: true, force: true }));

describe('keysmith check --format sarif', { skip: !hasGit && 'git is not installed' }, () => {
  let repo: string;
  before(() => {
    repo = join(base, 'repo');
    mkdirSync(join(repo, 'my app'), { recursive: true });
    git(repo, 'init', '-q');
    const strong = getFormat('base64url').generate();
    secrets.push(strong);
    writeFileSync(join(repo, '.gitignore'), '.env\n');
    // weak-secret (a range on line 1), duplicate-key, an é before a finding (UTF-16 columns).
    writeFileSync(join(repo, '.env'), `SECRET_KEY=changeme\r\nNAME="é"\r\nPORT=1\r\nPORT=2\r\nAPI_KEY=${strong}\r\n`);
    // Not ignored (a path with a space): env-not-ignored on the file as a whole.
    writeFileSync(join(repo, 'my app', 'prod.env'), `JWT_SECRET=hunter2hunter2\n`);
  });

  it('validates against the SARIF 2.1.0 schema; one rule per check code with its README anchor', async () => {
    const r = await run(['--format', 'sarif'], repo);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const log = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { name: string; rules: Record<string, unknown>[] } }; results: unknown[] }[] };
    assert.deepEqual(sarifValidator()(log), []);
    assert.equal(log.version, '2.1.0');
    const driver = log.runs[0]!.tool.driver;
    assert.equal(driver.name, 'keysmith');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal((driver as unknown as { version: string }).version, pkg.version, 'the CLI version is package.json\'s');
    assert.deepEqual(driver.rules.map((x) => x['id']), RULES.map((x) => x.code));
    for (const rule of driver.rules) {
      const uri = rule['helpUri'] as string;
      assert.equal(uri, `${README_URL}#rule-${rule['id'] as string}`);
      assert.ok(README.includes(`<a id="rule-${rule['id'] as string}"></a>`), `README anchor for ${rule['id'] as string}`);
    }
  });

  it('results: rule, level, message and region match the text output; never a value', async () => {
    const text = await run([], repo);
    const r = await run(['--format', 'sarif'], repo);
    for (const s of [...secrets, 'changeme', 'hunter2hunter2']) assert.ok(!r.stdout.includes(s), 'a value was printed');
    type Result = { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[] };
    const results = (JSON.parse(r.stdout) as { runs: { results: Result[] }[] }).runs[0]!.results;
    const level = (sev: string) => (sev === 'info' || sev === 'hint' ? 'note' : sev);
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(results.length, lines.length);
    results.forEach((res, i) => {
      const m = /^(.+):(\d+):(\d+) (\S+) (\S+) (.*)$/.exec(lines[i]!)!;
      const loc = res.locations[0]!.physicalLocation;
      assert.equal(loc.artifactLocation.uri, pathToRelativeUri(m[1]!));
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.equal(loc.region['startLine'], Number(m[2]));
      assert.equal(loc.region['startColumn'], Number(m[3]));
      assert.equal(res.level, level(m[4]!));
      assert.equal(res.ruleId, m[5]);
      assert.equal(RULES[res.ruleIndex]!.code, res.ruleId);
      assert.equal(res.message.text, m[6]);
    });
    const weak = results.find((x) => x.ruleId === 'weak-secret')!;
    // "changeme" is columns 12..19 of line 1: the region covers the value, not the line break.
    assert.deepEqual(weak.locations[0]!.physicalLocation.region, { startLine: 1, startColumn: 12, endLine: 1, endColumn: 20 });
    const notIgnored = results.find((x) => x.ruleId === 'env-not-ignored')!;
    assert.equal(notIgnored.locations[0]!.physicalLocation.artifactLocation.uri, 'my%20app/prod.env');
  });

  it('a clean run: a valid log with no results, exit 0', async () => {
    const clean = join(base, 'clean');
    mkdirSync(clean);
    git(clean, 'init', '-q');
    writeFileSync(join(clean, '.gitignore'), '.env\n');
    writeFileSync(join(clean, '.env'), `API_KEY=${getFormat('base64url').generate()}\n`);
    const r = await run(['--format=sarif'], clean);
    assert.equal(r.code, 0);
    const log = JSON.parse(r.stdout) as { runs: { results: unknown[]; invocations: { executionSuccessful: boolean }[] }[] };
    assert.deepEqual(sarifValidator()(log), []);
    assert.deepEqual(log.runs[0]!.results, []);
    assert.equal(log.runs[0]!.invocations[0]!.executionSuccessful, true);
  });

  it('an unreadable file: still a valid log, executionSuccessful false, exit 2', async () => {
    const r = await run(['--format', 'sarif', '.env', 'missing.env'], repo);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.env/);
    const log = JSON.parse(r.stdout) as { runs: { invocations: { executionSuccessful: boolean }[] }[] };
    assert.deepEqual(sarifValidator()(log), []);
    assert.equal(log.runs[0]!.invocations[0]!.executionSuccessful, false);
  });

  it('--json is an alias of --format json; --format text is the default; bad values exit 2', async () => {
    const a = await run(['--json'], repo);
    const b = await run(['--format', 'json'], repo);
    assert.equal(a.stdout, b.stdout);
    assert.deepEqual(Object.keys((JSON.parse(a.stdout) as object[])[0]!), ['file', 'line', 'column', 'severity', 'code', 'message']);
    assert.equal((await run(['--format', 'text'], repo)).stdout, (await run([], repo)).stdout);
    assert.equal((await run(['--json', '--format', 'json'], repo)).stdout, a.stdout);
    const bad = await run(['--format', 'xml'], repo);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be text, json or sarif/);
    const both = await run(['--json', '--format', 'sarif'], repo);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /contradict/);
  });

  it('the schema check can fail: a wrong level or a missing message is reported', async () => {
    const r = await run(['--format', 'sarif'], repo);
    const log = JSON.parse(r.stdout) as { runs: { results: Record<string, unknown>[] }[] };
    log.runs[0]!.results[0]!['level'] = 'info';
    delete log.runs[0]!.results[1]!['message'];
    const errors = sarifValidator()(log);
    assert.ok(errors.some((e) => e.includes('level')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('message')), errors.join('\n'));
  });
});

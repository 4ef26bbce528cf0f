// One configuration for the editor and the CLI: the shared mapping (src/core/configuration.ts),
// its agreement with package.json's settings schema, and the CLI reading .vscode/settings.json
// (src/cli/config.ts) in real temporary repositories.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DEFAULT_CONFIG, SETTINGS, resolveConfig, settingsObjectLookup } from '../../src/core/configuration.ts';
import { DEFAULT_RULE_CONFIG, RULES } from '../../src/core/rules.ts';
import { DEFAULT_KEEP, MAX_KEEP } from '../../src/core/rotate.ts';
import * as schema from '../../src/core/settingsSchema.ts';
import { DEFAULT_SETTINGS } from '../../src/core/settings.ts';
import { READER_IDS } from '../../src/core/readers.ts';
import { findSettingsFile } from '../../src/cli/config.ts';
import { runCli } from './helpers/cli.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
};
const props = pkg.contributes.configuration.properties;

describe('settings table = package.json schema', () => {
  it('the light schema module agrees with the rules and rotation modules', () => {
    assert.deepEqual(schema.RULE_CODES, RULES.map((r) => r.code));
    assert.equal(schema.DEFAULT_KEEP, DEFAULT_KEEP);
    assert.equal(schema.MAX_KEEP, MAX_KEEP);
    assert.deepEqual(schema.READERS, READER_IDS);
  });
  it('resolveGeneratorSettings (the activation bundle\'s) = resolveConfig(…).generator', () => {
    const values: Record<string, unknown> = { defaultFormat: 'fernet', 'password.length': 'x', 'apiKey.body': 'hex', 'rules.disabled': 5 };
    const g = schema.resolveGeneratorSettings((k) => values[k]);
    const all = resolveConfig((k) => values[k]);
    assert.deepEqual(g.settings, all.config.generator);
    assert.deepEqual(g.problems, all.problems.filter((p) => p.setting === 'keysmith.password.length'));
  });
  it('every contributed keysmith.* setting is in the table, and nothing else', () => {
    assert.deepEqual(SETTINGS.map((s) => `keysmith.${s.key}`).sort(), Object.keys(props).sort());
  });
  for (const spec of SETTINGS) {
    it(`keysmith.${spec.key}: same type, default, enum and bounds`, () => {
      const p = props[`keysmith.${spec.key}`]!;
      const type = spec.type === 'string[]' ? 'array' : spec.type;
      assert.equal(p['type'], type);
      assert.deepEqual(p['default'], spec.default);
      if (spec.type === 'string[]') {
        const items = p['items'] as { type: string; enum?: string[] };
        assert.equal(items.type, 'string');
        assert.deepEqual(items.enum, spec.enum);
      } else assert.deepEqual(p['enum'], spec.enum);
      assert.equal(p['minimum'], spec.minimum);
      assert.equal(p['maximum'], spec.maximum);
      assert.equal(p['pattern'], spec.pattern);
      assert.equal(p['scope'], spec.editorOnly && spec.key !== 'example.syncOnSave' ? 'window' : 'resource');
    });
  }
});

describe('resolveConfig', () => {
  it('with nothing set: the built-in defaults', () => {
    const r = resolveConfig(() => undefined);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.config.generator, DEFAULT_SETTINGS);
    assert.deepEqual(r.config.rules, { ...DEFAULT_RULE_CONFIG, disabled: [], severities: {}, secretPatterns: [], placeholders: [], clientPrefixes: [] });
    assert.equal(r.config.example.fileName, '.env.example');
    assert.equal(r.config.maxFileBytes, 5 * 1024 * 1024);
    assert.equal(r.fromLookup.size, 0);
  });

  it('maps every setting to the core options', () => {
    const values: Record<string, unknown> = {
      defaultFormat: 'hex', defaultBytes: 48, allowWeakSizes: true, 'password.length': 30, 'password.symbols': false,
      'passphrase.words': 12, 'passphrase.separator': '_', 'apiKey.prefix': 'pk', 'apiKey.environment': '', 'apiKey.body': 'hex',
      'populate.rules': { 'STRIPE_*': 'api-key' }, secretNamePatterns: ['*_PIN'], placeholders: ['fill-me'], maxFileSizeMB: 1,
      'rules.disabled': ['syntax'], 'rules.severity': { 'weak-secret': 'error', 'example-drift': 'off' }, 'example.fileName': '.env.dist',
      'rotate.keep': 3, 'example.syncOnSave': true, 'example.rules': { APP_NAME: '<keep>' }, 'scan.maxFiles': 10, 'diagnostics.debounceMs': 0,
    };
    const r = resolveConfig((k) => values[k]);
    assert.deepEqual(r.problems, []);
    const c = r.config;
    assert.equal(c.generator.defaultFormat, 'hex');
    assert.equal(c.generator.defaultBytes, 48);
    assert.equal(c.generator.allowWeakSizes, true);
    assert.equal(c.generator.password.length, 30);
    assert.equal(c.generator.password.symbols, false);
    assert.deepEqual(c.generator.passphrase, { words: 12, separator: '_' });
    assert.deepEqual(c.generator.apiKey, { prefix: 'pk', environment: '', body: 'hex' });
    assert.deepEqual(c.populateRules, [{ pattern: 'STRIPE_*', format: 'api-key' }]);
    assert.deepEqual(c.rules.disabled, ['syntax']);
    assert.deepEqual(c.rules.severities, { 'weak-secret': 'error', 'example-drift': 'off' });
    assert.deepEqual(c.rules.secretPatterns, ['*_PIN']);
    assert.deepEqual(c.rules.placeholders, ['fill-me']);
    assert.equal(c.maxFileBytes, 1024 * 1024);
    assert.deepEqual(c.example, { fileName: '.env.dist', rules: [{ pattern: 'APP_NAME', value: '<keep>' }], syncOnSave: true });
    assert.equal(c.rotateKeep, 3);
    assert.equal(c.scanMaxFiles, 10);
    assert.equal(c.debounceMs, 0);
  });

  it('a value of the wrong type is reported and replaced by the default; bad entries are dropped', () => {
    const values: Record<string, unknown> = {
      defaultBytes: '32', 'rules.disabled': ['syntax', 'no-such-rule', 7], 'rules.severity': { 'weak-secret': 'loud', bogus: 'error', syntax: 'hint' },
      'populate.rules': { A: 'nope', B: 'hex' }, placeholders: 'changeme', 'rotate.keep': 0, 'apiKey.prefix': 'sk-', defaultFormat: 'md5',
    };
    const r = resolveConfig((k) => values[k]);
    const by = (k: string) => r.problems.filter((p) => p.setting === `keysmith.${k}`).map((p) => p.message);
    assert.match(by('defaultBytes')[0]!, /whole number, not a string; using the default/);
    assert.equal(r.config.generator.defaultBytes, 32);
    assert.deepEqual(r.config.rules.disabled, ['syntax']);
    assert.equal(by('rules.disabled').length, 2);
    assert.deepEqual(r.config.rules.severities, { syntax: 'hint' });
    assert.equal(by('rules.severity').length, 2);
    assert.deepEqual(r.config.populateRules, [{ pattern: 'B', format: 'hex' }]);
    assert.match(by('populate.rules')[0]!, /unknown format "nope"/);
    assert.deepEqual(r.config.placeholders, []);
    assert.equal(r.config.rotateKeep, 2);
    assert.match(by('rotate.keep')[0]!, /at least 1/);
    assert.equal(r.config.generator.apiKey.prefix, 'sk');
    assert.equal(r.config.generator.defaultFormat, 'base64url');
    assert.ok(r.replaced.has('defaultBytes') && r.replaced.has('rotate.keep') && !r.replaced.has('rules.disabled'));
  });

  it('never throws, whatever the settings hold', () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom(...SETTINGS.map((s) => s.key)), fc.anything()), (values) => {
      const r = resolveConfig((k) => values[k]);
      assert.ok(Number.isFinite(r.config.maxFileBytes));
      assert.ok(typeof r.config.example.fileName === 'string' && r.config.example.fileName.length > 0);
    }), { numRuns: 300 });
  });

  it('DEFAULT_CONFIG is the configuration with nothing set', () => {
    assert.deepEqual(DEFAULT_CONFIG, resolveConfig(() => undefined).config);
  });

  it('reads flat keys and nested objects as VS Code does; a flat key wins', () => {
    const look = settingsObjectLookup({
      'keysmith.rules.disabled': ['syntax'],
      keysmith: { rules: { disabled: ['env-tracked'], severity: { syntax: 'hint' } }, 'example.fileName': '.env.dist' },
      '[dotenv]': { 'keysmith.placeholders': ['x'] },
    });
    assert.deepEqual(look('rules.disabled'), ['syntax']);
    assert.deepEqual(look('rules.severity'), { syntax: 'hint' });
    assert.equal(look('example.fileName'), '.env.dist');
    assert.equal(look('placeholders'), undefined);
    assert.equal(settingsObjectLookup([1, 2])('rules.disabled'), undefined);
  });
});

describe('keysmith CLI reads .vscode/settings.json', () => {
  let base: string;
  const repo = () => join(base, 'repo');
  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'keysmith-config-')));
    mkdirSync(join(repo(), '.git'), { recursive: true }); // a repository root, as far as the walk is concerned
    mkdirSync(join(repo(), '.vscode'));
    mkdirSync(join(repo(), 'app', 'deep'), { recursive: true });
    writeFileSync(join(repo(), '.gitignore'), '.env*\n');
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  const writeSettings = (text: string, file = join(repo(), '.vscode', 'settings.json')) => writeFileSync(file, text);
  const json = async (args: string[], cwd: string) => {
    const r = await runCli(['check', '--format', 'json', ...args], { cwd });
    return { ...r, findings: r.stdout ? (JSON.parse(r.stdout) as { file: string; code: string; severity: string; message: string }[]) : [] };
  };

  it('finds the settings walking up from the checked folder, and applies rules, patterns and placeholders (comments and trailing commas allowed)', async () => {
    writeSettings(`// team settings
{
  /* the checks */
  "keysmith.rules.disabled": ["duplicate-key",],
  "keysmith.rules.severity": { "weak-secret": "error" },
  "keysmith.secretNamePatterns": ["*_PIN"],
  "keysmith.placeholders": ["fill-me-in"],
}
`);
    writeFileSync(join(repo(), 'app', 'deep', '.env.test'), 'API_PIN=1234\nDUP=1\nDUP=2\nOTHER=fill-me-in\n');
    const r = await json(['.'], join(repo(), 'app', 'deep'));
    assert.equal(r.stderr, '');
    assert.ok(r.findings.some((f) => f.code === 'weak-secret' && f.severity === 'error' && /API_PIN/.test(f.message)), r.stdout);
    assert.ok(!r.findings.some((f) => f.code === 'duplicate-key'), r.stdout);
    // The same file with the defaults: API_PIN is no secret, and the duplicate is reported.
    const d = await json(['--config', join(base, 'none.json'), '.'], join(repo(), 'app', 'deep')).catch(() => undefined);
    assert.ok(d === undefined || d.code === 2, 'a missing --config file is an error');
    writeFileSync(join(base, 'empty.json'), '{}');
    const e = await json(['--config', join(base, 'empty.json'), '.'], join(repo(), 'app', 'deep'));
    assert.ok(!e.findings.some((f) => f.code === 'weak-secret'), e.stdout);
    assert.ok(e.findings.some((f) => f.code === 'duplicate-key'), e.stdout);
  });

  it('stops at the repository root: settings above it are not read', async () => {
    writeSettings('{ "keysmith.rules.disabled": ["syntax"] }', join(base, 'settings.json'));
    mkdirSync(join(base, '.vscode'), { recursive: true });
    writeFileSync(join(base, '.vscode', 'settings.json'), '{ "keysmith.rules.disabled": ["syntax"] }');
    const inner = join(repo(), 'inner');
    mkdirSync(join(inner, '.git'), { recursive: true });
    assert.equal(findSettingsFile(inner), undefined);
    assert.equal(findSettingsFile(join(repo(), 'app', 'deep')), join(repo(), '.vscode', 'settings.json'));
    // Outside any repository the walk goes on up (here to base/.vscode), but never reads the home folder's.
    const loose = join(base, 'loose', 'x');
    mkdirSync(loose, { recursive: true });
    assert.equal(findSettingsFile(loose), join(base, '.vscode', 'settings.json'));
    assert.equal(findSettingsFile(loose, base), undefined);
  });

  it('--config FILE: a settings.json or a .code-workspace elsewhere', async () => {
    writeFileSync(join(repo(), 'app', '.env.cfg'), 'DUP=1\nDUP=2\n');
    writeFileSync(join(base, 'team.code-workspace'), '{ "folders": [{ "path": "repo" }], "settings": { "keysmith.rules.severity": { "duplicate-key": "error" } } }');
    const r = await json(['--config', '../../team.code-workspace', '.env.cfg'], join(repo(), 'app'));
    assert.deepEqual(r.findings.map((f) => `${f.code} ${f.severity}`), ['duplicate-key error']);
    assert.equal(r.code, 1);
  });

  it('example.fileName: .env is compared with the configured example', async () => {
    const dir = join(repo(), 'ex');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), 'A=1\nB=2\n');
    writeFileSync(join(dir, '.env.dist'), 'A=\n');
    writeFileSync(join(base, 'ex.json'), '{ "keysmith.example.fileName": ".env.dist" }');
    const r = await json(['--config', join(base, 'ex.json'), '.'], dir);
    assert.ok(r.findings.some((f) => f.file === '.env' && f.code === 'example-drift' && /B/.test(f.message) && /\.env\.dist/.test(f.message)), r.stdout);
    const s = await runCli(['sync-example', '--config', join(base, 'ex.json'), '--check'], { cwd: dir });
    assert.equal(s.code, 1);
    assert.match(s.stdout, /\.env\.dist is out of sync/);
  });

  it('invalid JSONC: exit 2 naming the file, line and column; no crash', async () => {
    writeFileSync(join(base, 'bad.json'), '{\n  "keysmith.rules.disabled": [\n}\n');
    const r = await runCli(['check', '--config', join(base, 'bad.json'), join(repo(), 'app')], { cwd: base });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^keysmith: bad\.json:3:1: not valid JSON with comments: /);
    for (const text of ['[1, 2]', '"x"', '\uFFFE{', '{"a": 1 /* open']) {
      writeFileSync(join(base, 'bad.json'), text);
      const b = await runCli(['check', '--config', join(base, 'bad.json'), join(repo(), 'app')], { cwd: base });
      assert.equal(b.code, 2, text);
      assert.match(b.stderr, /^keysmith: bad\.json/, text);
    }
    writeFileSync(join(base, 'bin.json'), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    const bin = await runCli(['check', '--config', join(base, 'bin.json'), join(repo(), 'app')], { cwd: base });
    assert.equal(bin.code, 2);
    assert.match(bin.stderr, /not valid UTF-8/);
  });

  it('wrong types: one clear line each on stderr, and the editor\'s fallback', async () => {
    writeFileSync(join(base, 'types.json'), '{ "keysmith.rules.disabled": "syntax", "keysmith.rules.severity": { "duplicate-key": 3 } }');
    const r = await json(['--config', join(base, 'types.json'), '.env.cfg'], join(repo(), 'app'));
    assert.match(r.stderr, /types\.json: keysmith\.rules\.disabled must be an array of strings, not a string; using the default/);
    assert.match(r.stderr, /keysmith\.rules\.severity "duplicate-key" must be one of error, warning, info, hint, off, not a whole number; ignored/);
    assert.deepEqual(r.findings.map((f) => `${f.code} ${f.severity}`), ['duplicate-key warning']);
  });

  it('--print-config shows every setting with its source, text and JSON', async () => {
    writeSettings('{ "keysmith.rules.disabled": ["duplicate-key"], "keysmith.rotate.keep": "x" }');
    const t = await runCli(['check', '--print-config', '--disable', 'syntax', '.'], { cwd: join(repo(), 'app') });
    assert.equal(t.code, 0);
    assert.match(t.stdout, /^# settings for \.: \.\.\/\.vscode\/settings\.json$/m);
    assert.match(t.stdout, /^keysmith\.rules\.disabled +\["duplicate-key","syntax"\] +\(\.\.\/\.vscode\/settings\.json, --disable\)$/m);
    assert.match(t.stdout, /^keysmith\.rotate\.keep +2 +\(default: the value in \.\.\/\.vscode\/settings\.json is invalid\)$/m);
    assert.match(t.stdout, /^keysmith\.defaultFormat +"base64url" +\(default\)$/m);
    assert.match(t.stdout, /^keysmith\.scan\.maxFiles +5000 +\(default; editor only\)$/m);
    const j = await runCli(['check', '--print-config', '--json', '.'], { cwd: join(repo(), 'app') });
    const data = JSON.parse(j.stdout) as { file: string; settings: { setting: string; value: unknown; source: string }[]; problems: string[] }[];
    assert.equal(data.length, 1);
    assert.equal(data[0]!.file, '../.vscode/settings.json');
    assert.equal(data[0]!.settings.length, SETTINGS.length);
    assert.deepEqual(data[0]!.settings.find((s) => s.setting === 'keysmith.rules.disabled'), { setting: 'keysmith.rules.disabled', value: ['duplicate-key'], source: '../.vscode/settings.json' });
    assert.equal(data[0]!.problems.length, 1);
  });

  it('populate uses populate.rules, secretNamePatterns and placeholders from the settings', async () => {
    writeSettings('{ "keysmith.populate.rules": { "*_PIN": "hex" }, "keysmith.secretNamePatterns": ["*_PIN"], "keysmith.placeholders": ["fill-me-in"] }');
    const file = join(repo(), 'app', '.env.pop');
    writeFileSync(file, 'API_PIN=fill-me-in\nPORT=1\n');
    const r = await runCli(['populate', '.env.pop'], { cwd: join(repo(), 'app') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /API_PIN \(hex, /);
    assert.match(readFileSync(file, 'utf8'), /^API_PIN=[0-9a-f]{64}\nPORT=1\n$/);
  });
});

describe('fileSizeLimitBytes', () => {
  it('is finite for any number of megabytes, and at most MAX_FILE_SIZE_MB', async () => {
    const { fileSizeLimitBytes, MAX_FILE_SIZE_MB } = await import('../../src/core/configuration.ts');
    assert.equal(fileSizeLimitBytes(5), 5 * 1024 * 1024);
    assert.equal(fileSizeLimitBytes(1.7144137714980277e302), MAX_FILE_SIZE_MB * 1024 * 1024);
    assert.equal(fileSizeLimitBytes(Infinity), MAX_FILE_SIZE_MB * 1024 * 1024);
    assert.equal(fileSizeLimitBytes(-1), 0);
    assert.equal(fileSizeLimitBytes(NaN), 0);
  });
});

/**
 * Values read back as written: Keysmith writes .env files the way users meet them (the real CLI
 * `populate`, the core writers behind Add Secret, the regenerate quick fix and Populate, and the
 * example file of `sync-example`), and every common reader reads each file back: node dotenv,
 * dotenv-expand (12.x as Next.js/Vite pin it, and the current release), python-dotenv with default
 * interpolation (each python3 that has it), bash and dash sourcing the file with `set -a`, and
 * docker compose's documented rules (helpers/readers.ts). Every value must be byte-identical.
 *
 * A reader that is missing is reported as skipped with the reason, never as passed. Files with a
 * byte order mark go only to readers that skip one (dotenv, compose), CRLF files not to shells
 * (they keep the CR): those are properties of the user's file, which Keysmith keeps.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendEntryEdits, applyEdits, ENV_UNSAFE_CHARS, parseEnv, setValueEdits, winningEntry } from '../../src/core/envdoc.ts';
import { syncExample } from '../../src/core/example.ts';
import { ALL_SYMBOLS, DJANGO_ALPHABET, FORMAT_IDS, getFormat, type FormatId } from '../../src/core/formats.ts';
import { planPopulate, populateEdits } from '../../src/core/populate.ts';
import { DEFAULT_SETTINGS, optionsFor, parseWordlist, type KeysmithSettings } from '../../src/core/settings.ts';
import { runCli, WORDLIST_FILE } from './helpers/cli.ts';
import {
  composeParse, djangoCheck, djangoVersion, findPythons, hasModule, hasShell, moduleVersion, readDotenv, readDotenvExpand, readPython, readShell, type Values,
} from './helpers/readers.ts';
import { seededRng } from './helpers/seeded.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** One written file and what every reader must read from it. */
interface Written {
  file: string;
  text: string;
  /** How it was written, for messages. */
  writer: string;
  /** Every key of the file and its value as written. */
  expected: Values;
  /** Keys whose value Keysmith wrote (secrets filled or replaced; every key of an example file). */
  written: number;
  bom: boolean;
  crlf: boolean;
}

const FILES_PER_CORPUS = 40;
const corpus: Written[] = [];
let dir = '';
let wordlist: string[] = [];

// ---------------------------------------------------------------------------------------------
// Generated source files

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Empty and placeholder values as users leave them, each in a form every reader agrees on. */
const PLACEHOLDERS = ['', '""', "''", 'changeme', '"changeme"', "'changeme'", '"<generate: x>"', "'<your-secret-here>'", 'xxx # fill me in', 'TODO', '"" # later'];
/** Configuration lines Keysmith leaves alone; all readers agree on them. */
const CONFIG = [
  'PORT=8080', 'DEBUG=true', 'LOG_LEVEL=info # or debug', "APP_NAME='My App'", 'APP_TITLE="Ops & Dev"',
  "DATABASE_URL='postgres://app:pw@localhost:5432/app?sslmode=disable'", 'PUBLIC_URL=https://example.com/app', 'WORKERS=4',
];
/** Secret names whose format Keysmith infers, and that format. */
const NATURAL: readonly [string, FormatId][] = [
  ['DJANGO_SECRET_KEY', 'django'], ['DB_PASSWORD', 'password'], ['STRIPE_API_KEY', 'api-key'], ['JWT_SECRET', 'jwt-hs256'],
  ['FERNET_KEY', 'fernet'], ['SESSION_SECRET', 'base64url'], ['PASSWORD_SALT', 'base64url'], ['TOKEN_HEX', 'hex'],
];
const ruleKey = (f: FormatId, n: number): string => `KS_${f.toUpperCase().replace(/-/g, '_')}_${n}`;
const RULES = FORMAT_IDS.map((f) => `KS_${f.toUpperCase().replace(/-/g, '_')}_*=${f}`).join(',');

/** A .env with, in random order, empty or placeholder secrets of every format, configuration and comments. */
function sourceText(rng: Rng, n: number, django: boolean): { lines: string[]; secrets: Map<string, FormatId> } {
  const secrets = new Map<string, FormatId>();
  const lines: string[] = ['# generated .env ' + n, ...CONFIG.filter(() => rng() < 0.6)];
  for (const f of FORMAT_IDS) {
    const key = ruleKey(f, n);
    secrets.set(key, f);
    lines.push(`${rng() < 0.2 ? 'export ' : ''}${key}=${pick(rng, PLACEHOLDERS)}`);
  }
  for (const [key, f] of NATURAL) {
    if (rng() < 0.5) continue;
    secrets.set(key, f);
    lines.push(`${key}=${pick(rng, PLACEHOLDERS)}`);
  }
  if (django) {
    secrets.set('SECRET_KEY', 'django');
    lines.push(`SECRET_KEY=${pick(rng, PLACEHOLDERS)}`);
  }
  for (let i = lines.length - 1; i > 1; i--) {
    const j = 1 + Math.floor(rng() * i);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  if (rng() < 0.5) lines.splice(1 + Math.floor(rng() * (lines.length - 1)), 0, '', '# secrets below');
  return { lines, secrets };
}

function layout(rng: Rng, lines: string[]): { text: string; bom: boolean; crlf: boolean } {
  const crlf = rng() < 0.25;
  const bom = rng() < 0.1;
  const eol = crlf ? '\r\n' : '\n';
  const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (rng() < 0.75 ? eol : '');
  return { text, bom, crlf };
}

function newDir(name: string, django: boolean): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  if (django) writeFileSync(join(d, 'manage.py'), '#!/usr/bin/env python\n');
  return d;
}

/** Every key's value as dotenv (Keysmith's model of it) reads the text. */
function modelValues(text: string): Values {
  const out: Values = {};
  for (const e of parseEnv(text).entries) if (e.wins) out[e.key] = e.value;
  return out;
}

function assertWrittenSecret(where: string, key: string, format: FormatId, value: string | undefined, settings: KeysmithSettings = DEFAULT_SETTINGS): void {
  assert.ok(value !== undefined && value !== '', `${where}: ${key} was not filled`);
  const options = optionsFor(getFormat(format), settings, wordlist, 'env');
  assert.ok(getFormat(format).validate(value, options), `${where}: ${key} does not hold a valid ${format} value after writing`);
  for (const ch of ENV_UNSAFE_CHARS) assert.ok(!value.includes(ch), `${where}: ${key} (${format}) holds ${JSON.stringify(ch)}`);
}

// ---------------------------------------------------------------------------------------------
// Settings a user may have for Add Secret and regenerate

const SETTINGS: KeysmithSettings[] = [
  DEFAULT_SETTINGS,
  { ...DEFAULT_SETTINGS, password: { ...DEFAULT_SETTINGS.password, symbolSet: ALL_SYMBOLS, length: 32 } },
  { ...DEFAULT_SETTINGS, password: { ...DEFAULT_SETTINGS.password, symbolSet: '$"\'`\\#', excludeLookalikes: true } },
  { ...DEFAULT_SETTINGS, passphrase: { words: 10, separator: ' ' }, apiKey: { prefix: 'rk', environment: '', body: 'hex' } },
  { ...DEFAULT_SETTINGS, passphrase: { words: 12, separator: '~' }, defaultBytes: 48 },
  { ...DEFAULT_SETTINGS, passphrase: { words: 10, separator: '.' }, defaultFormat: 'django' },
];

/** Old values a regenerate quick fix replaces, in every quote style dotenv knows (backticks too). */
const WEAK = ['hunter2', '"hunter2"', "'hunter2'", '`hunter2`', 'abc # old', "'short one'"];

// ---------------------------------------------------------------------------------------------

describe('values read back as written in every common .env reader', () => {
  before(async () => {
    if (!existsSync(WORDLIST_FILE)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    wordlist = parseWordlist(readFileSync(WORDLIST_FILE, 'utf8'));
    dir = mkdtempSync(join(tmpdir(), 'keysmith-readback-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`keysmith populate (the CLI) fills every format in ${FILES_PER_CORPUS} generated files`, async () => {
    const rng = seededRng(0x10aa);
    for (let n = 0; n < FILES_PER_CORPUS; n++) {
      const django = rng() < 0.3;
      const { lines, secrets } = sourceText(rng, n, django);
      const { text, bom, crlf } = layout(rng, lines);
      const file = join(newDir(`populate-${n}`, django), '.env');
      writeFileSync(file, text);
      const r = await runCli(['populate', file, '--rule', RULES]);
      assert.equal(r.code, 0, r.stderr);
      const written = readFileSync(file, 'utf8');
      const expected = modelValues(written);
      for (const [key, format] of secrets) assertWrittenSecret(`populate-${n}`, key, format, expected[key]);
      assert.equal(written.startsWith('\uFEFF'), bom, 'BOM kept');
      assert.equal(written.endsWith('\n'), text.endsWith('\n'), 'final newline kept');
      corpus.push({ file, text: written, writer: 'populate (CLI)', expected, written: secrets.size, bom, crlf });
    }
  });

  it(`Add Secret, regenerate and Populate (the core writers) under varied settings in ${FILES_PER_CORPUS} files`, () => {
    const rng = seededRng(0x10bb);
    for (let n = 0; n < FILES_PER_CORPUS; n++) {
      const settings = pick(rng, SETTINGS);
      const django = rng() < 0.3;
      const { lines, secrets } = sourceText(rng, n, django);
      // Entries the regenerate quick fix replaces: weak values in every quote style.
      const weak = FORMAT_IDS.filter(() => rng() < 0.4).map((f) => [`WEAK_${f.toUpperCase().replace(/-/g, '_')}`, f] as const);
      for (const [key] of weak) lines.push(`${key}=${pick(rng, WEAK)}`);
      const { text, bom, crlf } = layout(rng, lines);
      const known: Values = {};
      let current = text;
      const write = (key: string, format: FormatId, mode: 'add' | 'regenerate'): void => {
        const f = getFormat(format);
        const value = f.generate(optionsFor(f, settings, wordlist, 'env'));
        const doc = parseEnv(current);
        const entry = winningEntry(doc, key);
        assert.ok(mode === 'add' || entry, key);
        current = applyEdits(current, entry ? setValueEdits(doc, entry, value) : appendEntryEdits(doc, key, value));
        known[key] = value;
      };
      // Populate Empty Keys (the extension's engine).
      const doc = parseEnv(current);
      const plan = planPopulate(doc, { defaultFormat: settings.defaultFormat, isDjangoProject: django, rules: FORMAT_IDS.map((f) => ({ pattern: ruleKey(f, n).replace(/\d+$/, '*'), format: f })) });
      current = applyEdits(current, populateEdits(doc, plan, settings, wordlist));
      const planned = new Map(plan.map((p) => [p.key, p.format] as const));
      // The regenerate quick fix on every weak entry; Add Secret for new keys and over existing ones.
      for (const [key, format] of weak) write(key, format, 'regenerate');
      for (const format of FORMAT_IDS) if (rng() < 0.5) write(`ADDED_${format.toUpperCase().replace(/-/g, '_')}`, format, 'add');
      for (const [key, format] of secrets) if (rng() < 0.2) write(key, format, 'add');
      const expected = modelValues(current);
      for (const key of secrets.keys()) assert.ok(planned.has(key), `core-${n}: ${key} is planned`);
      for (const [key, format] of planned) if (known[key] === undefined) assertWrittenSecret(`core-${n}`, key, format, expected[key], settings);
      for (const [key, value] of Object.entries(known)) assert.equal(expected[key], value, `core-${n}: ${key} reads back in Keysmith's own model`);
      const file = join(newDir(`core-${n}`, django), '.env');
      writeFileSync(file, current);
      corpus.push({ file, text: current, writer: 'core writers', expected: { ...expected, ...known }, written: new Set([...planned.keys(), ...Object.keys(known)]).size, bom, crlf });
    }
  });

  it('sync-example writes example files whose fake values read back as written', async () => {
    const sources = corpus.filter((w) => w.writer === 'populate (CLI)');
    assert.ok(sources.length > 0, 'the populate corpus ran first');
    for (const [n, w] of sources.entries()) {
      const exampleFile = join(dir, `populate-${n}`, '.env.example');
      const r = await runCli(['sync-example', w.file]);
      assert.equal(r.code, 0, r.stderr);
      const text = readFileSync(exampleFile, 'utf8');
      const expected = modelValues(text);
      for (const key of Object.keys(w.expected)) {
        if (/^KS_|_SECRET|_PASSWORD|_KEY|_SALT|_HEX/.test(key)) assert.match(expected[key] ?? '', /^<[^>]+>$/, `${exampleFile}: ${key} gets a placeholder`);
      }
      corpus.push({ file: exampleFile, text, writer: 'sync-example (CLI)', expected, written: Object.keys(expected).length, bom: w.bom, crlf: w.crlf });
    }
    // Example values with characters a shell treats specially, from a user's example rule.
    const rng = seededRng(0x10cc);
    for (let n = 0; n < FILES_PER_CORPUS / 2; n++) {
      const { lines } = sourceText(rng, n, false);
      const { text, bom, crlf } = layout(rng, lines);
      const rules = [{ pattern: 'APP_TITLE', value: pick(rng, ['Ops & Dev (main)', "it's ~ok", 'a;b|c>d', '#1 app', ' padded * '] as const) }, { pattern: 'APP_NAME', value: '<keep>' }];
      const r = syncExample(text, undefined, { rules });
      const file = join(newDir(`example-${n}`, false), '.env.example');
      writeFileSync(file, r.text);
      const expected = modelValues(r.text);
      corpus.push({ file, text: r.text, writer: 'sync-example (core, rules)', expected, written: Object.keys(expected).length, bom, crlf });
      if (text.includes('APP_TITLE=')) assert.equal(modelValues(r.text)['APP_TITLE'], rules[0]!.value);
    }
  });

  // ---------------------------------------------------------------------------------------------
  // The readers

  /** Reads every file with one reader; the differences, each naming file and key (values are test data). */
  function compare(t: TestContext, reader: string, files: Written[], read: (w: Written[]) => Values[]): string[] {
    assert.ok(files.length > 0, 'files were written');
    const got = read(files);
    let values = 0;
    const problems: string[] = [];
    files.forEach((w, i) => {
      for (const [key, value] of Object.entries(w.expected)) {
        values++;
        const v = got[i]![key];
        if (v !== value) problems.push(`${w.writer} ${w.file}: ${key} read as ${JSON.stringify(v)}, written ${JSON.stringify(value)}`);
      }
      if (got[i]!['<error>'] !== undefined) problems.push(`${w.file}: could not be read (status ${got[i]!['<error>']})`);
    });
    const writers = [...new Set(files.map((w) => w.writer))].map((x) => `${x}: ${files.filter((w) => w.writer === x).length}`).join(', ');
    const written = files.reduce((a, w) => a + w.written, 0);
    t.diagnostic(`${reader}: ${values} values (${written} written by Keysmith) in ${files.length} files (${writers}) read back, ${problems.length} differ`);
    return problems.map((p) => `${reader}: ${p}`);
  }
  const none = (problems: string[]): void => assert.deepEqual(problems.slice(0, 12), [], `${problems.length} values read differently`);

  const lfPlain = (w: Written): boolean => !w.bom && !w.crlf;

  it('node dotenv', (t) => {
    none(compare(t, `dotenv ${moduleVersion('dotenv')}`, corpus, (ws) => ws.map((w) => readDotenv(w.text))));
  });

  for (const module of ['dotenv-expand', 'dotenv-expand-latest'] as const) {
    it(`${module} (Next.js, Vite, NestJS)`, (t) => {
      if (!hasModule(module)) {
        t.skip(`${module} is not installed here (a devDependency): run npm install`);
        return;
      }
      none(compare(t, `dotenv-expand ${moduleVersion(module)}`, corpus, (ws) => ws.map((w) => readDotenvExpand(w.text, module))));
    });
  }

  it('python-dotenv, default interpolation', (t) => {
    const { found, missing } = findPythons();
    if (found.length === 0) {
      t.skip(`no python3 with python-dotenv (${missing.join('; ')}); scripts/ci-install.sh installs Debian's python3-dotenv`);
      return;
    }
    if (missing.length > 0) t.diagnostic(`also looked for: ${missing.join('; ')}`);
    const files = corpus.filter((w) => !w.bom);
    none(found.flatMap((py) => compare(t, `python-dotenv ${py.version} (${py.exe})`, files, (ws) => readPython(py, ws.map((w) => w.file)))));
  });

  it('Django accepts the Django keys python-dotenv reads from them (its own check W009)', (t) => {
    const py = findPythons().found.find((p) => djangoVersion(p) !== null);
    if (py === undefined) {
      t.skip("no python3 with both python-dotenv and Django; scripts/ci-install.sh installs Debian's python3-django");
      return;
    }
    const keys: Record<string, string[]> = {};
    for (const w of corpus) {
      if (w.bom || w.writer.startsWith('sync-example')) continue;
      const names = Object.keys(w.expected).filter((k) => /^(KS_DJANGO_\d+|DJANGO_SECRET_KEY|SECRET_KEY|ADDED_DJANGO|WEAK_DJANGO)$/.test(k) && getFormat('django').validate(w.expected[k]!));
      // Every file's KS_DJANGO_n key is a Django key (a rule says so): none may be left out here.
      assert.ok(names.some((k) => k.startsWith('KS_DJANGO_')), `${w.file}: its KS_DJANGO key is not a valid Django key`);
      keys[w.file] = names;
    }
    const r = djangoCheck(py, keys);
    t.diagnostic(`Django ${djangoVersion(py)} (${py.exe}): ${r.checked} keys in ${Object.keys(keys).length} files checked, ${r.failed.length} fail W009`);
    assert.equal(r.alphabet, DJANGO_ALPHABET, "Django's get_random_secret_key alphabet changed");
    assert.ok(r.checked >= Object.keys(keys).length && r.checked > 0);
    assert.deepEqual(r.failed, []);
  });

  for (const shell of ['bash', 'dash']) {
    it(`${shell}: set -a; . ./.env`, (t) => {
      if (!hasShell(shell)) {
        t.skip(`${shell} is not installed; scripts/ci-install.sh installs it`);
        return;
      }
      const files = corpus.filter(lfPlain);
      none(compare(t, shell, files, (ws) => readShell(shell, dir, ws.map((w) => w.file))));
    });
  }

  it("docker compose (.env and env_file), by compose's documented rules", (t) => {
    none(compare(t, 'compose rules', corpus, (ws) => ws.map((w) => composeParse(w.text))));
  });
});

describe('the compose model follows the documented examples', () => {
  // Each row is an example from https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax
  const rows: [string, string][] = [
    ['VAR=VAL', 'VAL'],
    ['VAR="VAL"', 'VAL'],
    ["VAR='VAL'", 'VAL'],
    ['VAR=VAL # comment', 'VAL'],
    ['VAR=VAL# not a comment', 'VAL# not a comment'],
    ['VAR="VAL # not a comment"', 'VAL # not a comment'],
    ['VAR="VAL" # comment', 'VAL'],
    ["VAR='$OTHER'", '$OTHER'],
    ["VAR='${OTHER}'", '${OTHER}'],
    ["VAR='Let\\'s go!'", "Let's go!"],
    ['VAR="{\\"hello\\": \\"json\\"}"', '{"hello": "json"}'],
    ['VAR="some\\tvalue"', 'some\tvalue'],
    ["VAR='some\\tvalue'", 'some\\tvalue'],
    ['VAR=some\\tvalue', 'some\\tvalue'],
    ["VAR='multi\nline'", 'multi\nline'],
    ['VAR="a$$b"', 'a$b'],
  ];
  for (const [line, value] of rows) it(JSON.stringify(line), () => assert.equal(composeParse(line + '\n').VAR, value));
  it('interpolates unquoted and double-quoted values, from the environment or earlier lines', () => {
    const env = composeParse('A=1\nB=$A-${A}\nC="${X:-dflt}"\nD=${A:+set}\n', { X: '' });
    assert.deepEqual(env, { A: '1', B: '1-1', C: 'dflt', D: 'set' });
  });
  it('skips a BOM, reads CRLF like LF, and rejects text after a closing quote', () => {
    assert.deepEqual(composeParse('\uFEFFA=1\r\nB="2"\r\n'), { A: '1', B: '2' });
    assert.throws(() => composeParse('A="x"y\n'), /after the closing quote/);
  });
});

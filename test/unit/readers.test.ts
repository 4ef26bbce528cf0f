/**
 * reader-mismatch: which readers a project has (src/core/readers.ts detectReaders), which values
 * they read differently from node dotenv, and the quote fix, checked against the real readers:
 * dotenv-expand, python-dotenv (every python3 that has it), dash and bash sourcing the file with
 * `set -a`, and docker compose's documented rules (helpers/readers.ts composeParse).
 *
 * The differential: for each value of a corpus and each reader R, R reads the value differently
 * from node dotenv exactly when the rule, told that R reads the file, reports it naming R. And
 * every quick fix makes node dotenv and every detected reader read the same, intended value.
 * A reader that is missing is reported as skipped with the reason, never as passed.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, parseEnv } from '../../src/core/envdoc.ts';
import {
  detectReaders, literalValueText, otherReaders, readerFileKind, readerFixEdit, readersFromSetting, type OtherReaderId, type ProjectFile,
} from '../../src/core/readers.ts';
import { analyzeEnv, type Finding } from '../../src/core/rules.ts';
import { composeParse, findPythons, hasModule, hasShell, readDotenv, type Python, type Values } from './helpers/readers.ts';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const OTHERS: readonly OtherReaderId[] = ['dotenv-expand', 'python-dotenv', 'compose', 'shell'];
/** The environment every reader sees: one variable set, HOME for `~`. */
const ENV: Values = { KS_SET: 'X', HOME: '/home/ks' };

const detect = (...files: [string, string][]): string[] => detectReaders(files.map(([path, text]): ProjectFile => ({ path, text }))).map((r) => `${r.id}: ${r.because}`);
const mismatches = (text: string, readers: readonly OtherReaderId[]): Finding[] =>
  analyzeEnv({ text, fileName: '.env', readers }).filter((f) => f.code === 'reader-mismatch');

describe('detectReaders', () => {
  it('finds dotenv-expand through the packages that run it', () => {
    for (const dep of ['next', 'vite', 'nuxt', '@nestjs/config', 'dotenv-expand', 'react-scripts']) {
      for (const field of ['dependencies', 'devDependencies']) {
        assert.deepEqual(detect(['apps/web/package.json', JSON.stringify({ [field]: { [dep]: '1' } })]), [`dotenv-expand: apps/web/package.json depends on ${dep}`]);
      }
    }
    assert.deepEqual(detect(['package.json', JSON.stringify({ dependencies: { 'next-auth': '1', dotenv: '16', vitest: '1' } })]), []);
    assert.deepEqual(detect(['package.json', '{ not json']), []);
    assert.deepEqual(detect(['package.json', '"next"']), []);
    assert.deepEqual(detect(['vendor.json', JSON.stringify({ dependencies: { next: '1' } })]), [], 'only package.json files count');
  });

  it('finds python-dotenv and django-environ in requirements, pyproject and Pipfile', () => {
    assert.deepEqual(detect(['requirements.txt', 'Django==5.1\npython-dotenv==1.0.1\n']), ['python-dotenv: requirements.txt lists python-dotenv']);
    assert.deepEqual(detect(['requirements-dev.txt', 'python_dotenv>=1 ; python_version>"3.8"\n']), ['python-dotenv: requirements-dev.txt lists python-dotenv']);
    assert.deepEqual(detect(['requirements/base.txt', 'django-environ\n']), ['python-dotenv: requirements/base.txt lists django-environ']);
    assert.deepEqual(detect(['pyproject.toml', '[project]\ndependencies = ["fastapi", "python-dotenv>=1.0"]\n']), ['python-dotenv: pyproject.toml lists python-dotenv']);
    assert.deepEqual(detect(['pyproject.toml', '[tool.poetry.dependencies]\npython-dotenv = "^1.0"\n']), ['python-dotenv: pyproject.toml lists python-dotenv']);
    assert.deepEqual(detect(['Pipfile', '[packages]\nDjango-Environ = "*"\n']), ['python-dotenv: Pipfile lists django-environ']);
    assert.deepEqual(detect(['requirements.txt', '# python-dotenv==1.0\nflask\n']), [], 'a commented-out requirement');
    assert.deepEqual(detect(['requirements.txt', 'python-dotenv-vault\n']), [], 'another package');
    assert.deepEqual(detect(['setup.txt', 'python-dotenv\n']), []);
  });

  it('finds compose files that use env_file or interpolate', () => {
    assert.deepEqual(detect(['docker-compose.yml', 'services:\n  web:\n    env_file: .env\n']), ['compose: docker-compose.yml uses env_file']);
    assert.deepEqual(detect(['deploy/compose.yaml', 'services:\n  web:\n    env_file:\n      - path: .env\n']), ['compose: deploy/compose.yaml uses env_file']);
    assert.deepEqual(detect(['compose.yml', 'services:\n  db:\n    image: postgres:${PG_VERSION:-16}\n']), ['compose: compose.yml interpolates variables']);
    assert.deepEqual(detect(['docker-compose.override.yml', 'services:\n  db:\n    environment:\n      PASSWORD: $DB_PASSWORD\n']), ['compose: docker-compose.override.yml interpolates variables']);
    assert.deepEqual(detect(['compose.yml', 'services:\n  web:\n    command: echo $$HOME\n    # env_file: .env\n']), [], '$$ is a literal dollar; comments do not count');
  });

  it('finds shell scripts that source a .env file', () => {
    for (const line of ['. ./.env', 'source .env', 'set -a; . "$ROOT/.env.local"; set +a', '  source ../.env', '[ -f .env ] && . ./.env', 'source "${DIR}/prod.env"', 'export $(cat .env | xargs)', "export $(grep -v '^#' .env.production | xargs)"]) {
      assert.deepEqual(detect(['scripts/dev.sh', `#!/bin/sh\n${line}\nexec node server.js\n`]), ['shell: scripts/dev.sh sources a .env file'], line);
    }
    assert.deepEqual(detect(['.envrc', 'dotenv\nsource_up\n. .env\n']), ['shell: .envrc sources a .env file']);
    for (const line of ['# . ./.env', 'source venv/bin/activate', 'cp .env.example .env', 'echo "see .env"', '. ./.environment']) {
      assert.deepEqual(detect(['run.sh', `${line}\n`]), [], line);
    }
    assert.deepEqual(detect(['notes.txt', '. ./.env\n']), []);
  });

  it('lists readers once, in a fixed order, with the first file that showed each', () => {
    const found = detectReaders([
      { path: 'run.sh', text: '. ./.env\n' },
      { path: 'requirements.txt', text: 'python-dotenv\n' },
      { path: 'web/package.json', text: '{"dependencies":{"vite":"5"}}' },
      { path: 'package.json', text: '{"dependencies":{"next":"14"}}' },
    ]);
    assert.deepEqual(found.map((r) => r.id), ['dotenv-expand', 'python-dotenv', 'shell']);
    assert.equal(found[0]!.because, 'web/package.json depends on vite');
  });

  it('knows which files it reads', () => {
    for (const p of ['package.json', 'a/b/package.json', 'requirements.txt', 'requirements-dev.txt', 'requirements/prod.txt', 'pyproject.toml', 'Pipfile', 'docker-compose.yml', 'compose.yaml', 'docker-compose.prod.yaml', 'bin/x.sh', 'x.bash', '.envrc']) {
      assert.ok(readerFileKind(p) !== undefined, p);
    }
    for (const p of ['Pipfile.lock', 'package-lock.json', 'compose.json', 'x.shx', 'README.md']) assert.equal(readerFileKind(p), undefined, p);
  });

  it('keysmith.readers overrides detection; an empty list means detect', () => {
    assert.equal(readersFromSetting([]), undefined);
    assert.equal(readersFromSetting(undefined), undefined);
    assert.equal(readersFromSetting(['nonsense']), undefined);
    assert.deepEqual(readersFromSetting(['shell', 'dotenv', 'bogus'])!.map((r) => r.id), ['dotenv', 'shell']);
    assert.deepEqual(otherReaders(readersFromSetting(['dotenv'])!), [], 'dotenv alone: node dotenv only');
  });
});

describe('reader-mismatch', () => {
  const NASTY = 'A=abc#def\nB= # note\nC=a b\nD=$HOME/x\nE=${A}\nF=a;b\nG=`x`\nH=~/x\n';

  it('is quiet with no reader but node dotenv (the findings are those of before)', () => {
    assert.deepEqual(mismatches(NASTY, []), []);
    const before = analyzeEnv({ text: NASTY, fileName: '.env' });
    assert.deepEqual(analyzeEnv({ text: NASTY, fileName: '.env', readers: [] }), before);
    assert.ok(before.some((f) => f.code === 'syntax' && f.reason === 'inline-hash'));
  });

  it('names the readers, gives a hint for references to keys of the file, never shows a value', () => {
    const secret = 'Zq8$Kx9vTqLm#Pw3Rn7';
    const text = `PASSWORD=${secret}\nBASE=/srv\nDATA=\${BASE}/data\nMIXED=$BASE/$UNSET_ONE\n`;
    const fs = mismatches(text, ['dotenv-expand', 'python-dotenv']);
    const byKey = (k: string) => fs.filter((f) => f.key === k);
    assert.equal(byKey('DATA')[0]?.severity, 'hint');
    assert.equal(byKey('DATA')[0]?.reason, 'expansion-local');
    assert.match(byKey('DATA')[0]!.message, /dotenv-expand and python-dotenv/);
    assert.match(byKey('DATA')[0]!.message, /\(BASE\)/);
    assert.equal(byKey('MIXED')[0]?.severity, 'warning', 'a reference to a key not in the file');
    const later = mismatches('EARLY=${LATE}/x\nLATE=/srv\nSELF=$SELF:/x\n', ['dotenv-expand', 'python-dotenv', 'shell']);
    assert.deepEqual(later.map((f) => `${f.key}:${f.severity}`), ['EARLY:warning', 'SELF:warning'], 'the readers resolve only from the lines above');
    assert.match(byKey('MIXED')[0]!.message, /^MIXED's value has a \$ reference that dotenv-expand expands/, 'python-dotenv does not expand $NAME');
    const pw = byKey('PASSWORD');
    assert.deepEqual(pw.map((f) => f.reason).sort(), ['expansion', 'hash']);
    for (const f of fs) for (const piece of ['Kx9v', 'Pw3R', 'Zq8', '/srv', 'UNSET_ONE']) assert.ok(!f.message.includes(piece), `${f.reason} message shows a piece of a value`);
  });

  it('reports each difference only for the readers that have it', () => {
    const reasons = (text: string, readers: readonly OtherReaderId[]) => mismatches(text, readers).map((f) => f.reason);
    assert.deepEqual(reasons('A=abc#def\n', ['dotenv-expand']), [], 'dotenv-expand reads # as dotenv does');
    assert.deepEqual(reasons('A=abc#def\n', ['compose']), ['hash']);
    assert.deepEqual(reasons('B= # note\n', ['shell']), [], 'a shell reads the comment as a comment');
    assert.deepEqual(reasons('B= # note\n', ['python-dotenv']), ['comment-as-value']);
    assert.deepEqual(reasons('C=a b\n', ['python-dotenv', 'compose', 'dotenv-expand']), []);
    assert.deepEqual(reasons('C=a b\n', ['shell']), ['space']);
    assert.deepEqual(reasons("D='$HOME'\n", ['shell', 'compose']), [], 'single quotes keep $ for a shell and compose');
    assert.deepEqual(reasons("D='${HOME}'\n", ['python-dotenv']), ['expansion'], 'python-dotenv expands ${} even in single quotes');
    assert.deepEqual(reasons('D="a\\$b"\n', ['shell']), ['shell-metachar']);
    assert.deepEqual(reasons('G=`x`\n', ['dotenv-expand']), []);
    assert.deepEqual(reasons('G=`x`\n', ['python-dotenv']), ['backtick']);
    assert.deepEqual(reasons('H=x*y?[z]{a,b}!\n', ['shell']), [], 'no globbing or brace expansion in an assignment');
  });

  it('replaces the syntax findings it says more about', () => {
    const codes = (readers: readonly OtherReaderId[]) => analyzeEnv({ text: 'A=abc#def\nC=a b\n', fileName: '.env', readers }).map((f) => `${f.code}:${f.reason}`);
    assert.deepEqual(codes([]), ['syntax:inline-hash', 'syntax:unquoted-space']);
    assert.deepEqual(codes(['python-dotenv']), ['reader-mismatch:hash', 'syntax:unquoted-space']);
    assert.deepEqual(codes(['shell']), ['reader-mismatch:hash', 'reader-mismatch:space']);
    const off = analyzeEnv({ text: 'A=abc#def\n', fileName: '.env', readers: ['shell'] }, { disabled: ['reader-mismatch'], severities: {}, secretPatterns: [], placeholders: [] });
    assert.deepEqual(off.map((f) => `${f.code}:${f.reason}`), ['syntax:inline-hash'], 'with the rule off, syntax reports it again');
  });

  it('honours keysmith-ignore and severity settings', () => {
    assert.deepEqual(mismatches('# keysmith-ignore: reader-mismatch\nA=a;b\n', ['shell']), []);
    const fs = analyzeEnv({ text: 'A=a;b\n', fileName: '.env', readers: ['shell'] }, { disabled: [], severities: { 'reader-mismatch': 'error' }, secretPatterns: [], placeholders: [] });
    assert.equal(fs[0]?.severity, 'error');
  });

  it('offers single quotes for $ only where no detected reader expands inside them', () => {
    assert.equal(literalValueText('p$ss', ['shell', 'compose']), "'p$ss'");
    assert.equal(literalValueText('p$ss', ['python-dotenv']), "'p$ss'");
    assert.equal(literalValueText('p${ss}', ['python-dotenv']), null);
    assert.equal(literalValueText('p$ss', ['dotenv-expand']), null);
    assert.equal(literalValueText("it's $x", ['shell']), null);
    assert.equal(literalValueText('a b', ['shell']), "'a b'");
    assert.equal(literalValueText('abc', ['shell']), 'abc');
  });
});

// ---------------------------------------------------------------------------------------------
// The differential against the real readers

/** Values as written after `K=`, one per file. */
const CORPUS = [
  'abc', 'abc#def', 'abc#def # note', '#x', ' # note', 'a b', 'a b # note', 'a  b', 'a\tb', '$KS_SET', '${KS_SET}', '$KS_UNSET', '${KS_UNSET}x',
  "'$KS_SET'", "'${KS_SET}'", '"$KS_SET"', '"${KS_SET}"', 'x$', 'a$1', 'a$$b', 'a\\$KS_SET', 'a;b', 'a&b', 'a|b', '(x)', 'a<b', 'a>out', '~/x',
  'a:~/x', 'x~', '`x`', '`$KS_SET`', '"a b"', "'a b'", '"a#b"', "'a#b'", 'x*y', 'p@ss:w/rd%+=,.-', 'a=b', '"a\\tb"', '"a\\\\b"', '"a\\nb"',
  '"a`x`b"', 'a"b', "it's", '"it\'s"', "'say \"hi\"'", 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'Tr0ub4dor#3xK9pLmQ2vZwY', "'Tr0ub4dor#3'", 'x!y', '{a,b}',
];

interface Reading {
  dotenv: Values;
  'dotenv-expand'?: Values;
  'python-dotenv'?: Values;
  compose: Values;
  /** One reading per shell (dash, bash). */
  shell?: Values[];
}

let dir = '';
let pythons: Python[] = [];
const shells = ['dash', 'bash'].filter(hasShell);

function shellRead(shell: string, files: readonly string[]): Values[] {
  const script = 'for f; do ( set -a; . "$f" >/dev/null 2>&1 || exit 97; printf "%s\\000" "${K-<unset>}" ); printf "\\001%d\\000" $?; done';
  const r = spawnSync(shell, ['-c', script, shell, ...files], { cwd: dir, env: { PATH: '/usr/bin:/bin', ...ENV }, encoding: 'utf8' });
  const out: Values[] = [];
  let cur: string | undefined;
  for (const part of r.stdout.split('\0')) {
    if (part.startsWith('\u0001')) {
      out.push(part === '\u00010' && cur !== undefined ? { K: cur } : { K: '<error>' });
      cur = undefined;
    } else if (part !== '') cur = part;
    else if (cur === undefined) cur = '';
  }
  assert.equal(out.length, files.length, `${shell} read ${out.length} of ${files.length} files`);
  return out;
}

const PY_READ = `
import json, os, sys
from dotenv import dotenv_values
print(json.dumps([dotenv_values(p).get('K', '<unset>') for p in sys.argv[1:]]))
`;

function pythonRead(py: Python, files: readonly string[]): Values[] {
  const r = spawnSync(py.exe, ['-c', PY_READ, ...files], { encoding: 'utf8', env: { ...process.env, ...ENV } });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as (string | null)[]).map((v) => ({ K: v ?? '<None>' }));
}

function expandRead(text: string): Values {
  const { expand } = require('dotenv-expand') as { expand: (o: { parsed: Values; processEnv: Values }) => { parsed?: Values } };
  return { ...expand({ parsed: { ...readDotenv(text) }, processEnv: { ...ENV } }).parsed };
}

function composeRead(text: string): Values {
  try {
    return composeParse(text, ENV);
  } catch {
    return { K: '<error>' };
  }
}

/** Every reader's reading of each text (K only). */
function readAll(texts: readonly string[], tag: string): Reading[] {
  const files = texts.map((t, i) => {
    const f = join(dir, `${tag}-${i}.env`);
    writeFileSync(f, t);
    return f;
  });
  const py = pythons.length > 0 ? pythonRead(pythons[0]!, files) : undefined;
  const sh = shells.length > 0 ? shells.map((s) => shellRead(s, files)) : undefined;
  return texts.map((t, i) => {
    const r: Reading = { dotenv: readDotenv(t), compose: composeRead(t) };
    if (hasModule('dotenv-expand')) r['dotenv-expand'] = expandRead(t);
    if (py) r['python-dotenv'] = py[i]!;
    if (sh) r.shell = sh.map((x) => x[i]!);
    return r;
  });
}

function skipMissing(t: TestContext): void {
  const missing: string[] = [];
  if (!hasModule('dotenv-expand')) missing.push('dotenv-expand (npm package)');
  if (pythons.length === 0) missing.push('python-dotenv (no python3 with it)');
  if (shells.length === 0) missing.push('dash and bash');
  if (missing.length > 0) t.skip(`missing readers: ${missing.join(', ')}`);
}

describe('reader-mismatch against the real readers', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'keysmith-readers-'));
    pythons = findPythons().found;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a value for reader R exactly when R reads it differently from node dotenv', (t) => {
    skipMissing(t);
    const texts = CORPUS.map((v) => `K=${v}\n`);
    const readings = readAll(texts, 'diff');
    const problems: string[] = [];
    let differing = 0;
    texts.forEach((text, i) => {
      const r = readings[i]!;
      const base = r.dotenv['K'] ?? '<unset>';
      for (const reader of OTHERS) {
        // A shell differs when dash or bash does (bash reads `K=(x)` as an array, dash fails).
        const gots = reader === 'shell' ? (r.shell ?? []).map((v) => v['K'] ?? '<unset>') : [r[reader]?.['K'] ?? '<unset>'];
        const got = gots.find((g) => g !== base) ?? base;
        const differs = got !== base;
        if (differs) differing++;
        const flagged = mismatches(text, [reader]).some((f) => f.key === 'K');
        if (differs !== flagged) problems.push(`${reader} ${JSON.stringify(text.trim())}: reads ${JSON.stringify(got)} vs dotenv ${JSON.stringify(base)}, ${flagged ? 'flagged' : 'not flagged'}`);
      }
    });
    assert.deepEqual(problems, []);
    assert.ok(differing >= 40, `the corpus exercises the differences (${differing})`);
  });

  it('every quick fix makes node dotenv and every detected reader read the intended value', (t) => {
    skipMissing(t);
    const sets: OtherReaderId[][] = [['shell'], ['python-dotenv'], ['compose'], ['dotenv-expand'], ['python-dotenv', 'compose', 'shell'], [...OTHERS]];
    const fixed: { text: string; readers: OtherReaderId[]; intended: string }[] = [];
    const before = readAll(CORPUS.map((v) => `K=${v}\n`), 'orig');
    CORPUS.forEach((v, i) => {
      const text = `K=${v}\n`;
      for (const readers of sets) {
        const f = mismatches(text, readers).find((x) => x.fix?.kind === 'quote-value');
        if (f === undefined) continue;
        const doc = parseEnv(text);
        const edit = readerFixEdit(doc, doc.entries[0]!, readers);
        assert.ok(edit !== null, `a fix was offered for ${JSON.stringify(text)}`);
        // What the writer meant: python-dotenv's reading of a '#' dotenv cuts at; otherwise dotenv's.
        const intended = f.reason === 'hash' ? before[i]!['python-dotenv']!['K']! : before[i]!.dotenv['K']!;
        fixed.push({ text: applyEdits(text, [edit]), readers, intended });
      }
    });
    assert.ok(fixed.length >= 30, `fixes checked: ${fixed.length}`);
    const after = readAll(fixed.map((f) => f.text), 'fixed');
    const problems: string[] = [];
    fixed.forEach((f, i) => {
      const r = after[i]!;
      for (const reader of ['dotenv', ...f.readers] as const) {
        const gots = reader === 'shell' ? (r.shell ?? []).map((v) => v['K']) : [r[reader]?.['K']];
        for (const got of gots) {
          if (got !== f.intended) problems.push(`${reader} reads ${JSON.stringify(f.text.trim())} as ${JSON.stringify(got)}, not ${JSON.stringify(f.intended)}`);
        }
      }
      const again = mismatches(f.text, f.readers);
      if (again.length > 0) problems.push(`${JSON.stringify(f.text.trim())} still has ${again.map((x) => x.reason).join(', ')} for ${f.readers.join(', ')}`);
    });
    assert.deepEqual(problems, []);
  });
});

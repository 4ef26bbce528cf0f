// Golden test: analyzeEnv on the realistic files of fixtures/rules/, against expected.json.
// KEYSMITH_UPDATE_FIXTURES=1 rewrites expected.json (review the diff).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from '../../src/core/envdoc.ts';
import { analyzeEnv, type AnalyzeInput, type GitStatus } from '../../src/core/rules.ts';

const dir = new URL('./fixtures/rules/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');

interface Case {
  file: string;
  fileName: string;
  git?: GitStatus;
  counterpart?: { role: 'example' | 'source'; file: string; name: string };
  isDjangoProject?: boolean;
}

const cases = JSON.parse(read('cases.json')) as Case[];

function run(c: Case): string[] {
  const text = read(c.file);
  const input: AnalyzeInput = {
    text,
    fileName: c.fileName,
    ...(c.git ? { git: c.git } : {}),
    ...(c.counterpart ? { counterpart: { role: c.counterpart.role, name: c.counterpart.name, keys: parseEnv(read(c.counterpart.file)).entries.map((e) => e.key) } } : {}),
    ...(c.isDjangoProject ? { isDjangoProject: true } : {}),
  };
  const values = parseEnv(text).entries.map((e) => e.value).filter((v) => v.length >= 8);
  return analyzeEnv(input).map((f) => {
    for (const v of values) assert.ok(!f.message.includes(v), `${f.code} on line ${f.line + 1} quotes a value`);
    const fix = f.fix ? ` fix=${f.fix.kind}${f.fix.kind === 'regenerate' ? `:${f.fix.format}` : ''}` : '';
    return `${f.line + 1}:${f.start - lineStart(text, f.line) + 1} ${f.severity} ${f.code}${f.reason ? `[${f.reason}]` : ''}${fix} ${f.message}`;
  });
}

function lineStart(text: string, line: number): number {
  let l = 0;
  for (let i = 0; i < text.length && l < line; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) {
      l++;
      if (l === line) return i + 1;
    }
  }
  return 0;
}

describe('rules fixtures', () => {
  const actual: Record<string, string[]> = {};
  for (const c of cases) actual[`${c.file} as ${c.fileName}`] = run(c);
  if (process.env['KEYSMITH_UPDATE_FIXTURES'] === '1') writeFileSync(new URL('expected.json', dir), JSON.stringify(actual, null, 2) + '\n');
  const expected = JSON.parse(read('expected.json')) as Record<string, string[]>;
  for (const name of Object.keys(actual)) {
    it(name, () => assert.deepEqual(actual[name], expected[name]));
  }
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as dotenvParse } from 'dotenv';
import {
  effectiveObject,
  effectiveValues,
  envKeyKind,
  findEntries,
  isDotenvKey,
  isValidEnvKey,
  nodeAt,
  parseEnv,
  printEnv,
  winningEntry,
  type EnvDocument,
  type EnvEntry,
} from '../../src/core/envdoc.ts';
import { checkDocument, corpus, FIXTURE_DIR } from './fixtures/envdoc/support.ts';

function entry(doc: EnvDocument, key: string, nth = 0): EnvEntry {
  const e = findEntries(doc, key)[nth];
  assert.ok(e, `entry ${key}`);
  return e;
}

function kinds(text: string): string[] {
  return parseEnv(text).problems.map((p) => p.kind);
}

describe('parseEnv: lossless round trip', () => {
  const samples = [
    '',
    '\uFEFF',
    '\n',
    '\r\n',
    '\r',
    '\r\r\n\n',
    'A=1',
    'A=1\n',
    'A=1\r\nB=2\r\n',
    'A=1\rB=2\r',
    'A=1\nB=2\r\nC=3\rD=4',
    '\uFEFFA=1\n',
    '  A = 1  \n\t B\t=\t2\t',
    'export A=1\nexport\tB="2"\n',
    '# comment\n\n   \n#\nA=1 # inline\n',
    "S='single'\nD=\"double\"\nB=`back`\n",
    'M="line 1\nline 2\r\nline 3"\n',
    'A==b=c',
    'A="unterminated\nB=2',
    'garbage line\n=\n: \n',
    'A=1\u2028B=2\u2029C=3',
    '\0\uD800\uDFFF\uDC00',
  ];
  for (const t of samples) {
    it(JSON.stringify(t), () => {
      checkDocument(t);
    });
  }
});

describe('parseEnv: entries and ranges', () => {
  it('records key, raw value, comment and line ranges', () => {
    const t = '# header\n  export API_KEY = "abc def"   # the key\r\nNEXT=1';
    const doc = checkDocument(t);
    const e = entry(doc, 'API_KEY');
    assert.equal(e.value, 'abc def');
    assert.equal(e.quote, '"');
    assert.equal(e.exported, true);
    assert.equal(t.slice(e.exportStart, e.exportStart + 6), 'export');
    assert.equal(t.slice(e.keyStart, e.keyEnd), 'API_KEY');
    assert.equal(t.slice(e.valueStart, e.valueEnd), '"abc def"');
    assert.equal(t.slice(e.commentStart, e.lineEnd), '# the key');
    assert.equal(t.slice(e.lineStart, e.lineEnd), '  export API_KEY = "abc def"   # the key');
    assert.equal(t.slice(e.lineEnd, e.terminatorEnd), '\r\n');
    assert.equal(e.separator, '=');
    assert.equal(t[e.separatorStart], '=');
    assert.equal(e.line, 1);
    assert.equal(e.endLine, 1);
    const next = entry(doc, 'NEXT');
    assert.equal(next.line, 2);
    assert.equal(next.lineEnd, t.length);
    assert.equal(next.terminatorEnd, t.length);
  });

  it('excludes trailing whitespace and the inline comment from an unquoted value', () => {
    const t = 'URL=https://x.test/?a=1   # endpoint\n';
    const e = entry(checkDocument(t), 'URL');
    assert.equal(t.slice(e.valueStart, e.valueEnd), 'https://x.test/?a=1');
    assert.equal(e.quote, null);
  });

  it('places an empty value right after the separator', () => {
    const t = 'EMPTY=\nCOLON: \n';
    const doc = checkDocument(t);
    const a = entry(doc, 'EMPTY');
    assert.equal(a.valueStart, a.valueEnd);
    assert.equal(a.valueStart, t.indexOf('=') + 1);
    const b = entry(doc, 'COLON');
    assert.equal(b.value, '');
    assert.equal(b.separator, ':');
  });

  it('spans multi-line quoted values, counting CRLF, CR and LF as editor lines', () => {
    const t = 'A=1\nPEM="-----BEGIN-----\r\nabc\rdef\n-----END-----"\nB=2\n';
    const doc = checkDocument(t);
    const pem = entry(doc, 'PEM');
    assert.equal(pem.value, '-----BEGIN-----\nabc\ndef\n-----END-----');
    assert.equal(pem.line, 1);
    assert.equal(pem.endLine, 4);
    assert.equal(entry(doc, 'B').line, 5);
    assert.equal(doc.lineCount, 7);
  });

  it('does not count U+2028/U+2029 as editor lines but splits nodes at them like dotenv', () => {
    const t = '# note\u2028HIDDEN=1\nA=2';
    const doc = checkDocument(t);
    assert.equal(doc.nodes.length, 3);
    assert.equal(entry(doc, 'HIDDEN').line, 0);
    assert.equal(entry(doc, 'A').line, 1);
    assert.deepEqual(kinds(t), ['unusual-line-break']);
  });

  it('keeps a BOM as leading whitespace of the first line', () => {
    const doc = checkDocument('\uFEFFKEY=v\n');
    assert.equal(doc.bom, true);
    assert.equal(entry(doc, 'KEY').keyStart, 1);
    assert.equal(entry(doc, 'KEY').lineStart, 0);
  });

  it('reports the dominant line ending and final newline', () => {
    assert.equal(parseEnv('A=1\r\nB=2\r\nC=3\n').eol, '\r\n');
    assert.equal(parseEnv('A=1\nB=2\r\n').eol, '\n');
    assert.equal(parseEnv('A=1\rB=2\r').eol, '\r');
    assert.equal(parseEnv('A=1').eol, '\n');
    assert.equal(parseEnv('A=1').endsWithNewline, false);
    assert.equal(parseEnv('A=1\r').endsWithNewline, true);
    assert.equal(parseEnv('A=1\u2028').endsWithNewline, false);
  });

  it('classifies nodes', () => {
    const doc = checkDocument('A=1\n\n  # c\nnope\n');
    assert.deepEqual(doc.nodes.map((n) => n.type), ['entry', 'blank', 'comment', 'invalid']);
  });

  it('finds nodes by offset, entries by key and the winning occurrence', () => {
    const t = 'A=1\nB=2\nA=3\n';
    const doc = checkDocument(t);
    assert.equal(nodeAt(doc, 0), doc.nodes[0]);
    assert.equal(nodeAt(doc, 3), doc.nodes[0], 'a terminator belongs to its line');
    assert.equal(nodeAt(doc, 4), doc.nodes[1]);
    assert.equal(nodeAt(doc, t.length), undefined);
    assert.deepEqual(findEntries(doc, 'A').map((e) => e.value), ['1', '3']);
    assert.equal(winningEntry(doc, 'A')?.value, '3');
    assert.equal(winningEntry(doc, 'Z'), undefined);
  });

  it('never throws on non-string input coerced by callers', () => {
    assert.equal(parseEnv(undefined as unknown as string).text, '');
  });
});

describe('parseEnv: dotenv semantics and quirks', () => {
  // [text, key, value dotenv gives]
  const cases: Array<[string, string, string | undefined]> = [
    ['A=hello world', 'A', 'hello world'],
    ['A= spaced out ', 'A', 'spaced out'],
    ['A=abc#def', 'A', 'abc'],
    ['A=abc #def', 'A', 'abc'],
    ['A="abc#def"', 'A', 'abc#def'],
    ['A=#', 'A', ''],
    ['A="a\\nb"', 'A', 'a\nb'],
    ["A='a\\nb'", 'A', 'a\\nb'],
    ['A=`a\\nb`', 'A', 'a\\nb'],
    ['A=a\\nb', 'A', 'a\\nb'],
    ['A="a\\\\nb"', 'A', 'a\\\nb'],
    ['A="say \\"hi\\""', 'A', 'say \\"hi\\"'],
    ["A='x' b", 'A', "'x' b"],
    ['A="x" "y"', 'A', 'x" "y'],
    ['A="x"y"', 'A', 'x"y'],
    ['A="unclosed', 'A', '"unclosed'],
    ['A="unclosed\\n', 'A', '"unclosed\n'],
    ["A='open\nB='", 'A', 'open\nB='],
    ["A='open\nB='", 'B', undefined],
    ['A="a\\"', 'A', 'a\\'],
    ['KEY\n=value', 'KEY', 'value'],
    ['KEY:\nvalue', 'KEY', 'value'],
    ['KEY:\nB=1', 'KEY', 'B=1'],
    ['KEY=\n"quoted"', 'KEY', 'quoted'],
    ['KEY=\n\nB=1', 'KEY', ''],
    ['KEY: v', 'KEY', 'v'],
    ['KEY:v', 'KEY', undefined],
    ['export KEY=v', 'KEY', 'v'],
    ['export\nKEY=v', 'KEY', 'v'],
    ['export =v', 'export', 'v'],
    ['export KEY v', 'KEY', undefined],
    ['a.b-c=1', 'a.b-c', '1'],
    ['MY KEY=1', 'MY KEY', undefined],
    ['__proto__=x', '__proto__', undefined],
    ['constructor=x', 'constructor', 'x'],
    ['A=1\nA=2', 'A', '2'],
    ['A=\u00a0x\u00a0', 'A', 'x'],
    ['\uFEFFA=1', 'A', '1'],
    ['A=1\r\nB="x\r\ny"', 'B', 'x\ny'],
    ['A="x\ry"', 'A', 'x\ny'],
    ['A=1\u2028B=2', 'A', '1\u2028B=2'],
    ["A='a'\u2028'b'", 'A', 'a'],
    ["A=x\u2028'b'", 'A', 'x\u2028b'],
    ['# c\u2029B=2', 'B', '2'],
  ];
  for (const [text, key, value] of cases) {
    it(`${JSON.stringify(text)} -> ${key}=${JSON.stringify(value)}`, () => {
      const doc = checkDocument(text);
      const parsed = dotenvParse(text);
      assert.equal(Object.hasOwn(parsed, key) ? parsed[key] : undefined, value, 'the case documents dotenv itself');
      assert.equal(effectiveValues(doc).get(key), value);
      const object = effectiveObject(doc);
      assert.deepStrictEqual(object, parsed);
      assert.deepStrictEqual(Object.keys(object), Object.keys(parsed));
    });
  }

  it('marks only the last occurrence of a key as winning, and none for __proto__', () => {
    const doc = checkDocument('A=1\n__proto__=x\nA=2\nB=3\nA=4\n');
    assert.deepEqual(doc.entries.map((e) => e.wins), [false, false, false, true, true]);
    assert.deepEqual([...effectiveValues(doc)], [['A', '4'], ['B', '3']]);
    assert.deepStrictEqual(Object.entries(effectiveObject(doc)), [['A', '4'], ['B', '3']]);
    assert.deepStrictEqual(effectiveObject(parseEnv('__proto__=x\n')), {});
  });
});

describe('parseEnv: problems', () => {
  const cases: Array<[string, string[]]> = [
    ['A=1\nB="two"\n# fine\n', []],
    ['just words\n', ['no-equals']],
    ['=value\n', ['invalid-key']],
    ['MY KEY=1\n', ['invalid-key']],
    ['A="abc\n', ['unterminated-quote']],
    ["A='x' b\n", ['text-after-quote']],
    ["A='x\nB=2\nC='\n", ['swallowed-lines']],
    ['PEM="-----BEGIN-----\nQUJD==\nREVG=\n-----END-----"\n', []],
    ['KEY\n=v\n', ['equals-on-next-line']],
    ['KEY=\n"v"\n', ['value-on-next-line']],
    ['KEY:\nv\n', ['colon-separator', 'value-on-next-line']],
    ['A=pa#ss\n', ['inline-hash']],
    ['A=pass # comment\n', []],
    ['A=two words\n', ['unquoted-space']],
    ['A="a\\tb"\n', ['unsupported-escape']],
    ['A="a\\"\nB=1\n', ['escaped-closing-quote']],
    ['A="a\\nb\\r"\n', []],
    ["A='it\\'s'\n", ['unsupported-escape']],
    ['A: b\n', ['colon-separator']],
    ['a.b=1\n', ['nonportable-key']],
    ['A=1\nA=2\n', ['duplicate-key']],
    ['__proto__=1\n', ['ignored-key']],
    ['A=1\u2028B=2\n', ['unquoted-space', 'unusual-line-break']],
    ['# x\u2028B=2\n', ['unusual-line-break']],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} -> ${expected.join(', ') || 'none'}`, () => {
      assert.deepEqual(checkDocument(text).problems.map((p) => p.kind), expected);
    });
  }

  it('locates problems and names keys, never values', () => {
    const t = 'OK=1\nDUP=s3cr3t-one\nDUP="s3cr3t two\nTOKEN=s3cr3t#tail\nPASS=s3cr3t value\nX=\'s3cr3t\' y\n';
    const doc = checkDocument(t);
    assert.ok(doc.problems.length >= 4);
    for (const p of doc.problems) {
      assert.ok(!p.message.includes('s3cr3t'), p.message);
      assert.ok(p.key === undefined || t.slice(p.start, p.end).length > 0);
    }
    const dup = doc.problems.find((p) => p.kind === 'duplicate-key')!;
    assert.equal(dup.key, 'DUP');
    assert.equal(dup.line, 1);
    assert.equal(t.slice(dup.start, dup.end), 'DUP');
    assert.match(dup.message, /line 3/);
    const hash = doc.problems.find((p) => p.kind === 'inline-hash')!;
    assert.equal(t.slice(hash.start, hash.end), '#tail');
  });

  it('does not quote the content of ignored lines in messages', () => {
    const doc = checkDocument('hunter2\nmy secret=hunter2\n');
    for (const p of doc.problems) assert.ok(!p.message.includes('hunter2') && !p.message.includes('secret'));
  });
});

describe('key validation', () => {
  it('isValidEnvKey is POSIX-ish', () => {
    for (const k of ['A', '_', 'a_b', 'A1', '_1']) assert.equal(isValidEnvKey(k), true, k);
    for (const k of ['', '1A', 'a.b', 'a-b', 'A B', 'É', 'A=']) assert.equal(isValidEnvKey(k), false, k);
  });
  it('isDotenvKey matches what dotenv accepts ([\\w.-]+)', () => {
    for (const k of ['A', '1A', 'a.b', 'a-b', '-', '.']) {
      assert.equal(isDotenvKey(k), true, k);
      assert.equal(dotenvParse(`${k}=v`)[k], 'v');
    }
    for (const k of ['', 'A B', 'É', 'A=', 'a:b', '$A']) assert.equal(isDotenvKey(k), false, k);
  });
  it('envKeyKind', () => {
    assert.equal(envKeyKind('API_KEY'), 'posix');
    assert.equal(envKeyKind('api.key'), 'dotenv');
    assert.equal(envKeyKind('api key'), 'invalid');
  });
});

describe('hand-written corpus (test/unit/fixtures/envdoc)', () => {
  const expected = JSON.parse(readFileSync(new URL('expected-problems.json', FIXTURE_DIR), 'utf8')) as Record<string, string[]>;
  const files = corpus();
  it('has every file listed in expected-problems.json', () => {
    assert.deepEqual([...files.keys()].sort(), Object.keys(expected).sort());
  });
  for (const [name, text] of files) {
    it(`${name}: round-trips, matches dotenv, flags the expected problems`, () => {
      const doc = checkDocument(text);
      const got = doc.problems.map((p) => `${p.line + 1}:${p.kind}${p.key !== undefined ? ':' + p.key : ''}`);
      assert.deepEqual(got, expected[name]);
    });
  }
  it('reads the corpus the way its comments say', () => {
    const q = parseEnv(files.get('quirks.env')!);
    assert.equal(effectiveValues(q).get('SPLIT_KEY'), 'joined across lines');
    assert.equal(effectiveValues(q).get('VALUE_BELOW'), 'quoted value on the next line');
    assert.equal(effectiveValues(q).get('DUP'), 'third');
    const u = parseEnv(files.get('unterminated.env')!);
    assert.equal(effectiveValues(u).has('OTHER'), false, 'swallowed by SWALLOW');
    assert.equal(effectiveValues(u).get('UNCLOSED'), '"never closed');
    const m = parseEnv(files.get('multiline.env')!);
    assert.ok(effectiveValues(m).get('PRIVATE_KEY')!.endsWith('-----END RSA PRIVATE KEY-----'));
    const c = parseEnv(files.get('crlf.env')!);
    assert.equal(c.bom, true);
    assert.equal(c.eol, '\r\n');
    assert.equal(c.endsWithNewline, false);
  });
});

describe('scale', () => {
  it('parses a million lines without stack overflow (linear structures only)', () => {
    const parts: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const m = i % 10;
      parts.push(m === 0 ? '# comment' : m === 1 ? '' : m === 2 ? `export K${i}="v ${i}"` : m === 3 ? `K${i}='x'` : `K${i}=value${i} # c`);
    }
    const t = parts.join('\n');
    const doc = parseEnv(t);
    assert.equal(doc.nodes.length, 1_000_000);
    assert.equal(doc.entries.length, 800_000);
    assert.equal(doc.lineCount, 1_000_000);
    assert.equal(printEnv(doc), t);
    assert.equal(doc.entries[799_999]!.line, 999_999);
  });

  // Inputs that would be quadratic for a naive "find the closing quote / value" scan. They
  // finish in well under a second when the parser is linear; a quadratic one would run for hours.
  const pathological: Array<[string, () => string]> = [
    ['a million unterminated quotes', () => 'A="x\n'.repeat(1_000_000)],
    ['a million lines of escaped quotes after one open quote', () => 'A="x\n' + 'B=\\"\n'.repeat(1_000_000)],
    ['a million blank lines after an empty value', () => 'A=\n' + '\n'.repeat(1_000_000) + 'B=1\n'],
    ['a million keys without "="', () => 'KEY\n'.repeat(1_000_000)],
    ['a million lines of words without "="', () => 'just some words\n'.repeat(1_000_000)],
    ['one 4-million-character line', () => 'A=' + 'x'.repeat(4_000_000)],
    ['one line of 1 million escaped quotes', () => "A='" + "\\'".repeat(1_000_000)],
    ['a million duplicate keys', () => 'A=1\n'.repeat(1_000_000)],
  ];
  for (const [name, make] of pathological) {
    it(name, { timeout: 120_000 }, () => {
      const t = make();
      const doc = parseEnv(t);
      assert.equal(printEnv(doc).length, t.length);
    });
  }

  it('agrees with dotenv on a large mixed document', () => {
    const parts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      parts.push(`K${i % 5000}=${i % 3 === 0 ? `"v\\n${i}"` : i % 3 === 1 ? `'${i} #'` : `${i} # c`}`, i % 7 === 0 ? '\r' : '\n');
    }
    checkDocument(parts.join(''));
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse as dotenvParse } from 'dotenv';
import {
  EnvEditError,
  appendEntryEdits,
  applyEdits,
  findEntries,
  parseEnv,
  removeEntryEdits,
  setValueEdits,
  type EnvDocument,
  type EnvEntry,
  type TextEdit,
} from '../../src/core/envdoc.ts';
import { KeysmithError } from '../../src/core/errors.ts';
import { checkDocument } from './fixtures/envdoc/support.ts';
import { doc as docArb, valueToWrite } from './fixtures/envdoc/gen.ts';

function entry(doc: EnvDocument, key: string, nth = 0): EnvEntry {
  const e = findEntries(doc, key)[nth];
  assert.ok(e, `entry ${key}`);
  return e;
}

/** Sets KEY (first occurrence) and returns the new text. */
function set(text: string, key: string, value: string, nth = 0): string {
  const doc = parseEnv(text);
  return applyEdits(text, setValueEdits(doc, entry(doc, key, nth), value));
}

/** Escapes everything outside printable ASCII, so counterexamples show invisible characters. */
function show(s: string): string {
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function hasLoneSurrogateOrNul(s: string): boolean {
  return /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/**
 * Necessary conditions for a value to have no dotenv spelling at all: single quotes and backticks
 * cannot hold a CR (dotenv turns it into LF) or their own quote; double quotes cannot hold `"` or
 * a literal backslash-n/backslash-r (dotenv expands them); unquoted text cannot hold '#' or a line
 * break. A trailing backslash would escape any closing quote.
 */
function maybeUnrepresentable(v: string): boolean {
  const doubleBlocked = v.includes('"') || /\\[nr]/.test(v);
  return v.includes('\r') || v.endsWith('\\') || (v.includes("'") && v.includes('`') && doubleBlocked);
}

/** Kinds of problem that mean another line's reading depends on text further down. */
const ENTANGLING = new Set(['unterminated-quote', 'escaped-closing-quote', 'text-after-quote', 'no-equals', 'invalid-key', 'value-on-next-line', 'swallowed-lines', 'unusual-line-break']);

/** Only edits inside [from, to) of the original text, at most touching it at the edges. */
function assertConfined(edits: readonly TextEdit[], from: number, to: number): void {
  for (const e of edits) assert.ok(e.start >= from && e.end <= to, `edit ${e.start}..${e.end} outside ${from}..${to}`);
}

describe('applyEdits', () => {
  it('applies edits in offset order regardless of the order given', () => {
    assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'E' }, { start: 0, end: 1, newText: 'A' }]), 'AbcdEf');
  });
  it('keeps the given order of inserts at one offset, before a replacement there', () => {
    assert.equal(
      applyEdits('abc', [{ start: 1, end: 2, newText: 'B' }, { start: 1, end: 1, newText: 'x' }, { start: 1, end: 1, newText: 'y' }]),
      'axyBc',
    );
  });
  it('returns the text unchanged for no edits', () => {
    assert.equal(applyEdits('abc', []), 'abc');
  });
  it('rejects overlapping or out-of-range edits with a typed error', () => {
    assert.throws(() => applyEdits('abc', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), EnvEditError);
    assert.throws(() => applyEdits('abc', [{ start: 2, end: 4, newText: '' }]), EnvEditError);
    assert.throws(() => applyEdits('abc', [{ start: -1, end: 0, newText: '' }]), EnvEditError);
  });
});

describe('setValueEdits', () => {
  it('replaces only the raw value, keeping export, spacing, comment and line ending', () => {
    assert.equal(set('  export A = old   # note\r\nB=2\r\n', 'A', 'new'), '  export A = new   # note\r\nB=2\r\n');
  });
  it('keeps the existing quote style where every reader takes it literally', () => {
    assert.equal(set("A='old'\n", 'A', 'new'), "A='new'\n");
    assert.equal(set('A="old"\n', 'A', 'new value'), 'A="new value"\n');
    assert.equal(set('A="old"\n', 'A', 'a(b)&c*d!'), 'A="a(b)&c*d!"\n');
    // A shell runs what is in backticks, and python-dotenv keeps them: never kept.
    assert.equal(set('A=`old`\n', 'A', 'x'), 'A=x\n');
    assert.equal(set('A=`old`\n', 'A', 'x y'), "A='x y'\n");
  });
  it('leaves simple values unquoted and puts the rest in single quotes', () => {
    assert.equal(set('A=old\n', 'A', 'simple-value_1.2=3'), 'A=simple-value_1.2=3\n');
    assert.equal(set('A=old\n', 'A', 'two words'), "A='two words'\n");
    assert.equal(set('A=old\n', 'A', 'pa#ss'), "A='pa#ss'\n");
    assert.equal(set('A=old\n', 'A', ' padded '), "A=' padded '\n");
    assert.equal(set('A=old\n', 'A', 'a(b)&c*d!~'), "A='a(b)&c*d!~'\n");
    assert.equal(set('A=old\n', 'A', "it's"), 'A="it\'s"\n');
    // python-dotenv and compose would read "# c" as the value of `A= # c`.
    assert.equal(set('A=old # c\n', 'A', ''), 'A="" # c\n');
    assert.equal(set("A='old' # c\n", 'A', ''), "A='' # c\n");
    assert.equal(set('A=old\n', 'A', 'say "hi"'), "A='say \"hi\"'\n");
    assert.equal(set('A=old\n', 'A', ''), 'A=\n');
  });
  it('writes line breaks as \\n in double quotes', () => {
    assert.equal(set('A=old\n', 'A', 'line1\nline2'), 'A="line1\\nline2"\n');
    assert.equal(set('A=old\n', 'A', 'cr\rlf'), 'A="cr\\rlf"\n');
  });
  it('falls back to literal multi-line single quotes, in the file line ending, when double quotes cannot work', () => {
    // A literal backslash-n would be expanded inside double quotes.
    assert.equal(set('A=old\r\nB=1\r\n', 'A', 'C:\\new\nnext'), "A='C:\\new\r\nnext'\r\nB=1\r\n");
  });
  it('uses backticks when the value has both other quotes', () => {
    assert.equal(set('A=old\n', 'A', `it's "x"`), 'A=`it\'s "x"`\n');
  });
  it('writes values holding all three quote kinds', () => {
    const v = `'"\`a b`;
    const out = set('A=old\n', 'A', v);
    assert.equal(dotenvParse(out).A, v);
  });
  it('returns no edits when the value is already right', () => {
    const doc = parseEnv('A="x"\n');
    assert.deepEqual(setValueEdits(doc, doc.entries[0]!, 'x'), []);
  });
  it('moves a value dotenv took from the next line next to its separator', () => {
    assert.equal(set('A=\n"below"\nB=1\n', 'A', 'v'), 'A="v"\nB=1\n');
    assert.equal(set('A:\nbelow\n', 'A', 'v'), 'A: v\n');
    assert.equal(set('A:\n\nB=1\n', 'A', 'v'), 'A: v\n\nB=1\n');
  });
  it('does not let an empty value pick up a quoted line below', () => {
    const out = set('A=1\n"quoted"\n', 'A', '');
    assert.equal(dotenvParse(out).A, '');
    assert.equal(out, 'A=""\n"quoted"\n');
  });
  it('throws a typed error for values dotenv cannot spell', () => {
    const doc = parseEnv('A=1\n');
    for (const v of ['\r"\'`#', '\\n\r']) {
      assert.throws(() => setValueEdits(doc, doc.entries[0]!, v), (e: unknown) => {
        assert.ok(e instanceof EnvEditError && e instanceof KeysmithError);
        assert.equal(e.reason, 'unrepresentable');
        assert.equal(e.code, 'unrepresentable');
        assert.ok(!e.message.includes(v));
        return true;
      });
    }
  });
  it('throws for values that cannot be saved as UTF-8 text (lone surrogate, NUL)', () => {
    const doc = parseEnv('A=1\n');
    for (const v of ['\uD800', 'a\uDC00', 'nul\0']) {
      assert.throws(() => setValueEdits(doc, doc.entries[0]!, v), (e: unknown) => e instanceof EnvEditError && e.reason === 'unencodable');
    }
  });
  it('throws a conflict rather than changing another entry', () => {
    // A's unclosed quote would close on the quote this value starts with.
    const t = "A='open\nB=1\n";
    const doc = parseEnv(t);
    const b = entry(doc, 'B');
    const edits = setValueEdits(doc, b, '\nx');
    const out = applyEdits(t, edits);
    assert.equal(dotenvParse(out).A, "'open");
    assert.equal(dotenvParse(out).B, '\nx');
  });
  it('rejects an entry from another document', () => {
    const a = parseEnv('A=1\n');
    const b = parseEnv('XYZ=1\n');
    assert.throws(() => setValueEdits(a, b.entries[0]!, 'v'), (e: unknown) => e instanceof EnvEditError && e.reason === 'foreign-entry');
  });

  it('property: dotenv reads back exactly the value written, and nothing else changes', () => {
    let written = 0;
    let thrown = 0;
    fc.assert(
      fc.property(docArb, fc.nat(), valueToWrite, (text, pick, value) => {
        const doc = parseEnv(text);
        fc.pre(doc.entries.length > 0);
        const e = doc.entries[pick % doc.entries.length]!;
        let edits: TextEdit[];
        try {
          edits = setValueEdits(doc, e, value);
        } catch (err) {
          thrown++;
          assert.ok(err instanceof EnvEditError, String(err));
          if (err.reason === 'unencodable') assert.ok(hasLoneSurrogateOrNul(value));
          else if (err.reason === 'unrepresentable') assert.ok(maybeUnrepresentable(value), show(value));
          else {
            assert.equal(err.reason, 'conflict');
            // Either the file has a construct whose reading depends on text further down, or the
            // value ends with a backslash, which escapes any closing quote so a later quote in the
            // file (even inside an unquoted value) takes over.
            assert.ok(
              doc.problems.some((p) => ENTANGLING.has(p.kind)) || value.endsWith('\\'),
              `conflict without a dangling construct: ${show(text)} ${e.index} ${show(value)}`,
            );
          }
          return;
        }
        written++;
        assert.ok(!hasLoneSurrogateOrNul(value));
        assertConfined(edits, e.separatorStart + 1, e.lineEnd);
        const out = applyEdits(text, edits);
        const before = dotenvParse(text);
        const after = dotenvParse(out);
        if (e.wins) assert.equal(after[e.key], value);
        else assert.equal(after[e.key], before[e.key]);
        assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
        for (const k of Object.keys(before)) if (k !== e.key) assert.equal(after[k], before[k]);
        const reparsed = checkDocument(out);
        assert.equal(reparsed.entries[e.index]!.value, value);
        assert.equal(reparsed.entries.length, doc.entries.length);
      }),
      { numRuns: 20_000 },
    );
    assert.ok(thrown < written / 10, `threw ${thrown} times for ${written} writes`);
  });

  it('property: on a clean file, only values no quoting style can hold fail, and only as unrepresentable', () => {
    const cleanDoc = fc
      .array(
        fc.tuple(
          fc.constantFrom('A', 'B', 'KEY_1', 'x.y'),
          fc.constantFrom('v', '"quoted value"', "'single'", '`tick`', '', 'a b', '"x" # c', 'url#frag'),
          fc.constantFrom('\n', '\r\n', '\r'),
        ),
        { minLength: 1, maxLength: 6 },
      )
      .map((ls) => ls.map(([k, v, e]) => `${k}=${v}${e}`).join(''));
    fc.assert(
      fc.property(cleanDoc, fc.nat(), valueToWrite, (text, pick, value) => {
        fc.pre(!hasLoneSurrogateOrNul(value));
        const doc = parseEnv(text);
        const e = doc.entries[pick % doc.entries.length]!;
        try {
          const out = applyEdits(text, setValueEdits(doc, e, value));
          assert.equal(parseEnv(out).entries[e.index]!.value, value);
        } catch (err) {
          assert.ok(err instanceof EnvEditError && err.reason === 'unrepresentable' && maybeUnrepresentable(value), `${String(err)} ${JSON.stringify(value)}`);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('appendEntryEdits', () => {
  const append = (t: string, k: string, v: string): string => applyEdits(t, appendEntryEdits(parseEnv(t), k, v));

  it('appends KEY=value with a final newline to an empty file', () => {
    assert.equal(append('', 'A', '1'), 'A=1\n');
    assert.equal(append('\uFEFF', 'A', '1'), '\uFEFFA=1\n');
  });
  it('keeps a file that ends with a newline ending with one, in its dominant line ending', () => {
    assert.equal(append('X=1\n', 'A', '1'), 'X=1\nA=1\n');
    assert.equal(append('X=1\r\nY=2\r\n', 'A', 'two words'), "X=1\r\nY=2\r\nA='two words'\r\n");
    assert.equal(append('X=1\rY=2\r', 'A', '1'), 'X=1\rY=2\rA=1\r');
  });
  it('adds a line break first when the file lacks a final newline, and keeps it lacking one', () => {
    assert.equal(append('X=1', 'A', '1'), 'X=1\nA=1');
    assert.equal(append('X=1\r\nY=2', 'A', '1'), 'X=1\r\nY=2\r\nA=1');
    assert.equal(append('# c\u2028', 'A', '1'), '# c\u2028\nA=1');
  });
  it('quotes values that need it', () => {
    assert.equal(append('', 'A', 'a # b'), "A='a # b'\n");
    assert.equal(append('', 'A', 'multi\nline'), 'A="multi\\nline"\n');
  });
  it('rejects keys dotenv would not read, with a typed error', () => {
    for (const k of ['', 'A B', 'A=B', '$A', 'É', '__proto__']) {
      assert.throws(() => appendEntryEdits(parseEnv(''), k, 'v'), (e: unknown) => e instanceof EnvEditError && e.reason === 'invalid-key' && e.code === 'bad-input');
    }
    assert.equal(append('', 'a.b-c', 'v'), 'a.b-c=v\n');
  });
  it('refuses when a dangling "KEY:" on the last line would swallow the new line', () => {
    assert.throws(() => appendEntryEdits(parseEnv('X:'), 'A', '1'), (e: unknown) => e instanceof EnvEditError && e.reason === 'conflict');
  });

  it('property: the appended entry wins and reads back exactly; nothing else changes', () => {
    fc.assert(
      fc.property(docArb, fc.constantFrom('NEW_KEY', 'A', 'x.y', 'FOO'), valueToWrite, (text, key, value) => {
        const doc = parseEnv(text);
        let edits: TextEdit[];
        try {
          edits = appendEntryEdits(doc, key, value);
        } catch (err) {
          assert.ok(err instanceof EnvEditError, String(err));
          if (err.reason === 'unencodable') assert.ok(hasLoneSurrogateOrNul(value));
          else if (err.reason === 'unrepresentable') assert.ok(maybeUnrepresentable(value));
          else assert.equal(err.reason, 'conflict');
          return;
        }
        assert.equal(edits.length, 1);
        assert.equal(edits[0]!.start, text.length);
        const out = applyEdits(text, edits);
        const before = dotenvParse(text);
        const after = dotenvParse(out);
        assert.equal(after[key], value);
        for (const k of Object.keys(before)) if (k !== key) assert.equal(after[k], before[k]);
        const reparsed = checkDocument(out);
        assert.equal(reparsed.entries.length, doc.entries.length + 1);
        assert.equal(reparsed.endsWithNewline, text.length === 0 || text === '\uFEFF' || doc.endsWithNewline);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('removeEntryEdits', () => {
  const remove = (t: string, k: string, nth = 0): string => {
    const doc = parseEnv(t);
    return applyEdits(t, removeEntryEdits(doc, entry(doc, k, nth)));
  };

  it('removes the whole line with its terminator', () => {
    assert.equal(remove('A=1\r\nB=2\r\nC=3\r\n', 'B'), 'A=1\r\nC=3\r\n');
    assert.equal(remove('# c\n  export B="x" # note\n', 'B'), '# c\n');
  });
  it('removes all lines of a multi-line value', () => {
    assert.equal(remove('A=1\nPEM="a\nb\nc"\nC=3\n', 'PEM'), 'A=1\nC=3\n');
  });
  it('keeps a missing final newline missing', () => {
    assert.equal(remove('A=1\nB=2', 'B'), 'A=1');
    assert.equal(remove('A=1\r\nB=2', 'B'), 'A=1');
    assert.equal(remove('A=1', 'A'), '');
  });
  it('keeps the BOM', () => {
    assert.equal(remove('\uFEFFA=1\nB=2\n', 'A'), '\uFEFFB=2\n');
  });
  it('removes one occurrence of a duplicate', () => {
    assert.equal(remove('A=1\nA=2\n', 'A', 1), 'A=1\n');
  });
  it('refuses when removal would change how dotenv reads a neighbour', () => {
    const doc = parseEnv('A=\nB=1\n"x"\n');
    assert.throws(() => removeEntryEdits(doc, entry(doc, 'B')), (e: unknown) => e instanceof EnvEditError && e.reason === 'conflict');
  });

  it('property: removes exactly that occurrence; other entries keep their values', () => {
    fc.assert(
      fc.property(docArb, fc.nat(), (text, pick) => {
        const doc = parseEnv(text);
        fc.pre(doc.entries.length > 0);
        const e = doc.entries[pick % doc.entries.length]!;
        let edits: TextEdit[];
        try {
          edits = removeEntryEdits(doc, e);
        } catch (err) {
          assert.ok(err instanceof EnvEditError && err.reason === 'conflict', String(err));
          assert.ok(doc.problems.some((p) => ENTANGLING.has(p.kind) || p.kind === 'equals-on-next-line' || p.kind === 'colon-separator'));
          return;
        }
        assertConfined(edits, Math.max(0, e.lineStart - 2), e.terminatorEnd);
        const out = applyEdits(text, edits);
        const reparsed = checkDocument(out);
        const expected = doc.entries.filter((x) => x !== e).map((x) => [x.key, x.value]);
        assert.deepEqual(reparsed.entries.map((x) => [x.key, x.value]), expected);
        if (doc.endsWithNewline && out.replace(/^\uFEFF/, '').length > 0) assert.match(out, /[\r\n\u2028\u2029]$/);
      }),
      { numRuns: 10_000 },
    );
  });
});

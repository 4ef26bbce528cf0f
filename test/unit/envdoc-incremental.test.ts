// IncrementalDoc against parseEnv: after every edit, the kept-up-to-date document equals a fresh
// parse of the same text (nodes, entries, winners, problems, line breaks), over random edits of
// generated .env files, including dotenv's multi-line quirks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnv } from '../../src/core/envdoc.ts';
import { IncrementalDoc } from '../../src/core/envdoc/incremental.ts';
import { Rope } from '../../src/core/envdoc/rope.ts';
import { seededRng } from './helpers/seeded.ts';

const PIECES = [
  'A=1', 'B=two words', 'export C=3', 'A=again', 'D="quoted # not comment"', "E='single'", 'F=`tick`',
  'G="multi', 'line"', 'H=', '"value on next line"', 'I', '=later', 'J: colon', 'K:', 'x', '# comment',
  '# keysmith-ignore', '', '   ', 'L="unterminated', "M='a\\'", 'N="esc\\"', '__proto__=p', 'bad key=1',
  '=nokey', 'O=#hash', 'P=a#b', 'Q="x" trailing', '\u2028R=1', 'S=1\u2029T=2', 'U="a\\nb"', 'V=${A}',
  'W="', '"', "'", '`', 'export', 'export X', 'Y = spaced ', 'Z="a"#c',
];
const BREAKS = ['\n', '\r\n', '\r', '\n', '\n'];

function randomText(r: () => number, lines: number): string {
  let t = r() < 0.2 ? '\uFEFF' : '';
  for (let i = 0; i < lines; i++) {
    t += PIECES[Math.floor(r() * PIECES.length)]!;
    if (i < lines - 1 || r() < 0.7) t += BREAKS[Math.floor(r() * BREAKS.length)]!;
  }
  return t;
}

function snapshot(d: ReturnType<typeof parseEnv>) {
  return {
    text: d.text,
    nodes: d.nodes.map((n) => ({ ...n })),
    problems: [...d.problems].map((p) => ({ ...p })).sort((x, y) => x.start - y.start || x.kind.localeCompare(y.kind) || x.end - y.end),
    bom: d.bom,
    eol: d.eol,
    endsWithNewline: d.endsWithNewline,
    lineCount: d.lineCount,
    entries: d.entries.map((e) => [e.index, e.key, e.wins]),
  };
}

describe('IncrementalDoc', () => {
  for (const [label, window, chunk] of [['', 2048, 8192], [' (tiny parse windows and text chunks)', 3, 5], [' (small parse windows)', 20, 64]] as const) it(`equals a fresh parse after every one of thousands of random edits${label}`, (t) => {
    IncrementalDoc.window = window;
    Rope.chunkSize = chunk;
    t.after(() => {
      IncrementalDoc.window = 2048;
      Rope.chunkSize = 8192;
    });
    const seed = Number(process.env['KEYSMITH_SEED'] ?? crypto.getRandomValues(new Uint32Array(1))[0]);
    const r = seededRng(seed);
    let edits = 0;
    for (let round = 0; round < 150; round++) {
      const inc = new IncrementalDoc(randomText(r, 1 + Math.floor(r() * 25)));
      for (let step = 0; step < 20; step++) {
        const text = inc.text;
        const s = Math.floor(r() * (text.length + 1));
        const e = Math.min(text.length, s + (r() < 0.5 ? 0 : Math.floor(r() * 12)));
        const x = r();
        const insert = x < 0.3 ? '' : x < 0.6 ? randomText(r, 1 + Math.floor(r() * 3)) : PIECES[Math.floor(r() * PIECES.length)]!.slice(0, 1 + Math.floor(r() * 4)) + (r() < 0.3 ? BREAKS[Math.floor(r() * 5)]! : '');
        const expected = text.slice(0, s) + insert + text.slice(e);
        inc.edit(s, e, insert);
        edits++;
        // The document first (its text is built lazily from the chunks), then the text.
        const got = snapshot(inc.document());
        assert.equal(inc.text, expected);
        assert.equal(inc.slice(0, inc.rope.length), expected);
        assert.deepEqual(got, snapshot(parseEnv(expected)), `seed ${seed}, round ${round}, step ${step}: edit [${s}, ${e}) -> ${JSON.stringify(insert)}`);
      }
    }
    assert.ok(edits >= 3000);
  });

  it('an edit inside one line of a large file re-parses only that line', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `KEY_${i}=value${i}`);
    const inc = new IncrementalDoc(lines.join('\n') + '\n');
    const at = inc.text.indexOf('value2500') + 5;
    const r = inc.edit(at, at, 'X');
    assert.ok(r.added.length <= 2 && r.removed.length <= 2, `${r.added.length} added, ${r.removed.length} removed`);
    assert.equal(inc.nodes[2501]!.lineStart, inc.text.indexOf('KEY_2501='));
  });
});

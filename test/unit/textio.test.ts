import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_MAX_ENV_BYTES, decodeEnvBytes, encodeEnvText, firstInvalidUtf8 } from '../../src/core/textio.ts';
import { parseEnv, printEnv } from '../../src/core/envdoc.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function decodedText(input: Uint8Array): string {
  const r = decodeEnvBytes(input);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.text;
}

function failure(input: Uint8Array, opts?: { maxBytes?: number }): { code: string; message: string } {
  const r = decodeEnvBytes(input, opts);
  assert.equal(r.ok, false);
  return (r as { ok: false; error: { code: string; message: string } }).error;
}

describe('decodeEnvBytes', () => {
  it('decodes UTF-8 and reports no BOM', () => {
    const r = decodeEnvBytes(utf8('A=café 😀\n'));
    assert.deepEqual(r, { ok: true, text: 'A=café 😀\n', bom: false });
  });

  it('keeps a BOM in the text so the bytes round-trip', () => {
    const input = bytes(0xef, 0xbb, 0xbf, 0x41, 0x3d, 0x31, 0x0d, 0x0a);
    const r = decodeEnvBytes(input);
    assert.ok(r.ok);
    assert.equal(r.bom, true);
    assert.equal(r.text, '\uFEFFA=1\r\n');
    assert.deepEqual(encodeEnvText(r.text), input);
    assert.deepEqual(encodeEnvText(printEnv(parseEnv(r.text))), input);
  });

  it('decodes an empty file', () => {
    assert.deepEqual(decodeEnvBytes(new Uint8Array(0)), { ok: true, text: '', bom: false });
  });

  it('rejects invalid UTF-8 with the offset of the first bad sequence, not the content', () => {
    const cases: Array<[Uint8Array, number]> = [
      [bytes(0x41, 0x3d, 0xff), 2], // never valid
      [bytes(0x41, 0xc3), 1], // truncated 2-byte sequence
      [bytes(0xc0, 0x80), 0], // overlong NUL
      [bytes(0xe0, 0x80, 0x80), 0], // overlong
      [bytes(0x41, 0xed, 0xa0, 0x80), 1], // UTF-16 surrogate D800
      [bytes(0xf4, 0x90, 0x80, 0x80), 0], // above U+10FFFF
      [bytes(0x41, 0x42, 0x80), 2], // lone continuation byte
      [utf8('SECRET=hunter2\n').map((b) => (b === 0x68 ? 0xe9 : b)), 7], // Latin-1 é
    ];
    for (const [input, at] of cases) {
      const err = failure(input);
      assert.equal(err.code, 'invalid-utf8');
      assert.match(err.message, new RegExp(`offset ${at}\\b`));
      assert.ok(!err.message.includes('unter2') && !err.message.includes('SECRET'));
    }
  });

  it('treats NUL bytes as binary', () => {
    const err = failure(utf8('A=1\0B=2'));
    assert.equal(err.code, 'binary');
    assert.match(err.message, /offset 3/);
  });

  it('treats binary files (PNG) as binary', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52);
    assert.equal(failure(png).code, 'binary');
  });

  it('names UTF-16 text as UTF-16, with or without a byte order mark, and says to save it as UTF-8', () => {
    const le = (s: string) => bytes(...[...s].flatMap((c) => [c.charCodeAt(0), 0]));
    const be = (s: string) => bytes(...[...s].flatMap((c) => [0, c.charCodeAt(0)]));
    for (const [input, kind] of [
      [bytes(0xff, 0xfe, ...le('A=1\n')), 'little-endian'],
      [bytes(0xfe, 0xff, ...be('A=1\n')), 'big-endian'],
      [le('SECRET_KEY=abc\r\n'), 'little-endian'],
      [be('SECRET_KEY=abc\n'), 'big-endian'],
    ] as const) {
      const err = failure(input);
      assert.equal(err.code, 'utf-16');
      assert.match(err.message, new RegExp(`UTF-16 \\(${kind}\\)`));
      assert.match(err.message, /save it as UTF-8/);
      assert.ok(!err.message.includes('SECRET') && !err.message.includes('abc'));
    }
    assert.equal(failure(utf8('A=1\0B=2')).code, 'binary', 'a lone NUL is not UTF-16');
  });

  it('refuses a 50 MB buffer quickly without decoding it', () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x41);
    let decodes = 0;
    const Original = globalThis.TextDecoder;
    globalThis.TextDecoder = class extends Original {
      override decode(input?: Uint8Array, options?: { stream?: boolean }): string {
        decodes++;
        return super.decode(input, options);
      }
    };
    try {
      const err = failure(big);
      assert.equal(err.code, 'too-large');
      assert.match(err.message, /50\.0 MiB/);
      assert.match(err.message, /5\.0 MiB/);
    } finally {
      globalThis.TextDecoder = Original;
    }
    assert.equal(decodes, 0);
  });

  it('honours maxBytes', () => {
    assert.equal(DEFAULT_MAX_ENV_BYTES, 5 * 1024 * 1024);
    assert.equal(failure(utf8('A=12345'), { maxBytes: 6 }).code, 'too-large');
    assert.equal(decodedText(utf8('A=1')), 'A=1');
    assert.ok(decodeEnvBytes(utf8('A=12345'), { maxBytes: 7 }).ok);
  });

  it('never throws, whatever the input', () => {
    assert.equal(decodeEnvBytes(null as unknown as Uint8Array).ok, false);
    assert.equal(decodeEnvBytes('A=1' as unknown as Uint8Array).ok, false);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        const r = decodeEnvBytes(input);
        if (r.ok) assert.deepEqual(encodeEnvText(r.text), input);
        else assert.ok(['binary', 'utf-16', 'invalid-utf8'].includes(r.error.code));
      }),
      { numRuns: 5_000 },
    );
  });

  it('round-trips the bytes of every valid UTF-8 text through the model', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.boolean(), (s, bom) => {
        const text = (bom ? '\uFEFF' : '') + s.replace(/\0/g, '');
        const input = utf8(text);
        const decoded = decodedText(input);
        assert.equal(decoded, text);
        assert.deepEqual(encodeEnvText(printEnv(parseEnv(decoded))), input);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('firstInvalidUtf8 agrees with TextDecoder', () => {
  it('property', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (input) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(input);
        } catch {
          valid = false;
        }
        assert.equal(firstInvalidUtf8(input) === -1, valid);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('encodeEnvText', () => {
  it('encodes UTF-8, writing a lone surrogate as U+FFFD', () => {
    assert.deepEqual(encodeEnvText('A=é'), bytes(0x41, 0x3d, 0xc3, 0xa9));
    assert.deepEqual(encodeEnvText('\uD800'), bytes(0xef, 0xbf, 0xbd));
  });
});

import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMON_WORDS, estimateStrength, type DetectedKind } from '../../src/core/strength.ts';
import { seededRng } from './helpers/seeded.ts';

// ---- random inputs (seeded: the same values every run) ----------------------------------------
//
// Random text shows patterns by chance (a word, a run, a repeated chunk), and the estimate
// discounts them, so bounds over fresh CSPRNG draws fail now and then: 300 random base64url keys
// hold one under 224 bits about once in 1,700 runs, a random Fernet key is under 224 bits about
// once in 250,000, and a 5-character piece of a random base64 value spells part of a note ("encod",
// "bytes") about once in 35,000 runs of the notes test. Each test draws from its own seed (its
// name), so a test gives the same values whatever else runs.

let draw = seededRng(0);
beforeEach((t) => {
  let h = 2166136261;
  for (let i = 0; i < t.name.length; i++) h = Math.imul(h ^ t.name.charCodeAt(i), 16777619);
  draw = seededRng(h >>> 0);
});

function randomBytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(draw() * 256));
}


function randomHex(bytes: number): string {
  return Array.from(randomBytes(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function encodeBase64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += alphabet[(n >> (18 - 6 * k)) & 63];
  }
  if (pad) while (out.length % 4 !== 0) out += '=';
  return out;
}

const PRINTABLE_94 = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');

/** Uniform over `alphabet` (rejection sampling on random bytes). */
function randomPassword(length: number, alphabet = PRINTABLE_94): string {
  const limit = 256 - (256 % alphabet.length);
  let s = '';
  while (s.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < limit && s.length < length) s += alphabet[b % alphabet.length];
    }
  }
  return s;
}

function randomUuidV4(): string {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function samples(count: number, gen: () => string): number[] {
  return Array.from({ length: count }, () => estimateStrength(gen()).bits).sort((a, b) => a - b);
}

const median = (sorted: number[]): number => sorted[sorted.length >> 1]!;

// ---- sanity table ---------------------------------------------------------------------------

describe('estimateStrength: sanity table', () => {
  it('32 random bytes as hex (64 chars) ≈ 256 bits', () => {
    const bits = samples(300, () => randomHex(32));
    assert.equal(median(bits), 256);
    assert.ok(bits[0]! >= 224, `min ${bits[0]}`);
    assert.ok(bits[bits.length - 1]! <= 256);
  });

  it('43-char random base64url ≈ 256 bits', () => {
    const bits = samples(300, () => encodeBase64(randomBytes(32), B64URL, false));
    assert.equal(median(bits), 256);
    assert.ok(bits[0]! >= 224, `min ${bits[0]}`);
    assert.ok(bits[bits.length - 1]! <= 256);
  });

  it('44-char padded random base64 ≈ 256 bits', () => {
    const bits = samples(200, () => encodeBase64(randomBytes(32), B64, true));
    assert.equal(median(bits), 256);
    assert.ok(bits[0]! >= 224);
  });

  it('random 16-char password over 94 characters ≈ 100 bits, below 128', () => {
    const bits = samples(300, () => randomPassword(16));
    assert.ok(median(bits) >= 98 && median(bits) <= 106, `median ${median(bits)}`);
    assert.ok(bits[0]! >= 70, `min ${bits[0]}`);
    assert.ok(bits[bits.length - 1]! < 128);
  });

  it('random uuid v4 = 122 bits', () => {
    const bits = samples(300, randomUuidV4);
    assert.equal(median(bits), 122);
    assert.ok(bits.filter((b) => b === 122).length >= 270, 'nearly all exactly 122');
    assert.ok(bits[0]! >= 96);
    assert.ok(bits[bits.length - 1]! <= 122);
  });

  it('a fixed uuid v4 is 122 bits and detected as uuid', () => {
    const r = estimateStrength('3f2c8a4e-9b1d-4c7e-a5f0-6d2b8e1c9a47');
    assert.equal(r.detected, 'uuid');
    assert.equal(r.bits, 122);
  });

  const weak: [string, string, number][] = [
    ['changeme', 'common placeholder', 30],
    ['a'.repeat(36), 'one repeated char', 16],
    ['abcdefghijklmnopqrstuvwxyz', 'alphabet', 20],
    ['1234567890123456789012345678901234567890', 'repeated digit row', 30],
    ['password123password123', 'word + digits, twice', 40],
    ['password', 'most common password', 8],
    ['P@ssw0rd', 'leetspeak', 20],
    ['PASSWORD', 'upper case word', 10],
    ['Password1', 'capitalised word + digit', 20],
    ['letmein', 'common password', 12],
    ['qwertyuiop', 'keyboard row', 20],
    ['QWERTYUIOP', 'keyboard row, shifted', 20],
    ['!@#$%^&*()', 'shifted number row', 20],
    ['asdfghjkl', 'home row', 20],
    ['zxcvbnm', 'bottom row', 20],
    ['9876543210', 'descending digits', 15],
    ['zyxwvutsrqponm', 'descending letters', 15],
    ['abcabcabcabcabc', 'repeated chunk', 25],
    ['xK9!xK9!xK9!xK9!xK9!', 'repeated random-looking chunk', 45],
    ['0000000000000000', 'zeros', 12],
    ['secretsecretsecret', 'word repeated', 20],
    ['monkeydragon', 'two common words', 20],
    ['admin', 'admin', 10],
    ['1111111111', 'digit run', 12],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'long run', 16],
  ];
  for (const [value, label, max] of weak) {
    it(`${label} scores below ${max} bits`, () => {
      const r = estimateStrength(value);
      assert.ok(r.bits < max, `${label}: ${r.bits} bits`);
    });
  }

  it('Shannon entropy is not the measure: sequential alphabet is weak, shuffled is not', () => {
    const seq = estimateStrength('abcdefghijklmnop');
    const shuffled = estimateStrength('pmhdkaoiegnbcjlf');
    assert.ok(seq.bits < 20);
    assert.ok(shuffled.bits > 60);
  });

  it('a diceware-looking passphrase counts words, not characters', () => {
    const r = estimateStrength('correct horse battery staple');
    assert.equal(r.detected, 'passphrase');
    assert.equal(r.alphabet, 7776);
    assert.ok(r.bits >= 40 && r.bits <= 55, `${r.bits}`);
    const six = estimateStrength('cobalt-meadow-trident-lantern-quiver-pumpkin');
    assert.ok(six.bits >= 75 && six.bits <= 80, `${six.bits}`);
  });

  it('longer random values score higher', () => {
    const prefix = randomPassword(12);
    const more = prefix + randomPassword(12);
    assert.ok(estimateStrength(more).bits > estimateStrength(prefix).bits);
  });
});

// ---- detection ------------------------------------------------------------------------------

describe('estimateStrength: detection', () => {
  const table: [string, DetectedKind, number | null][] = [
    ['', 'empty', 0],
    ['0123456789abcdef0123456789abcdef', 'hex', 16],
    ['9F86D081884C7D659A2FEAA0C55AD015', 'hex', 16],
    ['0x4c0883a69102937d6231471b5dbb6204fe512961708279f8b1a3b5c1d2e3f4a5', 'hex', 16],
    ['9f86D081884c7d659a2feaa0c55ad015', 'alphanumeric', 62], // mixed-case: not hex
    ['deadbeefcafebabe', 'text', 26], // letters only: text, not hex
    ['cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=', 'fernet', 64],
    ['dGhpcyBpcyBhIHRlc3Qgb2YgYmFzZTY0IGVuY29kaW5nIQ+/', 'base64', 64],
    ['Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==', 'base64', 64],
    ['Xy7_kP2-vQ9mZr4LsT1nWb8cDf3gHj5K', 'base64url', 64],
    ['Xy7kP2vQ9mZr4LsT1nWb8cDf3gHj5K', 'alphanumeric', 62],
    ['3f2c8a4e-9b1d-4c7e-a5f0-6d2b8e1c9a47', 'uuid', 16],
    ['00000000-0000-0000-0000-000000000000', 'uuid', 16],
    ['k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5f4g3h', 'django', 50],
    ['django-insecure-k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5f4g3h', 'django', 50],
    [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'jwt-token',
      64,
    ],
    ['-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----', 'pem', 64],
    ['31415926535897932384', 'numeric', 10],
    ['correct horse battery staple', 'passphrase', 7776],
    ['hello world', 'text', 59],
    ['Tr0ub4dor&3', 'text', 95],
  ];
  for (const [value, kind, alphabet] of table) {
    it(`${JSON.stringify(value.slice(0, 24))}… → ${kind}`, () => {
      const r = estimateStrength(value);
      assert.equal(r.detected, kind);
      if (alphabet !== null) assert.equal(r.alphabet, alphabet);
    });
  }

  it('hex is capped at 4 bits per character', () => {
    const r = estimateStrength('0123456789abcdef'.split('').reverse().join('') + '7c1e9a3f5b2d8e4a');
    assert.equal(r.detected, 'hex');
    assert.ok(r.bits <= 4 * 32);
    for (let i = 0; i < 50; i++) assert.ok(estimateStrength(randomHex(20)).bits <= 160);
  });

  it('base64 is capped at 6 bits per character and whole bytes', () => {
    for (let i = 0; i < 50; i++) {
      const v = encodeBase64(randomBytes(16), B64URL, false); // 22 chars = 16 bytes
      assert.ok(estimateStrength(v).bits <= 128);
    }
  });

  it('random base64url without - or _ is still capped like base64', () => {
    const v = 'Xy7kP2vQ9mZr4LsT1nWb8cDf3gHj5KaB6eF0hJ2lM9q'; // 43 chars, alphanumeric only
    assert.equal(v.length, 43);
    const r = estimateStrength(v);
    assert.equal(r.detected, 'alphanumeric');
    assert.ok(r.bits <= 256);
  });

  it('padding characters do not count', () => {
    const a = estimateStrength('Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==');
    const b = estimateStrength('Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA');
    assert.ok(a.bits <= b.bits + 1);
  });

  it('a Fernet key is at most 256 bits; a fake one with a bad last char is not Fernet', () => {
    const key = encodeBase64(randomBytes(32), B64URL, true);
    const r = estimateStrength(key);
    assert.equal(r.detected, 'fernet');
    assert.ok(r.bits <= 256 && r.bits >= 224);
    // 32 bytes leave the last two bits of the 43rd character zero; 'B' (index 1) breaks that.
    const bad = key.slice(0, 42) + 'B=';
    assert.notEqual(estimateStrength(bad).detected, 'fernet');
  });

  it('uuid versions', () => {
    const v1 = estimateStrength('c232ab00-9414-11ec-b3c8-9f6bdeced846');
    assert.equal(v1.detected, 'uuid');
    assert.ok(v1.bits <= 14);
    assert.ok(v1.notes.some((n) => n.includes('time-based')));
    const v3 = estimateStrength('5df41881-3aed-3515-88a7-2f4a814cf09e');
    assert.equal(v3.bits, 0);
    assert.ok(v3.notes.some((n) => n.includes('name-based')));
    const v5 = estimateStrength('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    assert.equal(v5.bits, 0);
    const v7 = estimateStrength('017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
    assert.ok(v7.bits <= 74 && v7.bits > 50);
    assert.ok(v7.notes.some((n) => n.includes('v7')));
    const nil = estimateStrength('00000000-0000-0000-0000-000000000000');
    assert.equal(nil.bits, 0);
    const max = estimateStrength('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF');
    assert.equal(max.bits, 0);
    const upper = estimateStrength('3F2C8A4E-9B1D-4C7E-A5F0-6D2B8E1C9A47');
    assert.equal(upper.bits, 122);
    const patterned = estimateStrength('12345678-1234-4234-8234-123456789012');
    assert.ok(patterned.bits < 80, `${patterned.bits}`);
  });

  it('django keys: 50-char alphabet, insecure prefix costs nothing and is flagged', () => {
    const plain = estimateStrength('k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5f4g3h');
    const insecure = estimateStrength('django-insecure-k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5f4g3h');
    assert.ok(plain.bits > 250 && plain.bits <= 283);
    assert.equal(insecure.bits, plain.bits);
    assert.ok(insecure.notes.some((n) => n.includes('django-insecure')));
    assert.ok(!plain.notes.some((n) => n.includes('django-insecure')));
  });

  it('jwt tokens: only the signature counts; unsigned tokens are 0', () => {
    const r = estimateStrength(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    );
    assert.ok(r.bits <= 256 && r.bits > 200);
    assert.ok(r.notes.some((n) => n.includes('JWT token')));
    const unsigned = estimateStrength('eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.');
    assert.equal(unsigned.detected, 'jwt-token');
    assert.equal(unsigned.bits, 0);
  });

  it('pem blocks: private, public, encrypted', () => {
    const body = encodeBase64(randomBytes(48), B64, true);
    const priv = estimateStrength(`-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`);
    assert.equal(priv.detected, 'pem');
    assert.ok(priv.bits > 300 && priv.bits <= 384, `${priv.bits}`);
    assert.ok(!priv.notes.some((n) => n.includes('public material')));
    const pub = estimateStrength(`-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`);
    assert.ok(pub.notes.some((n) => n.includes('public material')));
    const cert = estimateStrength(`-----BEGIN CERTIFICATE-----\\n${body}\\n-----END CERTIFICATE-----`);
    assert.ok(cert.notes.some((n) => n.includes('public material')));
    const enc = estimateStrength(`-----BEGIN ENCRYPTED PRIVATE KEY-----\n${body}\n-----END ENCRYPTED PRIVATE KEY-----`);
    assert.ok(enc.notes.some((n) => n.includes('passphrase')));
  });

  it('numbers only: about 3.32 bits per digit', () => {
    const r = estimateStrength('31415926535897932384');
    assert.ok(r.bits >= 60 && r.bits <= 67, `${r.bits}`);
  });
});

// ---- properties -----------------------------------------------------------------------------

describe('estimateStrength: properties', () => {
  function variety(): string[] {
    return [
      randomHex(32),
      encodeBase64(randomBytes(32), B64URL, false),
      encodeBase64(randomBytes(32), B64, true),
      encodeBase64(randomBytes(32), B64URL, true),
      randomPassword(24),
      randomUuidV4(),
      'hunter2',
      'correct horse battery staple',
      'django-insecure-' + randomPassword(50, 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'),
      `-----BEGIN PRIVATE KEY-----\n${encodeBase64(randomBytes(60), B64, true)}\n-----END PRIVATE KEY-----`,
    ];
  }

  it('is deterministic', () => {
    for (const v of variety()) assert.deepEqual(estimateStrength(v), estimateStrength(v));
  });

  it('never puts the value, or any 5-char piece of its random part, in the notes', () => {
    for (let round = 0; round < 20; round++) {
      for (const v of variety()) {
        const notes = estimateStrength(v, { placeholders: ['acme'] }).notes.join('\n');
        assert.ok(!notes.includes(v));
        // Fixed parts (PEM armour, the django-insecure- prefix, plain words) may share wording with notes.
        if (v.startsWith('-----') || v.startsWith('django-') || /^[a-z0-9 ]+$/.test(v)) continue;
        for (let i = 0; i + 5 <= v.length; i++) {
          const piece = v.slice(i, i + 5);
          assert.ok(!notes.includes(piece), `note leaks ${JSON.stringify(piece)}`);
        }
      }
    }
  });

  it('length counts code points; astral characters are one', () => {
    const r = estimateStrength('😀🔑🎲🧩');
    assert.equal(r.length, 4);
    assert.ok(r.bits > 20);
    assert.ok(estimateStrength('é').length === 1);
  });

  it('non-ASCII widens the alphabet', () => {
    assert.ok(estimateStrength('pässwörd-Ünïcode').alphabet > 95);
    assert.ok(estimateStrength('密码是非常安全的').alphabet >= 2000);
  });

  it('caller placeholders count as only a few bits', () => {
    // A made-up name (no dictionary word: the frequency list would already discount those).
    const v = 'zqxvkorptlanwub8831';
    const plain = estimateStrength(v);
    const withList = estimateStrength(v, { placeholders: ['ZqxvKorptlanWub'] });
    assert.ok(withList.bits < plain.bits - 40, `${withList.bits} vs ${plain.bits}`);
    assert.ok(withList.notes.includes('placeholder text'));
    // too short entries and lower-casing that changes the length are handled
    assert.doesNotThrow(() => estimateStrength('İstanbul-secret', { placeholders: ['x', 'secret'] }));
  });

  it('pattern notes are reported', () => {
    assert.ok(estimateStrength('aaaaaaaaXk3!').notes.includes('repeated characters'));
    assert.ok(estimateStrength('abcdefXk3!').notes.includes('alphabetical or numerical sequence'));
    assert.ok(estimateStrength('qwertyXk3!').notes.includes('keyboard pattern') || estimateStrength('qwertyXk3!').notes.includes('common password or word'));
    assert.ok(estimateStrength('zxcvbXk3!').notes.includes('keyboard pattern'));
    assert.ok(estimateStrength('Xk3!Xk3!Xk3!').notes.includes('repeated chunk'));
    assert.ok(estimateStrength('dragon-Xk3!').notes.includes('common password or word'));
    assert.ok(estimateStrength('abc').notes.includes('short: fewer than 16 characters'));
  });

  it('common word list is lower-case [a-z0-9] and of reasonable size', () => {
    assert.ok(COMMON_WORDS.length >= 100);
    for (const w of COMMON_WORDS) assert.match(w, /^[a-z0-9]{3,}$/);
  });

});

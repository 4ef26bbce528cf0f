/**
 * The rules for leaks real stacks make: secrets under client-build prefixes, live provider
 * credentials (example files, git escalation), passwords inside URLs, Django W009's exact prefix
 * and the UUIDs Keysmith writes itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getFormat } from '../../src/core/formats.ts';
import { seededRandomSource } from './helpers/seeded.ts';
import { detectProvider, detectSecretProvider, PROVIDER_SHAPES } from '../../src/core/providers.ts';
import { analyzeEnv, DEFAULT_RULE_CONFIG, type AnalyzeInput, type Finding, type RuleConfig } from '../../src/core/rules.ts';
import { urlCredentials } from '../../src/core/urlcreds.ts';

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Random text over `alphabet` from crypto.getRandomValues (rejection sampling, no bias). */
function rand(n: number, alphabet = B62): string {
  let s = '';
  const buf = new Uint8Array(1);
  const limit = 256 - (256 % alphabet.length);
  while (s.length < n) {
    crypto.getRandomValues(buf);
    if (buf[0]! < limit) s += alphabet[buf[0]! % alphabet.length];
  }
  return s;
}

function analyze(text: string, fileName = '.env', extra: Partial<AnalyzeInput> = {}, config?: RuleConfig): Finding[] {
  return analyzeEnv({ text, fileName, ...extra }, config);
}
const only = (fs: readonly Finding[], code: string) => fs.filter((f) => f.code === code);
function noValues(text: string, fs: readonly Finding[], values: readonly string[]): void {
  for (const f of fs) for (const v of values) assert.ok(!f.message.includes(v), `${f.code} message contains a value`);
  void text;
}

/** One live-looking credential per provider shape, made fresh each run. */
const LIVE: Record<string, string> = {
  'stripe-secret-key': `sk_live_${rand(24)}`,
  'stripe-restricted-key': `rk_live_${rand(24)}`,
  'stripe-webhook-secret': `whsec_${rand(32)}`,
  'aws-access-key-id': `AKIA${rand(16, B32)}`,
  'github-token': `ghp_${rand(36)}`,
  'github-fine-grained-token': `github_pat_${rand(22)}_${rand(59)}`,
  'gitlab-token': `glpat-${rand(20)}`,
  'slack-token': `xoxb-${rand(11, '0123456789')}-${rand(13, '0123456789')}-${rand(24)}`,
  'slack-webhook': `https://hooks.slack.com/services/T${rand(8, B32)}/B${rand(8, B32)}/${rand(24)}`,
  'openai-key': `sk-proj-${rand(48)}`,
  'anthropic-key': `sk-ant-api03-${rand(90)}`,
  'google-api-key': `AIza${rand(35)}`,
  'sendgrid-key': `SG.${rand(22)}.${rand(43)}`,
  'npm-token': `npm_${rand(36)}`,
  'pem-private-key': `-----BEGIN RSA PRIVATE KEY-----\\n${rand(64)}\\n-----END RSA PRIVATE KEY-----`,
};

describe('provider table', () => {
  it('recognises one live credential of every listed shape, with provider and description', () => {
    for (const [id, value] of Object.entries(LIVE)) {
      const m = detectProvider(value);
      assert.equal(m?.id, id, `${id} not recognised`);
      assert.ok(m!.description.length > 0 && m!.provider.length > 0);
      assert.ok(!m!.description.includes(value));
    }
    assert.equal(detectProvider(`"${LIVE['stripe-secret-key']}"`)?.id, 'stripe-secret-key', 'quotes are ignored');
  });
  it('every table entry is exercised above', () => {
    const ids = new Set(PROVIDER_SHAPES.map((s) => s.id));
    for (const id of ids) if (id !== 'stripe-publishable-key' && id !== 'openai-legacy-key') assert.ok(id in LIVE, id);
  });
  it('publishable keys are recognised as public by design; near misses are not credentials', () => {
    assert.equal(detectProvider(`pk_live_${rand(24)}`)?.publicByDesign, true);
    assert.equal(detectSecretProvider(`pk_test_${rand(24)}`), undefined);
    assert.equal(detectSecretProvider(LIVE['google-api-key']!), undefined, 'Google API keys are browser keys by design');
    for (const v of ['sk_test_' + rand(24), 'AKIA' + rand(15, B32), 'akia' + rand(16, B32), 'ghp_short', `prefix sk_live_${rand(24)}`, rand(43), 'xoxb-', 'https://hooks.slack.com/', '-----BEGIN PUBLIC KEY-----\\nabc']) {
      assert.equal(detectSecretProvider(v), undefined, `false positive on a ${v.length}-char value`);
    }
  });
  it('no generated Keysmith value is taken for a provider credential (except the sk_live_ api-key shape)', () => {
    // Seeded draws (the same values every run): a random 43-character base64url key is a GitHub
    // token's shape (gh[pousr]_ then 39 letters and digits) about once in 11 million, so 400 fresh
    // ones failed about once in 29,000 runs. The shapes must not match typical generated values.
    const rng = seededRandomSource(0x9e0);
    for (const id of ['hex', 'base64url', 'base64', 'fernet', 'jwt-hs256', 'django', 'password', 'uuid'] as const) {
      for (let i = 0; i < 200; i++) assert.equal(detectProvider(getFormat(id).generate({}, rng)), undefined, id);
    }
    assert.equal(detectProvider(getFormat('api-key').generate())?.id, 'stripe-secret-key');
  });
});

describe('client-exposed-secret', () => {
  it('flags a Stripe secret under NEXT_PUBLIC_ and an OpenAI key under VITE_, as errors naming the framework', () => {
    const text = `NEXT_PUBLIC_STRIPE_SECRET_KEY=${LIVE['stripe-secret-key']}\nVITE_OPENAI_API_KEY=${LIVE['openai-key']}\n`;
    const fs = only(analyze(text), 'client-exposed-secret');
    assert.equal(fs.length, 2);
    assert.equal(fs[0]!.severity, 'error');
    assert.match(fs[0]!.message, /Next\.js/);
    assert.match(fs[0]!.message, /a live Stripe secret key/);
    assert.match(fs[0]!.message, /STRIPE_SECRET_KEY\) and read it on the server/);
    assert.match(fs[1]!.message, /Vite/);
    assert.equal(text.slice(fs[0]!.start, fs[0]!.end), 'NEXT_PUBLIC_STRIPE_SECRET_KEY', 'on the key');
    assert.deepEqual(fs[0]!.fix, { kind: 'rename-key', key: 'NEXT_PUBLIC_STRIPE_SECRET_KEY', newKey: 'STRIPE_SECRET_KEY' });
    noValues(text, fs, Object.values(LIVE));
  });
  it('covers every built-in prefix by name alone, even when the value is empty', () => {
    const frameworks: Record<string, RegExp> = {
      NEXT_PUBLIC_: /Next\.js/, VITE_: /Vite/, REACT_APP_: /Create React App/, NUXT_PUBLIC_: /Nuxt/, EXPO_PUBLIC_: /Expo/,
      PUBLIC_: /SvelteKit and Astro/, GATSBY_: /Gatsby/, VUE_APP_: /Vue CLI/, STORYBOOK_: /Storybook/,
    };
    for (const [prefix, re] of Object.entries(frameworks)) {
      const fs = only(analyze(`${prefix}JWT_SECRET=\n`), 'client-exposed-secret');
      assert.equal(fs.length, 1, prefix);
      assert.match(fs[0]!.message, re);
    }
  });
  it('flags a provider-shaped value under a harmless name', () => {
    const fs = only(analyze(`REACT_APP_CONFIG=${LIVE['github-token']}\n`), 'client-exposed-secret');
    assert.equal(fs.length, 1);
    assert.match(fs[0]!.message, /GitHub token/);
  });
  it('leaves public-by-design keys and non-secret names alone', () => {
    const text = [
      `NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_live_${rand(24)}`,
      `VITE_STRIPE_KEY=pk_test_${rand(24)}`,
      'NEXT_PUBLIC_SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln',
      `NEXT_PUBLIC_FIREBASE_API_KEY=${LIVE['google-api-key']}`,
      'NEXT_PUBLIC_RECAPTCHA_SITE_KEY=6Lc_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'NEXT_PUBLIC_SENTRY_DSN=https://abc@o1.ingest.sentry.io/1',
      'VITE_API_URL=https://api.example.com',
      'NEXT_PUBLIC_APP_NAME=shop',
      'PUBLIC_KEY=ssh-ed25519 AAAA',
      'PUBLIC_URL=/static',
      'STRIPE_SECRET_KEY=' + rand(43),
    ].join('\n');
    assert.deepEqual(only(analyze(text), 'client-exposed-secret'), []);
  });
  it('keysmith.clientPrefixes adds prefixes; the rule can be turned off', () => {
    const cfg: RuleConfig = { ...DEFAULT_RULE_CONFIG, clientPrefixes: ['WEB_'] };
    const fs = only(analyze('WEB_API_SECRET=x\n', '.env', {}, cfg), 'client-exposed-secret');
    assert.equal(fs.length, 1);
    assert.match(fs[0]!.message, /keysmith\.clientPrefixes/);
    assert.deepEqual(only(analyze('WEB_API_SECRET=x\n'), 'client-exposed-secret'), []);
    assert.deepEqual(only(analyze('VITE_API_SECRET=x\n', '.env', {}, { ...DEFAULT_RULE_CONFIG, disabled: ['client-exposed-secret'] }), 'client-exposed-secret'), []);
  });
});

describe('live provider credentials', () => {
  it('example-leak is an error naming the provider, under any key name', () => {
    const text = `STRIPE_KEY=${LIVE['stripe-secret-key']}\nAWS_ACCESS_KEY_ID=${LIVE['aws-access-key-id']}\nSLACK_WEBHOOK_URL=${LIVE['slack-webhook']}\nDOC_KEY=AKIAIOSFODNN7EXAMPLE\nMASKED=sk_live_xxxxxxxxxxxx\n`;
    const fs = only(analyze(text, '.env.example'), 'example-leak');
    assert.deepEqual(fs.map((f) => f.key), ['STRIPE_KEY', 'AWS_ACCESS_KEY_ID', 'SLACK_WEBHOOK_URL']);
    assert.ok(fs.every((f) => f.severity === 'error'));
    assert.match(fs[0]!.message, /a live Stripe secret key/);
    assert.match(fs[1]!.message, /an AWS access key id/);
    assert.match(fs[2]!.message, /Slack incoming webhook/);
    noValues(text, fs, Object.values(LIVE));
  });
  it('a .env that git does not ignore, or tracks, gets an error naming what it holds', () => {
    const text = `STRIPE_SECRET_KEY=${LIVE['stripe-secret-key']}\nGITHUB_TOKEN=${LIVE['github-token']}\nPORT=3000\n`;
    const notIgnored = only(analyze(text, '.env', { git: { ignored: false, tracked: false } }), 'env-not-ignored');
    assert.equal(notIgnored[0]!.severity, 'error');
    assert.match(notIgnored[0]!.message, /a live Stripe secret key \(STRIPE_SECRET_KEY\) and a GitHub token \(GITHUB_TOKEN\)/);
    const tracked = only(analyze(text, '.env', { git: { ignored: true, tracked: true } }), 'env-tracked');
    assert.equal(tracked[0]!.severity, 'error');
    assert.match(tracked[0]!.message, /a live Stripe secret key/);
    noValues(text, [...notIgnored, ...tracked], Object.values(LIVE));
    // Without credentials: the usual warning; a severity setting still wins.
    assert.equal(only(analyze('PORT=1\n', '.env', { git: { ignored: false, tracked: false } }), 'env-not-ignored')[0]!.severity, 'warning');
    const cfg: RuleConfig = { ...DEFAULT_RULE_CONFIG, severities: { 'env-not-ignored': 'info' } };
    assert.equal(only(analyze(text, '.env', { git: { ignored: false, tracked: false } }, cfg), 'env-not-ignored')[0]!.severity, 'info');
  });
});

describe('credentials inside URLs', () => {
  it('urlCredentials finds the password range, decodes it, and ignores URLs without one', () => {
    const c = urlCredentials('postgres://app:p%40ss@db:5432/app')!;
    assert.equal(c.password, 'p@ss');
    assert.equal('postgres://app:p%40ss@db:5432/app'.slice(c.start, c.end), 'p%40ss');
    assert.equal(urlCredentials('redis://:s3cret@cache:6379')!.hasUser, false);
    for (const v of ['https://example.com/a@b', 'postgres://app@db/app', 'postgres://app:@db/app', 'mailto:a@b.c', 'not a url', 'https://example.com:8443/x']) {
      assert.equal(urlCredentials(v), undefined, v);
    }
  });
  it('judges the password like a secret, on the password range, under any key', () => {
    const text = 'DATABASE_URL=postgres://app:password@localhost:5432/app\nREDIS_URL="redis://:Xy7pQ2@cache:6379"\n';
    const fs = only(analyze(text), 'weak-secret');
    assert.equal(fs.length, 2);
    assert.equal(text.slice(fs[0]!.start, fs[0]!.end), 'password');
    assert.equal(fs[0]!.reason, 'url-placeholder');
    assert.equal(text.slice(fs[1]!.start, fs[1]!.end), 'Xy7pQ2');
    assert.equal(fs[1]!.reason, 'url-low-entropy');
    assert.equal(fs[1]!.line, 1);
    assert.deepEqual(fs[0]!.fix, { kind: 'regenerate-url-password', key: 'DATABASE_URL', entryIndex: 0 });
    noValues(text, fs, ['app:password', 'Xy7pQ2']);
  });
  it('a strong password, a reference and a URL without credentials are never weak', () => {
    const strong = getFormat('base64url').generate();
    const text = [
      `DATABASE_URL=postgres://app:${strong}@db:5432/app`,
      'CACHE_URL=redis://:${REDIS_PASSWORD}@cache:6379',
      'API_SECRET_URL=https://example.com/hooks/abc',
      'SECRET_ENDPOINT=https://api.example.com',
    ].join('\n');
    assert.deepEqual(only(analyze(text), 'weak-secret'), []);
  });
});

describe('weak-secret: Django W009 prefix and UUIDs', () => {
  it('django-insecure- is matched case-sensitively, like Django', () => {
    const body = getFormat('django').generate();
    const lower = only(analyze(`DJANGO_SECRET_KEY=django-insecure-${body}\n`), 'weak-secret');
    assert.equal(lower[0]?.reason, 'django-insecure');
    const upper = only(analyze(`DJANGO_SECRET_KEY='Django-insecure-${body}'\n`), 'weak-secret');
    assert.deepEqual(upper.map((f) => f.reason), [], 'Django-insecure- is not made by startproject and passes W009');
  });
  it('a random UUID that populate writes for *_UUID passes the check', () => {
    for (let i = 0; i < 2000; i++) {
      const v = getFormat('uuid').generate();
      assert.deepEqual(only(analyze(`SESSION_SECRET_UUID=${v}\nAPI_TOKEN=${v}\n`), 'weak-secret'), []);
    }
    // Found by chance, about one random UUID in two million: a repeated chunk (4aa1) and runs cost
    // it 28 bits, estimated 94; random hex gets the same 40-bit chance margin as other formats.
    assert.deepEqual(only(analyze('SESSION_SECRET_UUID=997c4aa1-4aa1-4160-a111-1145337a14c8\n'), 'weak-secret'), []);
    // A time-based or nil UUID is still weak.
    assert.equal(only(analyze('SESSION_SECRET_UUID=00000000-0000-0000-0000-000000000000\n'), 'weak-secret').length, 1);
  });
});

describe('weak-secret: hex keys that are all digits', () => {
  it('a 16-byte hex key made only of digits by chance (one in 3.4 million) passes; patterned digits do not', () => {
    for (const key of ['SESSION_SECRET_HEX', 'API_SECRET']) {
      assert.deepEqual(only(analyze(`${key}=12543719504701640416065058722710\n`), 'weak-secret'), [], key);
      assert.equal(only(analyze(`${key}=20240101202401012024010120240101\n`), 'weak-secret')[0]?.reason, 'low-entropy', key);
    }
    // Too short to hold 128 bits even as hex: no margin.
    assert.equal(only(analyze('API_SECRET=3141592653589793238462643383\n'), 'weak-secret')[0]?.reason, 'low-entropy');
  });
});

describe('weak-secret: guessable phrases', () => {
  it('the phrases of the issue are flagged, the generated ones are not', () => {
    for (const p of ['thisismysupersecretkeythatnobodywillguess', 'my_super_secret_jwt_key_for_development_only_123', 'please-change-this-secret-in-production', 'ThisIsAVeryLongSecretKeyForJWTAuthentication']) {
      const [f] = only(analyze(`API_SECRET=${p}\n`), 'weak-secret');
      assert.ok(f, `${p.length}-character phrase not flagged`);
      assert.ok(!f.message.includes(p));
    }
    for (const id of ['base64url', 'hex', 'password', 'django'] as const) assert.deepEqual(only(analyze(`API_SECRET="${getFormat(id).generate()}"\n`), 'weak-secret'), [], id);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PLACEHOLDERS,
  DEFAULT_SECRET_NAME_PATTERNS,
  inferFormat,
  isPlaceholder,
  isSecretName,
  looksLikeNonSecretValue,
  matchesKeyPattern,
  pasteKind,
  splitKeyName,
  unquoteValue,
  type FormatId,
  type InferFormatContext,
} from '../../src/core/secrets.ts';

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function randomBase64url(chars: number): string {
  let s = '';
  for (const b of randomBytes(chars)) s += B64URL[b & 63];
  return s;
}
function randomHex(bytes: number): string {
  return Array.from(randomBytes(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- splitKeyName ---------------------------------------------------------------------------

describe('splitKeyName', () => {
  const table: [string, string[]][] = [
    ['AWS_SECRET_ACCESS_KEY', ['AWS', 'SECRET', 'ACCESS', 'KEY']],
    ['apiKey', ['API', 'KEY']],
    ['APIKey', ['API', 'KEY']],
    ['myAPIKey2', ['MY', 'API', 'KEY2']],
    ['x-api-key', ['X', 'API', 'KEY']],
    ['my.secret.value', ['MY', 'SECRET', 'VALUE']],
    ['__KEY__', ['KEY']],
    ['KEYBOARD_LAYOUT', ['KEYBOARD', 'LAYOUT']],
    ['JWT_HS256_SECRET', ['JWT', 'HS256', 'SECRET']],
    ['S3_BUCKET', ['S3', 'BUCKET']],
    ['clientSecret', ['CLIENT', 'SECRET']],
    ['oauth2Token', ['OAUTH2', 'TOKEN']],
    ['OAuth2Token', ['O', 'AUTH2', 'TOKEN']],
    ['TOKEN_BASE64URL', ['TOKEN', 'BASE64URL']],
    ['sha256Hmac', ['SHA256', 'HMAC']],
    ['', []],
    ['___', []],
    ['ключ_KEY', ['KEY']],
  ];
  for (const [key, words] of table) {
    it(`${JSON.stringify(key)} → ${words.join(' ')}`, () => assert.deepEqual(splitKeyName(key), words));
  }
});

// ---- isSecretName ---------------------------------------------------------------------------

describe('isSecretName', () => {
  const secrets = [
    'SECRET', 'SECRET_KEY', 'DJANGO_SECRET_KEY', 'SECRET_KEY_BASE', 'CLIENT_SECRET', 'GITHUB_CLIENT_SECRET',
    'SESSION_SECRET', 'COOKIE_SECRET', 'NEXTAUTH_SECRET', 'AWS_SECRET_ACCESS_KEY', 'WEBHOOK_SECRET',
    'KEY', '_KEY', 'KEY_', 'API_KEY', 'apiKey', 'APIKEY', 'OPENAIAPIKEY', 'OPENAI_API_KEY', 'x-api-key',
    'ENCRYPTION_KEY', 'SIGNING_KEY', 'MASTER_KEY', 'LICENSE_KEY', 'ACCESS_KEY', 'API_KEYS', 'KEY2', 'API_KEY_2',
    'TOKEN', 'GITHUB_TOKEN', 'GITHUBTOKEN', 'ACCESS_TOKEN', 'REFRESH_TOKEN', 'csrfToken', 'NPM_TOKEN', 'SLACK_BOT_TOKEN',
    'PASSWORD', 'DB_PASSWORD', 'PGPASSWORD', 'MYSQL_ROOT_PASSWORD', 'dbPassword', 'PASSWD', 'SMTP_PASS', 'REDIS_PASS',
    'DB_PWD', 'PASSPHRASE', 'SSH_KEY_PASSPHRASE',
    'SALT', 'HASH_SALT', 'PEPPER', 'PRIVATE_KEY', 'PRIVATEKEY', 'JWT_PRIVATE_KEY', 'CREDENTIALS', 'DB_CREDENTIALS',
    'CREDENTIAL', 'CREDS', 'AUTH', 'BASIC_AUTH', 'AUTH_TOKEN', 'AUTHORIZATION', 'BEARER', 'BEARER_TOKEN',
    'SIGNING_SECRET', 'ENCRYPTION', 'FERNET_KEY', 'FERNET', 'JWT', 'JWT_SECRET', 'HMAC_KEY', 'HMACSECRET',
    'my.secret.value', 'SECRET_1',
    // Issue 10's vocabulary: PW, PASS, SIGN/SIGNING, HMAC, COOKIE, SESSION, CREDENTIALS, WEBHOOK, DSN, CONNECTION_STRING.
    'REDIS_PW', 'DB_PW', 'MAIL_PASS', 'COOKIE_SIGN', 'SIGNING_KEY', 'WEBHOOK_SIGNING', 'HMAC', 'COOKIE', 'SESSION',
    'SESSION_KEY', 'SESSION_COOKIE', 'APP_CREDENTIALS', 'SLACK_WEBHOOK', 'DISCORD_WEBHOOK', 'SENTRY_DSN', 'DSN',
    'DATABASE_CONNECTION_STRING', 'AZURE_STORAGE_CONNECTION_STRING',
  ];
  for (const key of secrets) it(`${key} is a secret`, () => assert.equal(isSecretName(key), true));

  const nonSecrets = [
    'PORT', 'HOST', 'HOSTNAME', 'DATABASE_URL', 'REDIS_URL', 'API_URL', 'CALLBACK_URI', 'DEBUG', 'NODE_ENV', 'LOG_LEVEL',
    'KEYBOARD', 'KEYBOARD_LAYOUT', 'MONKEY', 'TURKEY', 'HOCKEY', 'WHISKEY', 'DONKEY_COUNT', 'KEYCLOAK_URL',
    'PUBLIC_KEY', 'JWT_PUBLIC_KEY', 'NEXT_PUBLIC_API_KEY', 'NEXT_PUBLIC_SUPABASE_ANON_KEY', 'NUXT_PUBLIC_API_KEY',
    'EXPO_PUBLIC_API_KEY', 'STRIPE_PUBLISHABLE_KEY', 'SSH_KEY_PUB',
    'AWS_ACCESS_KEY_ID', 'KEY_ID', 'SECRET_KEY_ID', 'CLIENT_ID', 'OAUTH_CLIENT_ID',
    'MAX_TOKENS', 'OPENAI_MAX_TOKENS', 'TOKENIZERS_PARALLELISM', 'TOKEN_LIMIT', 'CSRF_TOKEN_NAME',
    'PASSENGER_COUNT', 'BYPASS_CACHE', 'COMPASS', 'PWD', 'OLDPWD',
    // Attributes of sessions, cookies and webhooks, not the secrets themselves.
    'SESSION_DRIVER', 'SESSION_LIFETIME', 'SESSION_ENGINE', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_SAMESITE',
    'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_NAME', 'SESSION_COOKIE_AGE', 'COOKIE_DOMAIN', 'SESSION_ENCRYPT',
    'SESSION_CONNECTION', 'SESSION_STORE', 'SLACK_WEBHOOK_URL', 'SIGN_IN_URL', 'SESSION_TIMEOUT',
    'JWT_EXPIRES_IN', 'JWT_ALGORITHM', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_TTL', 'TOKEN_EXPIRY',
    'SESSION_TIMEOUT', 'PASSWORD_MIN_LENGTH', 'PASSWORD_RESET_TIMEOUT', 'SALT_ROUNDS', 'BCRYPT_SALT_ROUNDS',
    'AUTH_ENABLED', 'AUTH_URL', 'AUTH_PROVIDER', 'AUTH0_DOMAIN', 'AUTH_TRUST_HOST', 'NEXTAUTH_URL', 'OAUTH',
    'GOOGLE_APPLICATION_CREDENTIALS', 'AWS_SHARED_CREDENTIALS_FILE', 'DB_PASSWORD_FILE', 'SSL_KEY_PATH',
    'PRIVATE_KEY_PATH', 'SECRET_NAME', 'SECRETS_MANAGER_ARN', 'AZURE_KEY_VAULT', 'KEY_VAULT_NAME',
    'ADMIN_PASSWORD_HASH', 'PARTITION_KEY', 'SORT_KEY', 'PRIMARY_KEY', 'ROUTING_KEY', 'CACHE_KEY', 'S3_OBJECT_KEY',
    'SSL_CERT', 'TLS_CERT', 'CERTIFICATE', 'CA_CERT', 'SENTRY_DSN_URL', 'PRIVATE_NETWORK_CIDR', 'PRIVATE_IP',
    'ENCRYPTION_ALGORITHM', 'SIGNING_REGION', 'AUTH_USER', 'SMTP_USER', 'DB_USERNAME', 'SSH_AUTH_SOCK',
    '', '___',
  ];
  for (const key of nonSecrets) it(`${JSON.stringify(key)} is not a secret`, () => assert.equal(isSecretName(key), false));

  it('extra patterns: glob, regex, word fragment, and they win over the defaults', () => {
    assert.equal(isSecretName('STRIPE_THING'), false);
    assert.equal(isSecretName('STRIPE_THING', ['STRIPE_*']), true);
    assert.equal(isSecretName('stripe_thing', ['STRIPE_*']), true);
    assert.equal(isSecretName('MY_SIGNATURE', ['*_SIGNATURE']), true);
    assert.equal(isSecretName('LICENCE', ['/^LICEN[CS]E$/']), true);
    assert.equal(isSecretName('licence', ['/^LICEN[CS]E$/']), true); // always case-insensitive
    assert.equal(isSecretName('LICENCE_URL', ['/^LICEN[CS]E$/']), false);
    assert.equal(isSecretName('APP_MAGIC_WORD', ['MAGIC_WORD']), true);
    assert.equal(isSecretName('appMagicWord', ['MAGIC_WORD']), true);
    assert.equal(isSecretName('MAGICWORDS', ['MAGIC_WORD']), false);
    assert.equal(isSecretName('STRIPE_PUBLISHABLE_KEY', ['STRIPE_*']), true); // user patterns win
    assert.equal(isSecretName('PORT', ['/(/']), false); // invalid regex matches nothing
    assert.equal(isSecretName('PORT', []), false);
  });

  it('default patterns are non-empty strings without duplicates', () => {
    assert.ok(DEFAULT_SECRET_NAME_PATTERNS.length > 10);
    assert.equal(new Set(DEFAULT_SECRET_NAME_PATTERNS).size, DEFAULT_SECRET_NAME_PATTERNS.length);
    for (const p of DEFAULT_SECRET_NAME_PATTERNS) assert.ok(p.trim().length > 0);
  });
});

describe('matchesKeyPattern', () => {
  const table: [string, string, boolean][] = [
    ['STRIPE_SECRET_KEY', 'STRIPE_*', true],
    ['stripe_secret_key', 'STRIPE_*', true],
    ['MY_STRIPE_KEY', 'STRIPE_*', false],
    ['GITHUB_TOKEN', '*_TOKEN', true],
    ['TOKEN', '*_TOKEN', false],
    ['A_SECRET_B', '*SECRET*', true],
    ['A.B', 'A.B', true], // '.' is literal in globs and fragments
    ['AXB', 'A*B', true],
    ['AXB', 'A.B', false],
    ['FOO_BAR', '/^foo_/', true],
    ['XFOO_BAR', '/^foo_/', false],
    ['FOO_BAR', '/bar$/i', true],
    ['FOO_BAR', '/bar$/g', true], // g dropped, i added
    ['FOO', '/(/', false],
    ['FOO', '//', false],
    ['GITHUB_CLIENT_SECRET', 'CLIENT_SECRET', true],
    ['clientSecret', 'client_secret', true],
    ['CLIENT_SECRETS', 'CLIENT_SECRET', false],
    ['KEY2', 'KEY', true],
    ['MONKEY', 'KEY', false],
    ['ANY', '', false],
    ['ANY', '*', true],
  ];
  for (const [key, pattern, expected] of table) {
    it(`${key} ~ ${pattern} → ${expected}`, () => assert.equal(matchesKeyPattern(key, pattern), expected));
  }

  it('repeated calls give the same answer (cache)', () => {
    for (let i = 0; i < 3; i++) assert.equal(matchesKeyPattern('GITHUB_TOKEN', '*_TOKEN'), true);
  });
});

// ---- placeholders ---------------------------------------------------------------------------

describe('isPlaceholder', () => {
  const placeholders = [
    '', '   ', '""', "''", '``', '" "', '-', '...', '___',
    'changeme', 'CHANGEME', 'change-me', 'change_me', 'Change Me', '"changeme"', "  'change_me'  ", 'changeme123',
    'change-this-in-production', 'changeit', 'replace-me', 'replace_with_a_real_key', 'insert-key-here',
    'insert_your_token', 'enter-your-key', 'xxx', 'XXXX', 'xxxxxxxxxxxxxxxx', 'sk_live_xxxxxxxx', 'AKIAXXXXXXXXXXXXXXXX',
    '****', '********', '•••••', '###', '<your key>', '<SECRET>', '<>', '{{ API_KEY }}', '{{secret}}',
    'TODO', 'todo: fill in', 'TODO_SET_ME', 'FIXME', 'TBD', 'tbd-later', 'your-secret-here', 'your_api_key',
    'YOUR_API_KEY', 'your-key-here', 'YourSecretKey', 'yourapikey', 'your token', 'put-your-token-here',
    'secret goes here', 'secret', 'Secret', 'password', 'password1', 'Password123', 'passwd', 'example',
    'sample-key', 'example_secret', 'test', 'testing', 'test123', 'dummy', 'dummy_key', 'fake', 'fake-token', 'foo', 'bar',
    'foobar', 'placeholder', 'placeholder-token', 'null', 'NULL', 'None', 'undefined', 'nil', 'n/a', 'N/A', 'empty',
    'redacted', '1234', '123456', '12345678', '1234567890', '0123456789', '0000', '00000000', '1', 'x', 'aaaa',
    'abc', 'abcdef', 'abc123', 'qwerty', 'p@ssw0rd', 's3cr3t', 'mysecret', 'supersecret', 'secret-key',
    'django-insecure-k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5f4g3h',
    'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'AKIAI44QH8DHBEXAMPLE', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY', 'AKIAJEXAMPLEEXAMPLE',
    'sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'pk_test_TYooMQauvdEDq54NiTphI7jx',
    'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=', 'your-256-bit-secret', 'your-512-bit-secret', 'SomeRandomString',
  ];
  for (const v of placeholders) it(`${JSON.stringify(v)} is a placeholder`, () => assert.equal(isPlaceholder(v), true));

  const real = [
    'hQ3k9vLm2PzR8wXc', 'k9#m2!q@x8v$z1&w4^r7(t3)e6-u5_y0=i+o9p8a7s6d5f4g3h', '3f2c8a4e-9b1d-4c7e-a5f0-6d2b8e1c9a47',
    'sk_live_51HqLyjWDarjtT1zdp7dcQ3k9vLm2PzR8wXc', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    'correct horse battery staple', 'yourself-is-not-a-placeholder-9f', 'nowhere', 'somewhere', 'Testament-of-Time-42',
    'tbdX9qLm', 'todos-are-done-7Q', 'fakeroo42Qx', '2468', 'bcd', 'zyx', '${OTHER_VAR}', '$OTHER', 'admin',
  ];
  for (const v of real) it(`${JSON.stringify(v)} is not a placeholder`, () => assert.equal(isPlaceholder(v), false));

  it('random keys are never placeholders', () => {
    for (let i = 0; i < 300; i++) {
      const a = randomHex(32);
      const b = randomBase64url(43);
      assert.equal(isPlaceholder(a), false, a);
      assert.equal(isPlaceholder(b), false, b);
    }
  });

  it('extra placeholders: exact (normalised) and glob', () => {
    assert.equal(isPlaceholder('acme-dev-key'), false);
    assert.equal(isPlaceholder('acme-dev-key', ['ACME_DEV_KEY']), true);
    assert.equal(isPlaceholder(' "Acme Dev Key" ', ['acme-dev-key']), true);
    assert.equal(isPlaceholder('acme-prod-key', ['acme-dev-key']), false);
    assert.equal(isPlaceholder('dev-only-1234abcd', ['dev-only-*']), true);
    assert.equal(isPlaceholder('DEV-ONLY-zz', ['dev-only-*']), true);
    assert.equal(isPlaceholder('prod-dev-only-1', ['dev-only-*']), false);
    assert.equal(isPlaceholder('hQ3k9vLm2PzR8wXc', ['', '  ']), false);
  });

  it('default list entries are all placeholders themselves', () => {
    for (const p of DEFAULT_PLACEHOLDERS) assert.equal(isPlaceholder(p), true, p);
  });
});

describe('unquoteValue', () => {
  const table: [string, string][] = [
    ['  abc  ', 'abc'],
    ['"abc"', 'abc'],
    ["'abc'", 'abc'],
    ['`abc`', 'abc'],
    ['" abc "', 'abc'],
    ['"abc', '"abc'],
    ['"abc\'', '"abc\''],
    ['""', ''],
    ['"', '"'],
  ];
  for (const [input, output] of table) it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => assert.equal(unquoteValue(input), output));
});

// ---- non-secret values ----------------------------------------------------------------------

describe('looksLikeNonSecretValue', () => {
  const yes = [
    'https://example.com', 'http://localhost:3000/api', 'postgres://user:pass@db:5432/app', 'redis://cache:6379',
    'amqp://guest:guest@rabbit', 's3://bucket/key', '"https://example.com"', 'true', 'FALSE', 'yes', 'No', 'on', 'off',
    'enabled', 'Disabled', '0', '1', '8080', '-1', '+42', '3.14', '.5', '1e6', '2.5E-3', '123456789012345',
    '127.0.0.1', '10.0.0.1:5432', 'localhost', 'LOCALHOST:8080', '30s', '15m', '1h', '7d', '100ms', '10mb', '1.5GB',
  ];
  for (const v of yes) it(`${JSON.stringify(v)} is a non-secret value`, () => assert.equal(looksLikeNonSecretValue(v), true));

  const no = [
    '', '   ', 'changeme', 'hQ3k9vLm2PzR8wXc', '1234567890123456', '0123456789abcdef0123456789abcdef',
    'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=', 'example.com', 'user:pass', 'http//nope', 'https://a b',
    'truee', '1.2.3', '999.1.1', '30 s', 'ms', '3f2c8a4e-9b1d-4c7e-a5f0-6d2b8e1c9a47',
  ];
  for (const v of no) it(`${JSON.stringify(v)} is not a non-secret value`, () => assert.equal(looksLikeNonSecretValue(v), false));
});

// ---- inferFormat ----------------------------------------------------------------------------

describe('inferFormat', () => {
  const base: InferFormatContext = { defaultFormat: 'base64url' };
  const django: InferFormatContext = { defaultFormat: 'base64url', isDjangoProject: true };

  const table: [string, InferFormatContext, FormatId | null][] = [
    // built-ins
    ['FERNET_KEY', base, 'fernet'],
    ['AIRFLOW__CORE__FERNET_KEY', base, 'fernet'],
    ['fernetKey', base, 'fernet'],
    ['JWT_SECRET', base, 'jwt-hs256'],
    ['JWT_SECRET_KEY', base, 'jwt-hs256'],
    ['JWT', base, 'jwt-hs256'],
    ['jwtSecret', base, 'jwt-hs256'],
    ['HS256_SECRET', base, 'jwt-hs256'],
    ['JWT_HS384_SECRET', base, 'jwt-hs384'],
    ['JWT_HS512_SECRET', base, 'jwt-hs512'],
    ['HS512_KEY', base, 'jwt-hs512'],
    ['DJANGO_SECRET_KEY', base, 'django'],
    ['DJANGO_SECRET', base, 'django'],
    ['SECRET_KEY', django, 'django'],
    ['SECRET_KEY', base, 'base64url'],
    ['APP_SECRET_KEY', django, 'base64url'],
    ['SESSION_SECRET_HEX', base, 'hex'],
    ['JWT_SECRET_HEX', base, 'hex'],
    ['ENCRYPTION_KEY_HEX', base, 'hex'],
    ['SECRET_BASE64', base, 'base64'],
    ['SIGNING_KEY_B64', base, 'base64'],
    ['TOKEN_BASE64URL', base, 'base64url'],
    ['SECRET_UUID', base, 'uuid'],
    ['APP_UUID', base, null], // not a secret name
    ['DB_PASSWORD', base, 'password'],
    ['PGPASSWORD', base, 'password'],
    ['MYSQL_ROOT_PASSWORD', base, 'password'],
    ['PASSWD', base, 'password'],
    ['DB_PWD', base, 'password'],
    ['SMTP_PASS', base, 'password'],
    ['adminPassword', base, 'password'],
    ['GPG_PASSPHRASE', base, 'passphrase'],
    ['API_KEY', base, 'api-key'],
    ['OPENAI_API_KEY', base, 'api-key'],
    ['apiKey', base, 'api-key'],
    ['SENDGRIDAPIKEY', base, 'api-key'],
    ['SALT', base, 'base64url'],
    ['PASSWORD_SALT', base, 'base64url'], // the last word names it: a salt
    ['HASH_SALT', { defaultFormat: 'hex' }, 'base64url'],
    ['PEPPER', { defaultFormat: 'hex' }, 'base64url'],
    ['SESSION_SECRET', base, 'base64url'],
    ['SESSION_SECRET', { defaultFormat: 'hex' }, 'hex'],
    ['NEXTAUTH_SECRET', { defaultFormat: 'base64' }, 'base64'],
    ['AWS_SECRET_ACCESS_KEY', base, 'base64url'],
    ['GITHUB_TOKEN', base, 'base64url'],
    // asymmetric key material: not generated
    ['PRIVATE_KEY', base, null],
    ['JWT_PRIVATE_KEY', base, null],
    ['SSH_PRIVATE_KEY', base, null],
    ['RSA_KEY', base, null],
    ['TLS_KEY', base, null],
    ['SIGNING_KEY_PEM', base, null],
    // non-secrets
    ['PORT', base, null],
    ['HOST', base, null],
    ['DATABASE_URL', base, null],
    ['DEBUG', base, null],
    ['NODE_ENV', base, null],
    ['KEYBOARD', base, null],
    ['MONKEY', base, null],
    ['TURKEY', base, null],
    ['PUBLIC_KEY', base, null],
    ['NEXT_PUBLIC_API_KEY', base, null],
    ['STRIPE_PUBLISHABLE_KEY', base, null],
    ['AWS_ACCESS_KEY_ID', base, null],
    ['JWT_EXPIRES_IN', base, null],
    ['JWT_ALGORITHM', base, null],
    ['PASSWORD_MIN_LENGTH', base, null],
    ['', base, null],
  ];
  for (const [key, ctx, expected] of table) {
    const label = `${JSON.stringify(key)}${ctx.isDjangoProject ? ' (django)' : ''} [default ${ctx.defaultFormat}] → ${expected}`;
    it(label, () => assert.equal(inferFormat(key, ctx), expected));
  }

  it('user rules come first, in order, and may name non-secret keys', () => {
    const ctx: InferFormatContext = {
      defaultFormat: 'base64url',
      rules: [
        { pattern: 'STRIPE_*', format: 'api-key' },
        { pattern: '*_TOKEN', format: 'hex' },
        { pattern: '/^legacy_/', format: 'password' },
        { pattern: 'INTERNAL_ID', format: 'uuid' },
        { pattern: '/(/', format: 'fernet' }, // invalid: ignored
      ],
    };
    assert.equal(inferFormat('STRIPE_SECRET_KEY', ctx), 'api-key');
    assert.equal(inferFormat('stripe_webhook_token', ctx), 'api-key'); // first rule wins
    assert.equal(inferFormat('GITHUB_TOKEN', ctx), 'hex');
    assert.equal(inferFormat('LEGACY_DB_PASS', ctx), 'password');
    assert.equal(inferFormat('FERNET_KEY', ctx), 'fernet'); // built-in, no rule matched
    assert.equal(inferFormat('APP_INTERNAL_ID', ctx), 'uuid'); // rule wins over the *_ID non-secret suffix
    assert.equal(inferFormat('STRIPE_PUBLISHABLE_KEY', ctx), 'api-key'); // explicit rule wins
    assert.equal(inferFormat('PORT', ctx), null);
    assert.equal(inferFormat('PRIVATE_KEY', { defaultFormat: 'hex', rules: [{ pattern: 'PRIVATE_KEY', format: 'hex' }] }), 'hex');
  });

  it('DSNs, webhooks and connection strings are secrets Keysmith cannot generate: null, and <paste: …> in examples', () => {
    for (const key of ['SENTRY_DSN', 'SLACK_WEBHOOK', 'DATABASE_CONNECTION_STRING', 'PRIVATE_KEY']) {
      assert.equal(isSecretName(key), true, key);
      assert.equal(inferFormat(key, { defaultFormat: 'hex' }), null, key);
    }
    assert.equal(pasteKind('SENTRY_DSN'), 'DSN');
    assert.equal(pasteKind('SLACK_WEBHOOK'), 'webhook URL');
    assert.equal(pasteKind('DATABASE_CONNECTION_STRING'), 'connection string');
    assert.equal(pasteKind('API_KEY'), null);
    // A webhook's signing secret is a shared secret: generated.
    assert.equal(inferFormat('WEBHOOK_SECRET', { defaultFormat: 'hex' }), 'hex');
    assert.equal(inferFormat('WEBHOOK_SIGNING_SECRET', { defaultFormat: 'hex' }), 'hex');
    assert.equal(inferFormat('REDIS_PW', { defaultFormat: 'hex' }), 'password');
    assert.equal(inferFormat('COOKIE_SIGN', { defaultFormat: 'hex' }), 'hex');
  });

  it('extra secret patterns make otherwise unknown keys secret', () => {
    assert.equal(inferFormat('STRIPE_THING', { defaultFormat: 'hex' }), null);
    assert.equal(inferFormat('STRIPE_THING', { defaultFormat: 'hex', secretPatterns: ['STRIPE_*'] }), 'hex');
    assert.equal(inferFormat('MAGIC_PASSWORD_THING', { defaultFormat: 'hex', secretPatterns: ['MAGIC'] }), 'password');
  });
});

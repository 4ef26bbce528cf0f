// Frozen copy of src/core/ at 65b1530 (before the issue #12 work on the rules' speed): the reference
// that analyze-equivalence.test.ts compares analyzeEnv with. Do not edit. Imports of modules that
// are not frozen (the parser, formats, file names, rule types, the word list) point at src/core.

/**
 * Live provider credentials: one table of well-known secret shapes (Stripe, AWS, GitHub, GitLab,
 * Slack, OpenAI, Anthropic, Google, SendGrid, npm, PEM private keys), used by the rules
 * (`example-leak`, the git rules, `client-exposed-secret`), the hover and anyone else that needs
 * to say what a value is. Pure; never returns or logs any part of the value.
 *
 * The shapes are the providers' documented token formats (prefix, alphabet, length), as also
 * collected in gitleaks' public rule set; this table is written from those facts:
 *  - Stripe: secret keys `sk_live_…`, restricted keys `rk_live_…`, webhook signing secrets
 *    `whsec_…`; publishable keys `pk_live_…`/`pk_test_…` are public by design.
 *  - AWS: access key ids are 20 characters, `AKIA` (long-term) or `ASIA` (temporary, STS) and 16
 *    characters of base32 (A–Z, 2–7).
 *  - GitHub: `ghp_` (personal), `gho_` (OAuth), `ghs_` (app installation), `ghu_` (user-to-server),
 *    `ghr_` (refresh) + 36 alphanumerics; fine-grained tokens `github_pat_` + 82 word characters.
 *  - GitLab: personal access tokens `glpat-` + 20 or more characters of [A-Za-z0-9_-].
 *  - Slack: bot/user/app/refresh/config tokens `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`,
 *    `xoxe-`…; incoming webhooks `https://hooks.slack.com/services/T…/B…/…` (and `/workflows/`).
 *  - OpenAI: project keys `sk-proj-…`, service-account keys `sk-svcacct-…`, admin keys
 *    `sk-admin-…`, legacy keys with the `T3BlbkFJ` marker in the middle.
 *  - Anthropic: `sk-ant-api03-…`, `sk-ant-admin01-…`.
 *  - Google: API keys `AIza` + 35 characters of [A-Za-z0-9_-] (often meant for browsers, e.g.
 *    Maps or Firebase, when restricted by referrer).
 *  - SendGrid: `SG.` + 22 + `.` + 43 characters of [A-Za-z0-9_-].
 *  - npm: access tokens `npm_` + 36 alphanumerics.
 *  - PEM: `-----BEGIN … PRIVATE KEY-----` blocks.
 * The leak guard (src/core/leakguard.ts) looks for the same families in free text, with the
 * lenient `text` patterns of the same rows, plus a few text-only ones (Hugging Face, PyPI, JWTs,
 * URLs with a password).
 */

export interface ProviderMatch {
  /** Stable id, e.g. 'stripe-secret-key'. */
  readonly id: string;
  /** Provider name, e.g. 'Stripe'. */
  readonly provider: string;
  /** What the value is, with its article, e.g. 'a live Stripe secret key'. */
  readonly description: string;
  /** Meant to be public (shipped to browsers): a Stripe publishable key, a Google browser API key. */
  readonly publicByDesign: boolean;
}

export interface ProviderShape extends ProviderMatch {
  /** Anchored; tested against the trimmed, unquoted value. */
  readonly re: RegExp;
  /** Cheap pre-check: the trimmed value starts with one of these (case-sensitive). */
  readonly prefixes: readonly string[];
}

/**
 * One family of credentials, in the two ways Keysmith looks for it:
 *  - `text`: an unanchored pattern that finds it inside free text (a comment, a printed line).
 *    The leak guard uses these; they are lenient on purpose (test keys, shorter bodies, tokens
 *    inside sentences), since what they find is only withheld, never reported as a live key.
 *  - `values`: the anchored shapes of a whole value, each naming the provider and what the value
 *    is. The rules and the hover use these (detectProvider); they are exact, since what they find
 *    becomes an error that names the provider.
 * Families with no `values` (JWTs, URLs with a password, …) are only looked for in text.
 */
export interface CredentialFamily {
  /** Stable id, e.g. 'github'. */
  readonly id: string;
  /** What text matching `text` looks like, with its article, e.g. 'a GitHub token'. */
  readonly label: string;
  readonly text: RegExp;
  readonly values: readonly ProviderShape[];
}

const shape = (id: string, provider: string, description: string, prefixes: readonly string[], re: RegExp, publicByDesign = false): ProviderShape => ({
  id,
  provider,
  description,
  prefixes,
  re,
  publicByDesign,
});

/** The table: one row per family, in the order the leak guard reports them. */
export const CREDENTIAL_FAMILIES: readonly CredentialFamily[] = [
  {
    id: 'github',
    label: 'a GitHub token',
    text: /\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})/,
    values: [
      shape('github-token', 'GitHub', 'a GitHub token', ['ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_'], /^gh[pousr]_[0-9A-Za-z]{36,251}$/),
      shape('github-fine-grained-token', 'GitHub', 'a GitHub fine-grained personal access token', ['github_pat_'], /^github_pat_\w{82,251}$/),
    ],
  },
  {
    id: 'stripe',
    label: 'a Stripe key',
    text: /\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9_-]{8,}|whsec_[A-Za-z0-9]{16,})/,
    values: [
      shape('stripe-secret-key', 'Stripe', 'a live Stripe secret key', ['sk_live_'], /^sk_live_[0-9A-Za-z]{10,247}$/),
      shape('stripe-restricted-key', 'Stripe', 'a live Stripe restricted key', ['rk_live_'], /^rk_live_[0-9A-Za-z]{10,247}$/),
      shape('stripe-webhook-secret', 'Stripe', 'a Stripe webhook signing secret', ['whsec_'], /^whsec_[0-9A-Za-z+/=]{24,128}$/),
      shape('stripe-publishable-key', 'Stripe', 'a Stripe publishable key', ['pk_live_', 'pk_test_'], /^pk_(?:live|test)_[0-9A-Za-z]{10,247}$/, true),
    ],
  },
  {
    id: 'aws',
    label: 'an AWS access key id',
    text: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/,
    values: [shape('aws-access-key-id', 'AWS', 'an AWS access key id', ['AKIA', 'ASIA'], /^(?:AKIA|ASIA)[A-Z2-7]{16}$/)],
  },
  {
    id: 'slack',
    label: 'a Slack token',
    text: /\bxox[abposr]-[A-Za-z0-9_-]{8,}|hooks\.slack\.com\/services\/[A-Za-z0-9/]{8,}/,
    values: [
      shape('slack-token', 'Slack', 'a Slack token', ['xox'], /^xox[abeoprs]-(?:\d+-)?[0-9A-Za-z-]{10,251}$/),
      shape(
        'slack-webhook',
        'Slack',
        'a Slack incoming webhook URL',
        ['https://hooks.slack.com/', 'http://hooks.slack.com/'],
        /^https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,200}$/,
      ),
    ],
  },
  {
    id: 'gitlab',
    label: 'a GitLab token',
    text: /\bglpat-[A-Za-z0-9_-]{16,}/,
    values: [shape('gitlab-token', 'GitLab', 'a GitLab personal access token', ['glpat-'], /^glpat-[0-9A-Za-z_-]{20,251}$/)],
  },
  {
    id: 'anthropic',
    label: 'an Anthropic key',
    text: /\bsk-ant-[A-Za-z0-9_-]{16,}/,
    values: [shape('anthropic-key', 'Anthropic', 'an Anthropic API key', ['sk-ant-'], /^sk-ant-[a-z]+\d*-[0-9A-Za-z_-]{20,300}$/)],
  },
  {
    id: 'openai',
    label: 'an OpenAI key',
    text: /\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}/,
    values: [
      shape('openai-key', 'OpenAI', 'an OpenAI API key', ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], /^sk-(?:proj|svcacct|admin)-[0-9A-Za-z_-]{20,300}$/),
      shape('openai-legacy-key', 'OpenAI', 'an OpenAI API key', ['sk-'], /^sk-[0-9A-Za-z]{20}T3BlbkFJ[0-9A-Za-z]{20}$/),
    ],
  },
  {
    id: 'google',
    label: 'a Google API key',
    text: /\bAIza[0-9A-Za-z_-]{30,}/,
    values: [shape('google-api-key', 'Google', 'a Google API key', ['AIza'], /^AIza[0-9A-Za-z_-]{35}$/, true)],
  },
  {
    id: 'sendgrid',
    label: 'a SendGrid key',
    text: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/,
    values: [shape('sendgrid-key', 'SendGrid', 'a SendGrid API key', ['SG.'], /^SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}$/)],
  },
  {
    id: 'npm',
    label: 'an npm token',
    text: /\bnpm_[A-Za-z0-9]{30,}/,
    values: [shape('npm-token', 'npm', 'an npm access token', ['npm_'], /^npm_[0-9A-Za-z]{36}$/)],
  },
  { id: 'huggingface', label: 'a Hugging Face token', text: /\bhf_[A-Za-z0-9]{30,}/, values: [] },
  { id: 'pypi', label: 'a PyPI token', text: /\bpypi-AgE[A-Za-z0-9_-]{50,}/, values: [] },
  { id: 'jwt', label: 'a JSON Web Token', text: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, values: [] },
  {
    id: 'pem',
    label: 'a PEM block',
    text: /-----BEGIN [A-Z0-9 ]{0,40}-----/,
    values: [shape('pem-private-key', 'PEM', 'a PEM private key', ['-----BEGIN '], /^-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/)],
  },
  // The password group is what the leak guard checks against the placeholders.
  { id: 'url-password', label: 'a URL with a password', text: /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/, values: [] },
];

/** Every whole-value shape of the table, in table order (detectProvider returns the first match). */
export const PROVIDER_SHAPES: readonly ProviderShape[] = CREDENTIAL_FAMILIES.flatMap((f) => f.values);

/** First characters of every prefix: most values are rejected by one Set lookup. */
const FIRST: ReadonlySet<string> = new Set(PROVIDER_SHAPES.flatMap((s) => s.prefixes.map((p) => p[0]!)));

function trimmed(value: string): string {
  let v = value.trim();
  if (v.length >= 2) {
    const q = v.charCodeAt(0);
    if ((q === 34 || q === 39 || q === 96) && v.charCodeAt(v.length - 1) === q) v = v.slice(1, -1).trim();
  }
  return v;
}

/**
 * The provider credential `value` has the shape of, or undefined. The whole (trimmed, unquoted)
 * value must have the shape: a token inside a sentence does not count.
 */
export function detectProvider(value: string): ProviderMatch | undefined {
  if (value.length < 8) return undefined;
  const v = trimmed(value);
  if (v.length < 8 || !FIRST.has(v[0]!)) return undefined;
  for (const s of PROVIDER_SHAPES) {
    let ok = false;
    for (const p of s.prefixes) if (v.startsWith(p)) ok = true;
    if (ok && s.re.test(v)) return { id: s.id, provider: s.provider, description: s.description, publicByDesign: s.publicByDesign };
  }
  return undefined;
}

/** detectProvider, but only secrets (not publishable/browser keys). */
export function detectSecretProvider(value: string): ProviderMatch | undefined {
  const m = detectProvider(value);
  return m !== undefined && !m.publicByDesign ? m : undefined;
}

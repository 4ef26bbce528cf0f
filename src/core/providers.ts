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

interface ProviderShape extends ProviderMatch {
  readonly re: RegExp;
  /** Cheap pre-check: the trimmed value starts with one of these (case-sensitive). */
  readonly prefixes: readonly string[];
}

const shape = (id: string, provider: string, description: string, prefixes: readonly string[], re: RegExp, publicByDesign = false): ProviderShape => ({
  id,
  provider,
  description,
  prefixes,
  re,
  publicByDesign,
});

/** The table. Each `re` is anchored and tested against the trimmed value. */
export const PROVIDER_SHAPES: readonly ProviderShape[] = [
  shape('stripe-secret-key', 'Stripe', 'a live Stripe secret key', ['sk_live_'], /^sk_live_[0-9A-Za-z]{10,247}$/),
  shape('stripe-restricted-key', 'Stripe', 'a live Stripe restricted key', ['rk_live_'], /^rk_live_[0-9A-Za-z]{10,247}$/),
  shape('stripe-webhook-secret', 'Stripe', 'a Stripe webhook signing secret', ['whsec_'], /^whsec_[0-9A-Za-z+/=]{24,128}$/),
  shape('stripe-publishable-key', 'Stripe', 'a Stripe publishable key', ['pk_live_', 'pk_test_'], /^pk_(?:live|test)_[0-9A-Za-z]{10,247}$/, true),
  shape('aws-access-key-id', 'AWS', 'an AWS access key id', ['AKIA', 'ASIA'], /^(?:AKIA|ASIA)[A-Z2-7]{16}$/),
  shape('github-token', 'GitHub', 'a GitHub token', ['ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_'], /^gh[pousr]_[0-9A-Za-z]{36,251}$/),
  shape('github-fine-grained-token', 'GitHub', 'a GitHub fine-grained personal access token', ['github_pat_'], /^github_pat_\w{82,251}$/),
  shape('gitlab-token', 'GitLab', 'a GitLab personal access token', ['glpat-'], /^glpat-[0-9A-Za-z_-]{20,251}$/),
  shape('slack-token', 'Slack', 'a Slack token', ['xox'], /^xox[abeoprs]-(?:\d+-)?[0-9A-Za-z-]{10,251}$/),
  shape(
    'slack-webhook',
    'Slack',
    'a Slack incoming webhook URL',
    ['https://hooks.slack.com/', 'http://hooks.slack.com/'],
    /^https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,200}$/,
  ),
  shape('openai-key', 'OpenAI', 'an OpenAI API key', ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], /^sk-(?:proj|svcacct|admin)-[0-9A-Za-z_-]{20,300}$/),
  shape('anthropic-key', 'Anthropic', 'an Anthropic API key', ['sk-ant-'], /^sk-ant-[a-z]+\d*-[0-9A-Za-z_-]{20,300}$/),
  shape('openai-legacy-key', 'OpenAI', 'an OpenAI API key', ['sk-'], /^sk-[0-9A-Za-z]{20}T3BlbkFJ[0-9A-Za-z]{20}$/),
  shape('google-api-key', 'Google', 'a Google API key', ['AIza'], /^AIza[0-9A-Za-z_-]{35}$/, true),
  shape('sendgrid-key', 'SendGrid', 'a SendGrid API key', ['SG.'], /^SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}$/),
  shape('npm-token', 'npm', 'an npm access token', ['npm_'], /^npm_[0-9A-Za-z]{36}$/),
  shape('pem-private-key', 'PEM', 'a PEM private key', ['-----BEGIN '], /^-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/),
];

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

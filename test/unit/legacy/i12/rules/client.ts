// Frozen copy of src/core/ at 65b1530 (before the issue #12 work on the rules' speed): the reference
// that analyze-equivalence.test.ts compares analyzeEnv with. Do not edit. Imports of modules that
// are not frozen (the parser, formats, file names, rule types, the word list) point at src/core.

/**
 * `client-exposed-secret`: keys under a prefix that a front-end framework builds into the code it
 * ships to browsers (NEXT_PUBLIC_, VITE_, …) must not hold secrets.
 */
import { detectProvider, type ProviderMatch } from '../providers.ts';
import { splitKeyName } from '../secrets.ts';

export interface ClientPrefix {
  readonly prefix: string;
  /** Who builds it into client code, e.g. 'Next.js'. */
  readonly framework: string;
}

/** Built-in prefixes, longest first within a family (NUXT_PUBLIC_ before PUBLIC_ is handled by length). */
export const CLIENT_PREFIXES: readonly ClientPrefix[] = [
  { prefix: 'NEXT_PUBLIC_', framework: 'Next.js' },
  { prefix: 'VITE_', framework: 'Vite' },
  { prefix: 'REACT_APP_', framework: 'Create React App' },
  { prefix: 'NUXT_PUBLIC_', framework: 'Nuxt' },
  { prefix: 'EXPO_PUBLIC_', framework: 'Expo' },
  { prefix: 'PUBLIC_', framework: 'SvelteKit and Astro' },
  { prefix: 'GATSBY_', framework: 'Gatsby' },
  { prefix: 'VUE_APP_', framework: 'Vue CLI' },
  { prefix: 'STORYBOOK_', framework: 'Storybook' },
];

/**
 * Words that make a client key public by design: publishable keys, anon keys (Supabase), site
 * keys (reCAPTCHA, Turnstile), public keys, measurement/tracking ids, DSNs (Sentry).
 */
const PUBLIC_WORDS: ReadonlySet<string> = new Set(['PUBLIC', 'PUBLISHABLE', 'PUB', 'ANON', 'SITE', 'MEASUREMENT', 'TRACKING', 'DSN']);

/** Prefixes in match order (longest first), built-ins plus `extra` (a framework-less user prefix). */
export function compileClientPrefixes(extra: readonly string[]): readonly ClientPrefix[] {
  const list: ClientPrefix[] = [...CLIENT_PREFIXES];
  for (const raw of extra) {
    if (typeof raw !== 'string') continue;
    const p = raw.trim();
    if (p.length === 0 || list.some((x) => x.prefix === p)) continue;
    list.push({ prefix: p, framework: '' });
  }
  return list.sort((a, b) => b.prefix.length - a.prefix.length);
}

export interface ClientExposure {
  readonly prefix: ClientPrefix;
  /** The key without its prefix. */
  readonly rest: string;
  /** The provider credential the value looks like, when any. */
  readonly provider?: ProviderMatch;
  readonly message: string;
}

/**
 * Whether `key`=`value` exposes a secret to browsers: the key has a client prefix and either the
 * rest of its name marks a secret (per `isSecret`) or the value has a provider secret's shape;
 * public-by-design keys and values are not reported.
 */
export function clientExposure(
  key: string,
  value: string,
  prefixes: readonly ClientPrefix[],
  isSecret: (name: string) => boolean,
): ClientExposure | undefined {
  let hit: ClientPrefix | undefined;
  for (const p of prefixes) {
    if (key.length > p.prefix.length && key.startsWith(p.prefix)) {
      hit = p;
      break;
    }
  }
  if (hit === undefined) return undefined;
  const rest = key.slice(hit.prefix.length);
  const provider = value.length >= 8 ? detectProvider(value) : undefined;
  if (provider?.publicByDesign) return undefined;
  const words = splitKeyName(rest);
  // PUBLIC_KEY, PUBLIC_KEY_PEM: a public key, not SvelteKit's PUBLIC_ prefix on KEY.
  const publicKey = hit.prefix === 'PUBLIC_' && (words[0] === 'KEY' || words[0] === 'KEYS');
  const publicName = publicKey || words.some((w) => PUBLIC_WORDS.has(w));
  const byName = !publicName && isSecret(rest);
  if (!byName && provider === undefined) return undefined;
  const who = hit.framework !== '' ? `${hit.framework} builds ${hit.prefix}* variables into the code it sends to browsers` : `${hit.prefix}* variables are built into client code (keysmith.clientPrefixes)`;
  const what = provider !== undefined ? `${key} holds ${provider.description}, and ${who}` : `${key} names a secret, and ${who}`;
  return {
    prefix: hit,
    rest,
    ...(provider !== undefined ? { provider } : {}),
    message: `${what}: anyone can read it. Drop the ${hit.prefix} prefix (${rest}) and read it on the server only; rotate it if it has shipped.`,
  };
}

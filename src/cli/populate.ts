import { dirname, resolve } from 'node:path';
import { applyEdits, parseEnv } from '../core/envdoc.ts';
import { getFormat } from '../core/formats.ts';
import { parseFormatRules, planNeedsWordlist, planPopulate, populateEdits } from '../core/populate.ts';
import { DEFAULT_SETTINGS } from '../core/settings.ts';
import { UsageError } from './args.ts';
import { isDjangoDir, loadWordlist, readEnvText, writeFileAtomic } from './files.ts';
import type { CliCommand } from './main.ts';

export const populate: CliCommand = {
  summary: 'Fill empty and placeholder secrets of a .env file',
  usage: `keysmith populate FILE [--dry-run] [--rule PATTERN=FORMAT]...

Fills every secret-named key (SECRET, KEY, TOKEN, PASSWORD, SALT, …) whose value is empty or an
obvious placeholder (changeme, xxx, <...>, TODO, …) with a fresh secret in the format its name
calls for (FERNET → fernet, JWT → jwt-hs256, DJANGO_SECRET_KEY → django, *_HEX → hex,
PASSWORD → password, API_KEY → api-key, SALT → base64url, otherwise base64url). Keys that are not
secrets (PORT, HOST, URLs, booleans, numbers) are never touched. Everything else in the file stays
byte for byte. The file is replaced atomically and keeps its permissions.

Options:
  --dry-run              print the keys it would fill (names and formats only), change nothing
  --rule PATTERN=FORMAT  an extra rule tried first, e.g. --rule 'STRIPE_*=api-key' (repeatable
                         as --rule A=x,B=y)`,
  options: {
    'dry-run': { type: 'boolean' },
    rule: { type: 'string' },
  },
  async run(positionals, o, out, env) {
    if (positionals.length !== 1) throw new UsageError('populate takes exactly one FILE');
    const file = resolve(env.cwd, positionals[0]!);
    const rawRules: Record<string, string> = {};
    if (typeof o['rule'] === 'string') {
      for (const part of (o['rule'] as string).split(',')) {
        const eq = part.lastIndexOf('=');
        if (eq <= 0) throw new UsageError(`--rule needs PATTERN=FORMAT, got "${part}"`);
        rawRules[part.slice(0, eq)] = part.slice(eq + 1);
      }
    }
    const { rules, errors } = parseFormatRules(rawRules);
    if (errors.length) throw new UsageError(errors.join('; '));

    const text = readEnvText(file);
    const doc = parseEnv(text);
    const plan = planPopulate(doc, { defaultFormat: DEFAULT_SETTINGS.defaultFormat, isDjangoProject: isDjangoDir(dirname(file)), rules });
    const name = positionals[0]!;
    if (plan.length === 0) {
      await out.line(`${name}: no empty or placeholder secrets to fill`);
      return 0;
    }
    const list = plan.map((p) => `  ${p.key} (${getFormat(p.format).id}, ${p.reason})`).join('\n');
    if (o['dry-run']) {
      await out.line(`${name}: would fill ${plan.length} ${plan.length === 1 ? 'key' : 'keys'}:\n${list}`);
      return 0;
    }
    const wordlist = planNeedsWordlist(plan) ? loadWordlist(env.wordlistFile) : undefined;
    const next = applyEdits(text, populateEdits(doc, plan, DEFAULT_SETTINGS, wordlist));
    writeFileAtomic(file, next);
    await out.line(`${name}: filled ${plan.length} ${plan.length === 1 ? 'key' : 'keys'}:\n${list}`);
    return 0;
  },
};

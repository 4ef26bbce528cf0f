import { dirname, resolve } from 'node:path';
import { applyEdits, parseEnv } from '../core/envdoc.ts';
import { getFormat } from '../core/formats.ts';
import { planNeedsWordlist, planPopulate, populateEdits, type PopulateItem } from '../core/populate.ts';
import { populateOptions } from '../core/configuration.ts';
import { ruleOption, UsageError } from './args.ts';
import { CONFIG_HELP, CONFIG_OPTION, ConfigLoader } from './config.ts';
import { isDjangoDir, loadWordlist, readEnvText, writeFileSafely } from './files.ts';
import type { CliCommand } from './main.ts';
import { shownPath } from './paths.ts';

export const populate: CliCommand = {
  summary: 'Fill empty and placeholder secrets of a .env file',
  usage: `keysmith populate [FILE] [--dry-run] [--rule PATTERN=FORMAT]... [--config FILE]

FILE defaults to ./.env.

Fills every secret-named key (SECRET, KEY, TOKEN, PASSWORD, SALT, …) whose value is empty or an
obvious placeholder (changeme, xxx, <...>, TODO, …) with a fresh secret in the format its name
calls for (FERNET → fernet, JWT → jwt-hs256, DJANGO_SECRET_KEY → django, *_HEX → hex,
PASSWORD → password, API_KEY → api-key, SALT → base64url, otherwise base64url). Keys that are not
secrets (PORT, HOST, URLs, booleans, numbers) are never touched. Everything else in the file stays
byte for byte. The file is replaced atomically and keeps its mode and owner; a symbolic link
is written through. Read-only files and files with several hard links are refused (exit 2).

The keysmith.* settings of VS Code apply (populate.rules, secretNamePatterns, placeholders,
defaultFormat, password.*, …), from the nearest .vscode/settings.json up to the repository root.

Options:
  --dry-run              print the keys it would fill (names and formats only), change nothing
  --rule PATTERN=FORMAT  an extra rule tried first, e.g. --rule 'STRIPE_*=api-key' (repeatable
                         as --rule A=x,B=y), tried before keysmith.populate.rules
${CONFIG_HELP}`,
  options: {
    'dry-run': { type: 'boolean' },
    rule: { type: 'string' },
    ...CONFIG_OPTION,
  },
  async run(positionals, o, out, env) {
    if (positionals.length > 1) throw new UsageError(`populate takes one FILE (default ./.env), got ${positionals.length}`);
    const file = resolve(env.cwd, positionals[0] ?? '.env');
    const rules = ruleOption(o['rule']);

    const name = shownPath(env.cwd, file);
    const config = new ConfigLoader(env.cwd, o['config'] as string | undefined, out).for(file).config;
    const shared = populateOptions(config);
    const planOptions = { ...shared, isDjangoProject: isDjangoDir(dirname(file)), rules: [...rules, ...shared.rules] };
    const describe = (plan: readonly PopulateItem[]) => plan.map((p) => `  ${p.key} (${getFormat(p.format).id}, ${p.reason})`).join('\n');
    let plan: readonly PopulateItem[] = planPopulate(parseEnv(readEnvText(file, { label: name, maxBytes: config.maxFileBytes })), planOptions);
    if (o['dry-run'] && plan.length > 0) {
      await out.line(`${name}: would fill ${plan.length} ${plan.length === 1 ? 'key' : 'keys'}:\n${describe(plan)}`);
      return 0;
    }
    // Planned again on the file as it is right before the write, and again if another program
    // changes it meanwhile (writeFileSafely); what is reported is the plan that was written.
    let wordlist: string[] | undefined;
    if (plan.length > 0) await writeFileSafely(file, (text) => {
      const doc = parseEnv(text ?? '');
      plan = planPopulate(doc, planOptions);
      if (plan.length === 0) return null;
      if (planNeedsWordlist(plan)) wordlist ??= loadWordlist(env.wordlistFile);
      return applyEdits(text ?? '', populateEdits(doc, plan, config.generator, wordlist));
    }, { label: name, maxBytes: config.maxFileBytes });
    if (plan.length === 0) {
      await out.line(`${name}: no empty or placeholder secrets to fill`);
      return 0;
    }
    const list = describe(plan);
    await out.line(`${name}: filled ${plan.length} ${plan.length === 1 ? 'key' : 'keys'}:\n${list}`);
    return 0;
  },
};

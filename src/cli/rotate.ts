/**
 * `keysmith rotate FILE [KEY…] [--keep N] [--dry-run]`: new values for secrets, with the old ones
 * kept where the framework can still verify with them (see src/core/rotate.ts). Output names keys
 * and formats, never values.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { applyEdits, parseEnv } from '../core/envdoc.ts';
import { exampleNameFor, syncExample as syncExampleText } from '../core/example.ts';
import {
  DEFAULT_KEEP, MAX_KEEP, describeItem, mentionsFlask, needsConfirmation, planRotation, rotationEdits, rotationNeedsWordlist,
} from '../core/rotate.ts';
import { exampleOptions, populateOptions } from '../core/configuration.ts';
import { ruleOption, UsageError } from './args.ts';
import { CONFIG_HELP, CONFIG_OPTION, ConfigLoader } from './config.ts';
import { InputError, isDjangoDir, loadWordlist, readEnvText, writeFileSafely } from './files.ts';
import type { CliCommand } from './main.ts';

const DEPENDENCY_FILES = ['requirements.txt', 'requirements.in', 'pyproject.toml', 'Pipfile', 'setup.cfg', 'setup.py'];

/** A .env in `dir` belongs to a Flask project: Flask in a dependency file in `dir` or its parent. */
export function isFlaskDir(dir: string): boolean {
  for (const d of [dir, dirname(dir)]) {
    for (const name of DEPENDENCY_FILES) {
      const path = join(d, name);
      try {
        const st = statSync(path);
        if (!st.isFile() || st.size > 1024 * 1024) continue;
        if (mentionsFlask(readFileSync(path, 'utf8'))) return true;
      } catch { /* absent or unreadable: not a hint */ }
    }
  }
  return false;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const rotate: CliCommand = {
  summary: 'Rotate secrets of a .env file, keeping old values where frameworks can still verify with them',
  usage: `keysmith rotate FILE [KEY...] [options]

Gives each KEY (default: every secret-named key with a value) a new value in the format of the
old one, and keeps the old value where the application can still verify with it:
  1. a comma-separated list of Fernet keys (FERNET_KEYS=k1,k2): the new key goes first, and the
     list keeps at most --keep keys (read it with MultiFernet);
  2. a companion key in the file (KEY_FALLBACKS, KEY_PREVIOUS, KEY_OLD, or SECRET_KEY_FALLBACKS
     for a ..._SECRET_KEY): the old value moves there, newest first, trimmed so that at most
     --keep keys verify, the new one included;
  3. a SECRET_KEY of a Django or Flask project without a companion: --add-fallbacks adds
     KEY_FALLBACKS with the old value right after the key;
  4. anything else is replaced, and sessions or tokens signed with the old value stop verifying:
     that needs --yes.
Everything else in the file stays byte for byte. The file is replaced atomically and keeps its
mode and owner; a symbolic link is written through; read-only files and files with several hard
links are refused (see "How Keysmith writes files" in the README). Nothing is written unless every
key can be rotated.

Options:
  --keep N               keys that still verify afterwards, the new one included (default:
                         keysmith.rotate.keep, else ${DEFAULT_KEEP})
  --dry-run              print what would happen (names and formats only), change nothing
  --add-fallbacks        accept adding KEY_FALLBACKS for Django/Flask SECRET_KEYs (rule 3)
  --yes                  confirm replacements that do not keep the old value (rule 4)
  --sync-example         also bring the example file (.env.example) up to date, with fake values
  --rule PATTERN=FORMAT  the format for matching keys, e.g. --rule 'STRIPE_*=api-key' (tried
                         before keysmith.populate.rules)
${CONFIG_HELP}

The keysmith.* settings of VS Code apply (populate.rules, rotate.keep, secretNamePatterns,
example.fileName, password.*, …), from the nearest .vscode/settings.json up to the repository root.

Exit codes: 0 rotated (or nothing to do), 1 a replacement needs --yes (nothing written),
2 bad usage, a missing key, or an unreadable or unwritable file.`,
  options: {
    keep: { type: 'int', min: 1, max: MAX_KEEP },
    'dry-run': { type: 'boolean' },
    'add-fallbacks': { type: 'boolean' },
    yes: { type: 'boolean' },
    'sync-example': { type: 'boolean' },
    rule: { type: 'string' },
    ...CONFIG_OPTION,
  },
  async run(positionals, o, out, env) {
    if (positionals.length < 1) throw new UsageError('rotate needs a FILE (and optionally KEY names)');
    const [fileArg, ...keys] = positionals as [string, ...string[]];
    const file = resolve(env.cwd, fileArg);
    const rules = ruleOption(o['rule']);
    const config = new ConfigLoader(env.cwd, o['config'] as string | undefined, out).for(file).config;
    const keep = (o['keep'] as number | undefined) ?? config.rotateKeep;
    const accept = o['add-fallbacks'] === true;

    const dir = dirname(file);
    const shared = populateOptions(config);
    const ctx = {
      ...shared,
      isDjangoProject: isDjangoDir(dir),
      isFlaskProject: isFlaskDir(dir),
      rules: [...rules, ...shared.rules],
      keep,
    };
    const planFor = (text: string) => {
      const doc = parseEnv(text);
      const plan = planRotation(doc, keys.length ? keys : undefined, ctx);
      const missing = plan.skipped.filter((s) => s.reason === 'not in the file').map((s) => s.key);
      if (missing.length) throw new InputError(`${fileArg}: no ${missing.join(', ')} in the file; nothing was changed`);
      const blocked = keys.length ? plan.skipped : [];
      if (blocked.length) {
        throw new InputError(`${fileArg}: cannot rotate ${blocked.map((s) => `${s.key} (${s.reason})`).join('; ')}; nothing was changed`);
      }
      return { doc, plan, unconfirmed: plan.items.filter((i) => needsConfirmation(i, accept)) };
    };
    let { doc, plan, unconfirmed } = planFor(readEnvText(file, { label: fileArg, maxBytes: config.maxFileBytes }));
    for (const s of plan.skipped) await out.line(`${fileArg}: skipped ${s.key}: ${s.reason}`);
    if (plan.items.length === 0) {
      await out.line(`${fileArg}: no secrets to rotate`);
      return 0;
    }
    const describe = () => plan.items.map((i) => `  ${describeItem(i, accept)}`).join('\n');
    if (o['dry-run']) {
      await out.line(`${fileArg}: would rotate ${plural(plan.items.length, 'key')}:\n${describe()}`);
      if (unconfirmed.length) await out.line(`needs --yes: ${unconfirmed.map((i) => i.key).join(', ')} (sessions or tokens signed with the old values would stop verifying)`);
      return 0;
    }
    const needsYes = (): string | undefined => {
      if (unconfirmed.length === 0 || o['yes'] === true) return undefined;
      const offered = unconfirmed.filter((i) => i.strategy.kind === 'offer-fallbacks').map((i) => i.key);
      return `rotating ${unconfirmed.map((i) => i.key).join(', ')} would not keep the old ${unconfirmed.length === 1 ? 'value' : 'values'}: ` +
        'sessions or tokens signed with them stop verifying. Pass --yes to replace anyway' +
        (offered.length ? `, or --add-fallbacks to keep the old value in ${offered.map((k) => `${k}_FALLBACKS`).join(', ')}` : '') +
        '. Nothing was changed.';
    };
    const refusal = needsYes();
    if (refusal) {
      out.error(`keysmith: ${refusal}`);
      return 1;
    }
    // Planned again on the file as it is right before the write, and again if another program
    // changes it meanwhile (writeFileSafely); what is reported is the plan that was written.
    let wordlist: string[] | undefined;
    let next = '';
    const result = await writeFileSafely(file, (text) => {
      ({ doc, plan, unconfirmed } = planFor(text ?? ''));
      if (plan.items.length === 0) return null;
      const late = needsYes();
      if (late) throw new InputError(`${fileArg}: changed meanwhile; ${late}`);
      if (rotationNeedsWordlist(plan)) wordlist ??= loadWordlist(env.wordlistFile);
      next = applyEdits(text ?? '', rotationEdits(doc, plan, config.generator, { acceptFallbacks: accept, wordlist }).edits);
      return next;
    }, { label: fileArg, maxBytes: config.maxFileBytes });
    if (!result.written) {
      await out.line(`${fileArg}: no secrets to rotate`);
      return 0;
    }
    await out.line(`${fileArg}: rotated ${plural(plan.items.length, 'key')}:\n${describe()}`);

    if (o['sync-example'] === true) {
      const name = exampleNameFor(basename(file), config.example.fileName);
      if (name !== undefined) {
        const examplePath = join(dir, name);
        let added: string[] = [];
        // The example found beside .env is not followed if it is a link (as for sync-example).
        const r = await writeFileSafely(examplePath, (current) => {
          const synced = syncExampleText(next, current, exampleOptions(config));
          added = synced.added;
          return synced.changed ? synced.text : null;
        }, { create: true, newMode: 0o644, followSymlinks: false, label: name, symlinkHint: 'run keysmith sync-example --example FILE to write through it' });
        await out.line(`${name}: ${r.written ? (added.length ? `added ${added.join(', ')}` : 'updated') : 'up to date'}`);
      }
    }
    return 0;
  },
};

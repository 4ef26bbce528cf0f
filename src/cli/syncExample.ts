/**
 * `keysmith sync-example [ENV_FILE] [--example FILE] [--check] [--remove-extra]`: keeps a committed
 * example file in line with a .env file, with fake values (see src/core/example.ts).
 *
 * Exit codes: 0 done / in sync, 1 out of sync (`--check`), 2 bad usage or an unreadable file.
 * Output names files and keys, never values.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { isKeysmithError } from '../core/errors.ts';
import { parseEnv } from '../core/envdoc.ts';
import { exampleDrift, exampleNameFor, syncExample as syncExampleText } from '../core/example.ts';
import { MessageGate } from '../core/leakguard.ts';
import { exampleOptions, type KeysmithConfig } from '../core/configuration.ts';
import { UsageError } from './args.ts';
import { CONFIG_HELP, CONFIG_OPTION, ConfigLoader } from './config.ts';
import { readEnvText, writeFileSafely } from './files.ts';
import type { CliCommand, CliEnv } from './main.ts';
import { shownPath } from './paths.ts';
import type { Output } from './output.ts';

/** A new example file is meant to be committed: readable by everyone. */
const EXAMPLE_MODE = 0o644;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function list(keys: readonly string[]): string {
  return keys.join(', ');
}

/** Paths as every command prints them: relative to the working directory. */
const shown = shownPath;

function paths(positionals: string[], options: Record<string, unknown>, env: CliEnv, config: KeysmithConfig): { envPath: string; examplePath: string; exampleNamed: boolean } {
  const envPath = resolve(env.cwd, positionals[0] ?? '.env');
  const exampleOption = options['example'];
  let examplePath: string;
  if (exampleOption !== undefined) {
    if (typeof exampleOption !== 'string' || exampleOption === '') throw new UsageError('--example needs a file name');
    examplePath = resolve(env.cwd, exampleOption);
  } else {
    const name = exampleNameFor(basename(envPath), config.example.fileName);
    if (name === undefined) {
      throw new UsageError(`${shown(env.cwd, envPath)} looks like an example file itself; pass the .env file to copy keys from (and --example FILE)`);
    }
    examplePath = join(dirname(envPath), name);
  }
  if (examplePath === envPath) throw new UsageError('the example file and the .env file are the same file');
  return { envPath, examplePath, exampleNamed: exampleOption !== undefined };
}

/**
 * Every line printed about the files goes through the leak guard's message gate: a line that
 * would repeat a value, a credential-like comment token or a key-material key name is withheld.
 */
function gated(out: Output, gate: MessageGate): void {
  out.gate = (text: string) => gate.line(text);
}

async function check(envText: string, exampleText: string | undefined, envName: string, exName: string, removeExtra: boolean, out: Output): Promise<number> {
  const drift = exampleDrift(envText, exampleText);
  const missing = drift.missingInExample.map((k) => k.key);
  const extra = drift.extraInExample.map((k) => k.key);
  const hidden = drift.hiddenInExample;
  const outOfSync = missing.length > 0 || (removeExtra && extra.length > 0) || hidden > 0;
  if (!outOfSync) {
    if (exampleText === undefined) await out.line(`${exName} does not exist, and ${envName} has no keys.`);
    else await out.line(`${exName} has every key of ${envName}.`);
    if (extra.length > 0) await out.line(`  only in ${exName} (${extra.length}): ${list(extra)}`);
    return 0;
  }
  await out.line(exampleText === undefined ? `${exName} does not exist.` : `${exName} is out of sync with ${envName}.`);
  if (missing.length > 0) await out.line(`  missing (${missing.length}): ${list(missing)}`);
  if (extra.length > 0) await out.line(`  only in ${exName} (${extra.length}): ${list(extra)}`);
  if (hidden > 0) await out.line(`  ${plural(hidden, 'key')} whose name looks like key material (not named here; sync removes ${hidden === 1 ? 'it' : 'them'})`);
  await out.line(`Run "keysmith sync-example${removeExtra ? ' --remove-extra' : ''}" to update it.`);
  return 1;
}

async function run(positionals: string[], options: Record<string, string | number | boolean | undefined>, out: Output, env: CliEnv): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`sync-example takes one ENV_FILE, got ${positionals.length}`);
  const config = new ConfigLoader(env.cwd, options['config'] as string | undefined, out).for(resolve(env.cwd, positionals[0] ?? '.env')).config;
  const shared = exampleOptions(config);
  const { envPath, examplePath, exampleNamed } = paths(positionals, options, env, config);
  const removeExtra = options['remove-extra'] === true;
  const envName = shown(env.cwd, envPath);
  const exName = shown(env.cwd, examplePath);
  // The example found beside .env is followed only when named: a committed link may point anywhere.
  const exampleAccess = { followSymlinks: exampleNamed, symlinkHint: `pass --example ${exName} to write through it`, label: exName };
  const envRead = readEnvText(envPath, { label: envName, allowMissing: options['if-present'] === true, maxBytes: config.maxFileBytes });
  if (envRead === undefined) {
    await out.line(`${envName} does not exist: nothing to compare.`);
    return 0;
  }
  const envText = envRead;
  const exampleText = readEnvText(examplePath, { allowMissing: true, maxBytes: config.maxFileBytes, ...exampleAccess });
  const gate = MessageGate.forDocuments(exampleText === undefined ? [parseEnv(envText)] : [parseEnv(envText), parseEnv(exampleText)], { secretPatterns: shared.secretPatterns }).allow(envName, exName);
  gated(out, gate);

  if (options['check'] === true) return check(envText, exampleText, envName, exName, removeExtra, out);

  // Planned on the example as it is right before the write (again if it changes meanwhile).
  let r = syncExampleText(envText, exampleText, { ...shared, removeExtra });
  let existed = exampleText !== undefined;
  const written = r.changed && (await writeFileSafely(examplePath, (current) => {
    r = syncExampleText(envText, current, { ...shared, removeExtra });
    existed = current !== undefined;
    return r.changed ? r.text : null;
  }, { create: true, newMode: EXAMPLE_MODE, ...exampleAccess })).written;
  const keys = r.added.length + r.kept.length;
  if (!written) {
    await out.line(`${exName} is up to date with ${envName} (${plural(keys, 'key')}).`);
  } else {
    const counts = [`${r.added.length} added`, `${r.kept.length} kept`];
    if (r.extra.length > 0) counts.push(`${r.extra.length} only in the example`);
    if (r.removed.length > 0) counts.push(`${r.removed.length} removed`);
    await out.line(`${existed ? 'Updated' : 'Created'} ${exName} from ${envName}: ${counts.join(', ')}.`);
  }
  if (r.added.length > 0) await out.line(`  added (${r.added.length}): ${list(r.added)}`);
  if (r.changed && r.kept.length > 0) await out.line(`  kept (${r.kept.length}): ${list(r.kept)}`);
  if (r.extra.length > 0) await out.line(`  only in the example, kept (${r.extra.length}): ${list(r.extra)} (--remove-extra removes them)`);
  if (r.removed.length > 0) await out.line(`  removed (${r.removed.length}): ${list(r.removed)}`);
  if (r.changed && r.skipped > 0) {
    await out.line(`  left out ${plural(r.skipped, 'comment or line')} of ${envName} that could carry values`);
  }
  if (r.changed && r.withheldComments > 0) {
    await out.line(`  withheld ${plural(r.withheldComments, 'comment line')} holding something credential-like or part of a value`);
  }
  if (r.changed && r.withheld.length > 0) await out.line(`  withheld inline comments or values of (${r.withheld.length}): ${list(r.withheld)}`);
  if (r.hiddenKeys > 0) await out.line(`  left out ${plural(r.hiddenKeys, 'key')} whose name looks like key material (an unquoted PEM block?); run "keysmith check"`);
  if (gate.withheld > 0) out.error(`keysmith: withheld ${plural(gate.withheld, 'line')} of output that would have repeated text from ${envName}`);
  return 0;
}

export const syncExample: CliCommand = {
  summary: 'Create or update .env.example from .env, with fake values',
  usage: `keysmith sync-example [ENV_FILE] [options]

Writes every key of ENV_FILE (default: ./.env) into the example file beside it (.env.example),
in ENV_FILE's order and layout, with values that show the kind of value but never its content:
"<generate: FORMAT>" for secrets, fake credentials and hosts in URLs, user@example.com for
e-mail addresses; booleans, numbers and known enum words (info, production) are kept.
Keys already in the example keep their line and comments. Comments that hold anything
credential-like, inline comments after secrets and the lines of an unquoted PEM block are left
out, and the summary says so. Prints key names, never values.

Options:
  --example FILE   the example file (default: keysmith.example.fileName, .env.example, beside
                   ENV_FILE; a symbolic link there is followed only when named with --example)
  --check          write nothing; exit 1 when the example lacks keys of ENV_FILE
                   (or, with --remove-extra, has keys ENV_FILE lacks), 0 otherwise
  --remove-extra   remove keys that are only in the example (default: keep them)
  --if-present     exit 0 without doing anything when ENV_FILE does not exist (for hooks that
                   also run in fresh clones, where .env is not there)
${CONFIG_HELP}

The keysmith.* settings of VS Code apply (example.fileName, example.rules, secretNamePatterns,
defaultFormat), from the nearest .vscode/settings.json up to the repository root.`,
  options: {
    example: { type: 'string' },
    check: { type: 'boolean' },
    'remove-extra': { type: 'boolean' },
    'if-present': { type: 'boolean' },
    ...CONFIG_OPTION,
  },
  async run(positionals, options, out, env) {
    try {
      return await run(positionals, options, out, env);
    } catch (e) {
      if (e instanceof UsageError || isKeysmithError(e)) {
        out.error(`keysmith: ${e.message}`);
        return 2;
      }
      throw e;
    }
  },
};

/**
 * `keysmith`: the command line over src/core.
 * Exit codes: 0 success, 1 findings (check commands), 2 bad usage or unreadable input.
 */
import { isKeysmithError } from '../core/errors.ts';
import { allFormats, getFormat, isFormatId, type GenerateOptions } from '../core/formats.ts';
import { UsageError, parseArgs, type OptionSpec } from './args.ts';
import { loadWordlist } from './files.ts';
import { Output } from './output.ts';
import { populate } from './populate.ts';
import { rotate } from './rotate.ts';
import { check } from './check.ts';
import { syncExample } from './syncExample.ts';
import { VERSION } from './version.ts';

export interface CliCommand {
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  run(positionals: string[], options: Record<string, string | number | boolean | undefined>, out: Output, env: CliEnv): Promise<number>;
}

/** Where the CLI runs: its working directory and its shipped data. */
export interface CliEnv {
  cwd: string;
  /** dist/eff_large_wordlist.txt beside the bundled CLI. */
  wordlistFile: string;
}


/**
 * Which `generate` options each format uses (besides --count). Any other option is refused
 * rather than silently ignored (`generate uuid --bytes 8`). A format missing here takes them all.
 */
const SIZE = ['bytes', 'allow-weak'];
const PASSWORD = ['length', 'symbols', 'no-symbols', 'exclude-lookalikes', 'no-require-each', 'allow-weak'];
const FORMAT_OPTIONS: Record<string, readonly string[]> = {
  hex: SIZE,
  base64url: SIZE,
  base64: SIZE,
  fernet: [],
  'jwt-hs256': SIZE,
  'jwt-hs384': SIZE,
  'jwt-hs512': SIZE,
  django: ['length', 'allow-weak'],
  password: PASSWORD,
  passphrase: ['words', 'separator', 'allow-weak'],
  uuid: [],
  'api-key': ['bytes', 'prefix', 'environment', 'body', 'allow-weak'],
};

function refuseOtherOptions(id: string, options: Record<string, unknown>): void {
  const allowed = FORMAT_OPTIONS[id];
  if (!allowed) return;
  const wrong = Object.keys(options).filter((k) => k !== 'count' && options[k] !== undefined && !allowed.includes(k));
  if (wrong.length === 0) return;
  const takes = allowed.filter((k) => k !== 'allow-weak');
  throw new UsageError(`${wrong.map((k) => `--${k}`).join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not apply to ${id}` +
    `; ${id} takes ${takes.length ? takes.map((k) => `--${k}`).join(', ') : 'no options but --count'}`);
}


const formats: CliCommand = {
  summary: 'List the secret formats',
  usage: 'keysmith formats',
  options: {},
  async run(_p, _o, out) {
    const list = allFormats();
    const width = Math.max(...list.map((f) => f.id.length));
    for (const f of list) {
      // Bits at default settings; the passphrase needs no wordlist to count its bits.
      const bits = Math.floor(f.entropyBits());
      await out.line(`${f.id.padEnd(width)}  ${String(bits).padStart(3)} bits  ${f.description}`);
    }
    return 0;
  },
};

const generate: CliCommand = {
  summary: 'Print fresh secrets, one per line',
  usage: `keysmith generate [FORMAT] [options]

FORMAT is one of: ${allFormats().map((f) => f.id).join(', ')} (default: base64url).

Options:
  --count N             how many secrets (default 1)
  --bytes N             bytes of entropy: hex, base64url, base64, jwt-*, api-key (default 32;
                        JWT minimums are 32/48/64)
  --length N            characters: password (default 24), django (default 50)
  --words N             words: passphrase (default 10)
  --separator S         between passphrase words (default "-")
  --prefix P            API key prefix (default sk)
  --environment E       API key environment (default live; "" leaves it out)
  --body hex|base62     API key body (default base62)
  --symbols S           password symbols (default "!%*+-.:=?@^_~")
  --no-symbols          passwords without symbols
  --exclude-lookalikes  passwords without I l 1 | O 0 o
  --no-require-each     passwords need not contain every character class
  --allow-weak          allow secrets under 128 bits`,
  options: {
    count: { type: 'int', min: 1, max: 10_000_000 },
    bytes: { type: 'int', min: 1, max: 4096 },
    length: { type: 'int', min: 1, max: 4096 },
    words: { type: 'int', min: 1, max: 256 },
    separator: { type: 'string' },
    prefix: { type: 'string' },
    environment: { type: 'string' },
    body: { type: 'string' },
    symbols: { type: 'string' },
    'no-symbols': { type: 'boolean' },
    'exclude-lookalikes': { type: 'boolean' },
    'no-require-each': { type: 'boolean' },
    'allow-weak': { type: 'boolean' },
  },
  async run(positionals, o, out, env) {
    if (positionals.length > 1) throw new UsageError(`generate takes one FORMAT, got ${positionals.length}`);
    const id = positionals[0] ?? 'base64url';
    if (!isFormatId(id)) throw new UsageError(`unknown format "${id}"; run "keysmith formats" to list them`);
    const format = getFormat(id);
    refuseOtherOptions(id, o);
    if (o['body'] !== undefined && o['body'] !== 'hex' && o['body'] !== 'base62') throw new UsageError('--body must be hex or base62');
    const options: GenerateOptions = {
      bytes: o['bytes'] as number | undefined,
      length: o['length'] as number | undefined,
      words: o['words'] as number | undefined,
      separator: o['separator'] as string | undefined,
      prefix: o['prefix'] as string | undefined,
      environment: o['environment'] as string | undefined,
      body: o['body'] as 'hex' | 'base62' | undefined,
      allowWeak: o['allow-weak'] === true,
      password: {
        ...(o['symbols'] !== undefined ? { symbolSet: o['symbols'] as string } : {}),
        ...(o['no-symbols'] ? { symbols: false } : {}),
        ...(o['exclude-lookalikes'] ? { excludeLookalikes: true } : {}),
        ...(o['no-require-each'] ? { requireEachClass: false } : {}),
      },
    };
    if (format.needsWordlist) options.wordlist = loadWordlist(env.wordlistFile);
    const count = (o['count'] as number | undefined) ?? 1;
    // Validate the options once (throws a clear error) before printing anything.
    format.entropyBits(options);
    const BATCH = 65536;
    for (let done = 0; done < count; done += BATCH) {
      const batch = format.generateMany(Math.min(BATCH, count - done), options);
      if (!(await out.text(batch.join('\n') + '\n'))) break;
    }
    return 0;
  },
};

export const COMMANDS: Record<string, CliCommand> = { formats, generate, populate, rotate, check, 'sync-example': syncExample };

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return `keysmith ${VERSION}: strong secrets and .env hygiene

Usage: keysmith <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "keysmith <command> --help" for a command's options.`;
}

export async function main(argv: readonly string[], out: Output, env: CliEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await out.line(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    await out.line(VERSION);
    return 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command "${name}"; run "keysmith --help"`);
    const parsed = parseArgs(rest, { ...cmd.options, help: { type: 'boolean' } });
    if (parsed.options['help']) {
      await out.line(`${cmd.summary}.\n\nUsage: ${cmd.usage}`);
      return 0;
    }
    return await cmd.run(parsed.positionals, parsed.options, out, env);
  } catch (e) {
    if (e instanceof UsageError || isKeysmithError(e)) {
      const hint = isKeysmithError(e) && e.code === 'weak-size' && !e.message.includes('RFC') ? ' Pass --allow-weak to allow it anyway.' : '';
      out.error(`keysmith: ${e.message}${hint}`);
      return 2;
    }
    out.error(`keysmith: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}


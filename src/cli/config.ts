/**
 * The CLI's settings: the same `keysmith.*` settings the extension reads, from the workspace's
 * `.vscode/settings.json` (JSONC, parsed with Microsoft's jsonc-parser, as VS Code does), found by
 * walking up from the checked path to the repository root, or from a file named with `--config`.
 * The mapping to the core's options is src/core/configuration.ts, shared with the extension.
 *
 * - A settings file that is not valid JSONC (or whose top level is not an object) is an error:
 *   exit 2 with "FILE:LINE:COLUMN: what is wrong". CI must not silently run with other settings
 *   than the editor.
 * - A setting of the wrong type, or a bad entry (an unknown rule code), is reported on stderr once
 *   and handled as the editor handles it (the default, or the entry dropped).
 * - User settings are not read (CI has none): put team settings in the workspace's settings.
 */
import { lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { resolveConfig, SETTINGS, settingsObjectLookup, type ResolvedConfig } from '../core/configuration.ts';
import { UsageError } from './args.ts';
import { readRegularFile } from './fsio.ts';
import type { Output } from './output.ts';
import { shownPath } from './paths.ts';

/** A settings file larger than this is refused (VS Code's own are a few KB). */
const MAX_SETTINGS_BYTES = 1024 * 1024;

export interface CliConfig extends ResolvedConfig {
  /** The settings file read (absolute), or undefined: none found, defaults only. */
  readonly file: string | undefined;
}

function isDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** 1-based line and column of a UTF-16 offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

const ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace expected',
  CloseBracketExpected: 'closing bracket expected',
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/**
 * Parses a settings file as VS Code does (comments and trailing commas allowed). A `.code-workspace`
 * file (with `folders`) contributes its `settings`. Throws UsageError naming the file and the place.
 */
export function parseSettingsText(text: string, shown: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const value: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length > 0) {
    const e = errors[0]!;
    const at = position(body, e.offset);
    const code = printParseErrorCode(e.error);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new UsageError(`${shown}:${at.line}:${at.column}: not valid JSON with comments: ${ERROR_TEXT[code] ?? code}${more}`);
  }
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${shown}: the settings must be a JSON object ({ "keysmith.…": … }), not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
  }
  const obj = value as Record<string, unknown>;
  if (Array.isArray(obj['folders']) && 'settings' in obj) {
    const s = obj['settings'];
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new UsageError(`${shown}: "settings" must be an object`);
    return s as Record<string, unknown>;
  }
  return obj;
}

/**
 * The `.vscode/settings.json` that applies to `dir`: the nearest one walking up to the repository
 * root (the first folder with a `.git`), or, outside a repository, to the file system root. The
 * home folder's `.vscode` is VS Code's own data folder, not a workspace's: it is never read.
 */
export function findSettingsFile(dir: string, home: string | undefined = safeHome()): string | undefined {
  let d = resolve(dir);
  for (;;) {
    if (d !== home) {
      const f = join(d, '.vscode', 'settings.json');
      if (exists(f)) return f;
    }
    if (exists(join(d, '.git'))) return undefined;
    const parent = dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

function safeHome(): string | undefined {
  try {
    return resolve(homedir());
  } catch {
    return undefined;
  }
}

/** Loads the settings of one place, caching by file; reports type problems once per file. */
export class ConfigLoader {
  private readonly byFile = new Map<string, CliConfig>();
  private readonly byDir = new Map<string, string | undefined>();
  private readonly explicit: string | undefined;
  private readonly cwd: string;
  private readonly out: Output | undefined;

  /** `explicit`: the `--config` file (relative to cwd); `out`: where problems are reported. */
  constructor(cwd: string, explicit: string | undefined, out?: Output) {
    this.cwd = cwd;
    this.out = out;
    if (explicit !== undefined) {
      if (explicit === '') throw new UsageError('--config needs a file name');
      this.explicit = resolve(cwd, explicit);
      if (isDir(this.explicit)) {
        const inside = join(this.explicit, '.vscode', 'settings.json');
        const direct = join(this.explicit, 'settings.json');
        this.explicit = exists(inside) ? inside : direct;
      }
      this.load(this.explicit, true);
    }
  }

  /** The settings file for a checked file or folder (undefined: defaults). */
  fileFor(path: string): string | undefined {
    if (this.explicit !== undefined) return this.explicit;
    const abs = resolve(this.cwd, path);
    const dir = isDir(abs) ? abs : dirname(abs);
    if (!this.byDir.has(dir)) this.byDir.set(dir, findSettingsFile(dir));
    return this.byDir.get(dir);
  }

  /** The effective configuration for a checked file or folder. */
  for(path: string): CliConfig {
    return this.load(this.fileFor(path), false);
  }

  private load(file: string | undefined, named: boolean): CliConfig {
    const key = file ?? '';
    const hit = this.byFile.get(key);
    if (hit) return hit;
    let settings: Record<string, unknown> = {};
    if (file !== undefined) {
      const shown = shownPath(this.cwd, file);
      let text: string;
      try {
        const bytes = readRegularFile(file, { maxBytes: MAX_SETTINGS_BYTES, label: shown }).bytes;
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        if (e instanceof TypeError) throw new UsageError(`${shown}: not valid UTF-8`);
        const msg = e instanceof Error ? e.message : String(e);
        throw new UsageError(named && !exists(file) ? `--config ${shown}: no such file` : msg);
      }
      settings = parseSettingsText(text, shown);
    }
    const resolved = resolveConfig(settingsObjectLookup(settings));
    const config: CliConfig = { ...resolved, file };
    this.byFile.set(key, config);
    if (file !== undefined && this.out) {
      const shown = shownPath(this.cwd, file);
      for (const p of resolved.problems) this.out.error(`keysmith: ${shown}: ${p.setting} ${p.message}`);
    }
    return config;
  }
}

/** The `--config FILE` option every command that reads settings takes. */
export const CONFIG_OPTION = { config: { type: 'string' as const } };

export const CONFIG_HELP = `  --config FILE     read the keysmith.* settings from FILE (a settings.json or a .code-workspace)
                    instead of the nearest .vscode/settings.json up to the repository root`;

/**
 * `keysmith check --print-config`: the settings in effect for each PATH, each with where it comes
 * from (the settings file, `default`, or `--disable`). Settings only the editor uses are marked.
 */
export async function printConfig(paths: readonly string[], loader: ConfigLoader, disabled: readonly string[], json: boolean, cwd: string, out: Output): Promise<number> {
  const seen = new Set<string>();
  const blocks: { paths: string[]; config: CliConfig }[] = [];
  for (const p of paths) {
    const file = loader.fileFor(p) ?? '';
    if (seen.has(file)) {
      blocks.find((b) => (b.config.file ?? '') === file)!.paths.push(p);
      continue;
    }
    seen.add(file);
    blocks.push({ paths: [p], config: loader.for(p) });
  }
  const describe = (config: CliConfig) => {
    const source = config.file === undefined ? undefined : shownPath(cwd, config.file);
    return SETTINGS.map((spec) => {
      let value = config.values[spec.key];
      let from = config.replaced.has(spec.key) ? `default: the value in ${source!} is invalid` : config.fromLookup.has(spec.key) ? source! : 'default';
      if (spec.key === 'rules.disabled' && disabled.length > 0) {
        value = [...new Set([...(value as string[]), ...disabled])];
        from = from === 'default' ? '--disable' : `${from}, --disable`;
      }
      return { setting: `keysmith.${spec.key}`, value, source: from, ...(spec.editorOnly ? { editorOnly: true } : {}) };
    });
  };
  if (json) {
    const data = blocks.map((b) => ({
      paths: b.paths,
      file: b.config.file === undefined ? null : shownPath(cwd, b.config.file),
      settings: describe(b.config),
      problems: b.config.problems.map((p) => `${p.setting} ${p.message}`),
    }));
    await out.line(JSON.stringify(data, null, 2));
    return 0;
  }
  let first = true;
  for (const b of blocks) {
    if (!first) await out.line('');
    first = false;
    const from = b.config.file === undefined ? 'no .vscode/settings.json found up to the repository root: defaults' : shownPath(cwd, b.config.file);
    await out.line(`# settings for ${b.paths.join(', ')}: ${from}`);
    const rows = describe(b.config);
    const width = Math.max(...rows.map((r) => r.setting.length));
    for (const r of rows) {
      await out.line(`${r.setting.padEnd(width)}  ${JSON.stringify(r.value)}  (${r.source}${r.editorOnly ? '; editor only' : ''})`);
    }
  }
  return 0;
}

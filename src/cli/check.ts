/**
 * `keysmith check [PATH...] [--format text|json|sarif] [--json] [--disable CODES]`: runs the .env rules (src/core/rules.ts) over
 * .env files and prints one line per finding.
 *
 * - PATHs are files (checked whatever their name) or directories, searched recursively for .env
 *   files (isEnvFileName), skipping node_modules, .git and symbolic links. Default: the cwd.
 *   Only regular files are read (fsio.ts); .env-named FIFOs, sockets and devices found in a scan
 *   are skipped with one line on stderr, without changing the exit status.
 * - Git status per repository (found by walking up to a `.git`): with git on PATH, one
 *   `git check-ignore --stdin -z --no-index` and one `git ls-files -z` (pathspecs in chunks) per
 *   repository, never one process per file, with GIT_TERMINAL_PROMPT=0 and no pager. Without git
 *   (or when git fails there): the .gitignore files, .git/info/exclude and the default global
 *   excludes file ($XDG_CONFIG_HOME/git/ignore or ~/.config/git/ignore) through
 *   src/core/gitignore.ts, with tracking unknown. Outside a repository the git rules are skipped.
 * - example-drift compares `.env` with `.env.example` (or .sample/.template) in the same folder.
 * - Exit 0: no warning or error (info/hint do not count); 1: warnings or errors; 2: bad usage or a
 *   file that cannot be read (named on stderr; the other files are still checked).
 *
 * Output names files and keys, never values.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseEnv, type EnvDocument } from '../core/envdoc.ts';
import { isEnvFileName } from '../core/envfiles.ts';
import { createIgnoreMatcher, type IgnoreSource } from '../core/gitignore.ts';
import { MessageGate } from '../core/leakguard.ts';
import { lastAtOrBefore, lineStarts } from '../core/lines.ts';
import { analyzeEnv, isRuleCode, RULES, type Finding, type GitStatus, type RuleCode, type RuleConfig } from '../core/rules.ts';
import { UsageError } from './args.ts';
import { CONFIG_HELP, CONFIG_OPTION, ConfigLoader, printConfig, type CliConfig } from './config.ts';
import { InputError, isDjangoDir, readEnvText } from './files.ts';
import { readRegularFile } from './fsio.ts';
import type { CliCommand, CliEnv } from './main.ts';
import type { Output } from './output.ts';
import { shownPath } from './paths.ts';
import { otherReaders, READER_IDS, type DetectedReader } from '../core/readers.ts';
import { detectReadersIn, parseReadersOption } from './readers.ts';
import { buildSarif, type CliFinding } from './sarif.ts';

export interface CheckOptions {
  /** The git executable; null: behave as if git were not installed. Default 'git'. */
  git?: string | null;
  /** Environment for git and for finding the global excludes file. Default process.env. */
  env?: Record<string, string | undefined>;
}

const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);
const EXAMPLE_NAMES = ['.env.example', '.env.sample', '.env.template'];

/** The example names `check` compares .env with: the configured one, else the usual three. */
function exampleNames(config: CliConfig): readonly string[] {
  return config.fromLookup.has('example.fileName') && !config.replaced.has('example.fileName') ? [config.config.example.fileName] : EXAMPLE_NAMES;
}

interface Target {
  abs: string;
  /** As printed: relative to the cwd. */
  shown: string;
}

interface Repo {
  root: string;
  /** The git directory (for info/exclude without git). */
  gitDir: string | null;
  targets: Target[];
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** What an .env-named entry that is not a regular file is, for the "skipped" line. */
function specialKind(ent: Dirent): string | undefined {
  if (ent.isFIFO()) return 'a FIFO';
  if (ent.isSocket()) return 'a socket';
  if (ent.isCharacterDevice()) return 'a character device';
  if (ent.isBlockDevice()) return 'a block device';
  return undefined;
}

/**
 * Recursively collects .env files under `dir` (regular files only: no symlinks, no node_modules/.git).
 * .env-named FIFOs, sockets and devices go to `special`, to be reported and skipped.
 */
function walk(dir: string, out: string[], errors: { dir: string; code: string }[], special: { path: string; kind: string }[] = []): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    errors.push({ dir, code: (e as { code?: string }).code ?? 'cannot be read' });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const ent of entries) {
    if (ent.isSymbolicLink()) continue;
    const p = join(dir, ent.name);
    if (ent.isDirectory()) {
      if (!SKIP_DIRS.has(ent.name)) walk(p, out, errors, special);
    } else if (isEnvFileName(ent.name)) {
      if (ent.isFile()) out.push(p);
      else {
        const kind = specialKind(ent);
        if (kind !== undefined) special.push({ path: p, kind });
      }
    }
  }
}

/** The work tree root holding `dir` (nearest ancestor with a `.git` entry) and its git dir. */
function findRepo(dir: string, cache: Map<string, { root: string; gitDir: string | null } | null>): { root: string; gitDir: string | null } | null {
  const hit = cache.get(dir);
  if (hit !== undefined) return hit;
  let found: { root: string; gitDir: string | null } | null;
  const dotGit = join(dir, '.git');
  let st;
  try {
    st = lstatSync(dotGit);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) found = { root: dir, gitDir: dotGit };
  else if (st?.isFile()) {
    // Worktrees and submodules: "gitdir: <path>".
    let gitDir: string | null = null;
    try {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
      if (m) gitDir = resolve(dir, m[1]!);
    } catch {
      gitDir = null;
    }
    found = { root: dir, gitDir };
  } else {
    const parent = dirname(dir);
    found = parent === dir ? null : findRepo(parent, cache);
  }
  cache.set(dir, found);
  return found;
}

/** A regular file that is not a symbolic link (scans never follow links). */
function isPlainFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

function gitEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  out['GIT_TERMINAL_PROMPT'] = '0';
  out['GIT_PAGER'] = 'cat';
  out['PAGER'] = 'cat';
  out['GIT_OPTIONAL_LOCKS'] = '0';
  return out;
}

interface GitRun {
  ok: boolean;
  stdout: string;
}

function runGit(git: string, root: string, args: string[], input: string | undefined, env: Record<string, string>): GitRun {
  const res = spawnSync(git, ['--no-pager', '-C', root, ...args], {
    input,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
    windowsHide: true,
  });
  // check-ignore exits 1 when nothing is ignored.
  const ok = res.error === undefined && (res.status === 0 || (res.status === 1 && args[0] === 'check-ignore'));
  return { ok, stdout: ok ? res.stdout : '' };
}

/** Git status of every target of `repo` from git itself, or null when git fails there. */
function statusViaGit(git: string, repo: Repo, env: Record<string, string>): Map<string, GitStatus> | null {
  const rels = repo.targets.map((t) => toPosix(relative(repo.root, t.abs)));
  const ci = runGit(git, repo.root, ['check-ignore', '--stdin', '-z', '--no-index'], rels.join('\0') + '\0', env);
  if (!ci.ok) return null;
  const ignored = new Set(ci.stdout.split('\0').filter((s) => s.length > 0));
  const tracked = new Set<string>();
  // Literal pathspecs, in chunks that keep the command line short.
  for (let i = 0; i < rels.length; ) {
    const chunk: string[] = [];
    let len = 0;
    while (i < rels.length && (chunk.length === 0 || len < 60_000)) {
      chunk.push(`:(literal)${rels[i]!}`);
      len += rels[i]!.length + 12;
      i++;
    }
    const ls = runGit(git, repo.root, ['ls-files', '-z', '--cached', '--', ...chunk], undefined, env);
    if (!ls.ok) return null;
    for (const p of ls.stdout.split('\0')) if (p.length > 0) tracked.add(p);
  }
  const out = new Map<string, GitStatus>();
  repo.targets.forEach((t, k) => out.set(t.abs, { ignored: ignored.has(rels[k]!), tracked: tracked.has(rels[k]!) }));
  return out;
}

function readIfFile(path: string): string | undefined {
  try {
    // Regular files only, size-capped: a FIFO or a device here must not hang or exhaust memory.
    return new TextDecoder().decode(readRegularFile(path).bytes);
  } catch {
    return undefined;
  }
}

function globalExcludesFile(env: Record<string, string | undefined>): string | undefined {
  const xdg = env['XDG_CONFIG_HOME'];
  if (xdg) return join(xdg, 'git', 'ignore');
  const home = env['HOME'] ?? (() => {
    try {
      return homedir();
    } catch {
      return undefined;
    }
  })();
  return home ? join(home, '.config', 'git', 'ignore') : undefined;
}

/** Git status of every target of `repo` from the ignore files alone (tracking unknown). */
function statusViaFiles(repo: Repo, env: Record<string, string | undefined>, note: string): Map<string, GitStatus> {
  const sources: IgnoreSource[] = [];
  const dirs = new Set<string>(['']);
  const rels = repo.targets.map((t) => toPosix(relative(repo.root, t.abs)));
  for (const rel of rels) {
    const parts = rel.split('/');
    for (let k = 1; k < parts.length; k++) dirs.add(parts.slice(0, k).join('/'));
  }
  for (const dir of [...dirs].sort()) {
    const content = readIfFile(join(repo.root, ...dir.split('/').filter(Boolean), '.gitignore'));
    if (content !== undefined) sources.push({ dir, content, kind: 'gitignore' });
  }
  if (repo.gitDir !== null) {
    let common = repo.gitDir;
    const commondir = readIfFile(join(repo.gitDir, 'commondir'));
    if (commondir !== undefined && commondir.trim() !== '') common = resolve(repo.gitDir, commondir.trim());
    const exclude = readIfFile(join(common, 'info', 'exclude'));
    if (exclude !== undefined) sources.push({ dir: '', content: exclude, kind: 'exclude' });
  }
  const globalFile = globalExcludesFile(env);
  const global = globalFile !== undefined ? readIfFile(globalFile) : undefined;
  if (global !== undefined) sources.push({ dir: '', content: global, kind: 'global' });
  const matcher = createIgnoreMatcher(sources);
  const out = new Map<string, GitStatus>();
  repo.targets.forEach((t, k) => out.set(t.abs, { ignored: matcher.isIgnored(rels[k]!), tracked: 'unknown', trackingNote: note }));
  return out;
}

type OutputFormat = 'text' | 'json' | 'sarif';

function parseFormat(o: Record<string, string | number | boolean | undefined>): OutputFormat {
  const raw = o['format'];
  if (raw !== undefined && raw !== 'text' && raw !== 'json' && raw !== 'sarif') {
    throw new UsageError(`--format must be text, json or sarif, got "${String(raw)}"`);
  }
  if (o['json'] === true) {
    if (raw !== undefined && raw !== 'json') throw new UsageError(`--json and --format ${raw} contradict each other`);
    return 'json';
  }
  return raw ?? 'text';
}

function parseDisabled(raw: unknown): RuleCode[] {
  if (raw === undefined) return [];
  if (typeof raw !== 'string') throw new UsageError('--disable needs a comma-separated list of rule codes');
  const codes: RuleCode[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!isRuleCode(part)) throw new UsageError(`--disable: unknown rule "${part}"; rules: ${RULES.map((r) => r.code).join(', ')}`);
    codes.push(part);
  }
  return codes;
}

const USAGE = `keysmith check [PATH...] [--format text|json|sarif] [--disable CODES] [--readers LIST] [--config FILE] [--print-config]

Checks .env files. Each PATH is a file (checked whatever its name) or a directory, searched
recursively for .env files (.env, .env.*, *.env), skipping node_modules, .git and symbolic links.
Default: the current directory. Only regular files are read: a FIFO, socket or device named as a
PATH is an error (exit 2); one found in a directory is skipped with a note on stderr.

Git status comes from git when it is installed (one check-ignore and one ls-files run per
repository); without git, from the .gitignore files, .git/info/exclude and ~/.config/git/ignore,
with tracking unknown. Outside a repository the git rules are skipped. .env is compared with
.env.example (.sample, .template) in the same folder, or with keysmith.example.fileName.

Settings: the keysmith.* settings of VS Code (rules.disabled, rules.severity, secretNamePatterns,
placeholders, example.fileName, maxFileSizeMB, …) from the nearest .vscode/settings.json, looked
for from each file's folder up to the repository root, so the editor and this command agree.
--print-config shows the settings in effect and where each comes from.

Rules:
${RULES.map((r) => `  ${r.code.padEnd(16)} ${r.defaultSeverity.padEnd(8)} ${r.title}`).join('\n')}

Output: one finding per line, "file:line:column severity code message" (file relative to the
current directory, line and column from 1). Messages name keys, never values. To silence a rule
in a file, write "# keysmith-ignore: CODE" above the entry, or "# keysmith-ignore-file: CODE".

Options:
  --format FORMAT   text (default), json or sarif
                    json: a JSON array of {file, line, column, severity, code, message}
                    sarif: a SARIF 2.1.0 log (GitHub code scanning), one rule per check code
  --json            the same as --format json
  --disable CODES   comma-separated rule codes to skip (e.g. example-drift,syntax), added to
                    keysmith.rules.disabled
${CONFIG_HELP}
  --print-config    print the settings in effect for each PATH (text, or JSON with --format json)
                    and where each comes from, then exit
  --readers LIST    which programs read the files, for reader-mismatch: comma-separated, from
                    ${READER_IDS.join(', ')} ("dotenv" alone: node dotenv only).
                    Default: keysmith.readers, else detected per project (the repository
                    holding the file, else its folder) from package.json, Python requirements,
                    compose files and shell scripts that source a .env file

Exit status: 0 when no warning or error remains (info and hints do not count), 1 when some do,
2 on bad usage or a file that cannot be read (named on stderr; the other files are still checked).`;

export function createCheckCommand(options: CheckOptions = {}): CliCommand {
  const gitExe = options.git === undefined ? 'git' : options.git;
  return {
    summary: 'Check .env files: git ignore status, weak secrets, syntax, duplicates, example drift',
    usage: USAGE,
    options: {
      json: { type: 'boolean' },
      format: { type: 'string' },
      disable: { type: 'string' },
      'print-config': { type: 'boolean' },
      ...CONFIG_OPTION,
      readers: { type: 'string' },
    },
    async run(positionals, o, out: Output, cliEnv: CliEnv) {
      const env = options.env ?? process.env;
      const format = parseFormat(o);
      const disabled = parseDisabled(o['disable']);
      const readersOption = parseReadersOption(o['readers']);
      const cwd = cliEnv.cwd;
      const loader = new ConfigLoader(cwd, o['config'] as string | undefined, out);
      if (o['print-config'] === true) {
        if (format === 'sarif') throw new UsageError('--print-config prints text or json, not sarif');
        return printConfig(positionals.length > 0 ? positionals : ['.'], loader, disabled, format === 'json', cwd, out);
      }
      /** The rule configuration of a file: its settings, plus --disable. */
      const ruleConfigs = new Map<CliConfig, RuleConfig>();
      const configOf = (abs: string): { settings: CliConfig; rules: RuleConfig } => {
        const settings = loader.for(abs);
        let rules = ruleConfigs.get(settings);
        if (rules === undefined) {
          rules = disabled.length > 0 ? { ...settings.config.rules, disabled: [...new Set([...settings.config.rules.disabled, ...disabled])] } : settings.config.rules;
          ruleConfigs.set(settings, rules);
        }
        return { settings, rules };
      };
      let failed = false;
      const fail = (message: string) => {
        failed = true;
        out.error(`keysmith: ${message}`);
      };

      // 1. Files.
      const files: string[] = [];
      const seen = new Set<string>();
      const add = (abs: string) => {
        if (!seen.has(abs)) {
          seen.add(abs);
          files.push(abs);
        }
      };
      const roots = positionals.length > 0 ? positionals : ['.'];
      for (const p of roots) {
        const abs = resolve(cwd, p);
        let st;
        try {
          st = statSync(abs);
        } catch (e) {
          const code = (e as { code?: string }).code;
          fail(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : (code ?? 'cannot be read')}`);
          continue;
        }
        if (st.isDirectory()) {
          const found: string[] = [];
          const errors: { dir: string; code: string }[] = [];
          const special: { path: string; kind: string }[] = [];
          // A folder named like a .env file (`check .env` where .env is a folder) is searched like
          // any folder, but the user meant a file: say what happens.
          const envNamed = isEnvFileName(basename(abs));
          if (envNamed) out.error(`keysmith: ${shownPath(cwd, abs)} is a directory, not a .env file; checking the .env files inside it`);
          walk(abs, found, errors, special);
          for (const e of errors) fail(`${shownPath(cwd, e.dir)}: directory cannot be read (${e.code})`);
          // Found, not named: skipped with a note; the scan goes on and the exit status is unchanged.
          for (const f of special) out.error(`keysmith: ${shownPath(cwd, f.path)}: not a regular file (${f.kind}); skipped`);
          if (envNamed && found.length === 0 && errors.length === 0) fail(`${shownPath(cwd, abs)}: no .env files inside this directory`);
          found.forEach(add);
        } else add(abs);
      }

      // 2. Git status, per repository.
      const repoCache = new Map<string, { root: string; gitDir: string | null } | null>();
      const repos = new Map<string, Repo>();
      for (const abs of files) {
        const r = findRepo(dirname(abs), repoCache);
        if (r === null) continue;
        let repo = repos.get(r.root);
        if (repo === undefined) repos.set(r.root, (repo = { ...r, targets: [] }));
        repo.targets.push({ abs, shown: shownPath(cwd, abs) });
      }
      const status = new Map<string, GitStatus>();
      let gitAvailable: boolean | undefined;
      const genv = gitEnv(env);
      for (const repo of repos.values()) {
        let result: Map<string, GitStatus> | null = null;
        let note = 'tracking could not be checked: git is not installed';
        if (gitExe !== null) {
          if (gitAvailable === undefined) {
            const v = spawnSync(gitExe, ['--version'], { env: genv, encoding: 'utf8', timeout: 30_000, windowsHide: true });
            gitAvailable = v.error === undefined && v.status === 0;
          }
          if (gitAvailable) {
            result = statusViaGit(gitExe, repo, genv);
            note = 'tracking could not be checked: git failed in this repository';
          }
        }
        result ??= statusViaFiles(repo, env, note);
        for (const [k, v] of result) status.set(k, v);
      }

      // 3. Analyse.
      const docs = new Map<string, EnvDocument | null>();
      const docOf = (abs: string, report: boolean): EnvDocument | null => {
        const hit = docs.get(abs);
        if (hit !== undefined) return hit;
        let doc: EnvDocument | null = null;
        try {
          // A counterpart we only peek at was found, not named: symbolic links are not followed.
          doc = parseEnv(readEnvText(abs, { followSymlinks: report, maxBytes: configOf(abs).settings.config.maxFileBytes }));
        } catch (e) {
          if (!(e instanceof InputError) && !(e instanceof UsageError)) throw e;
          if (!report) return null; // a counterpart we only peek at: reported when checked itself
          const msg = e.message.startsWith(abs) ? e.message.slice(abs.length).replace(/^:\s*/, '') : e.message;
          fail(`${shownPath(cwd, abs)}: ${msg}`);
        }
        docs.set(abs, doc);
        return doc;
      };
      const counterpartOf = (abs: string): { role: 'example' | 'source'; name: string; keys: string[] } | undefined => {
        const name = basename(abs);
        const dir = dirname(abs);
        let other: string | undefined;
        let role: 'example' | 'source';
        const names = exampleNames(configOf(abs).settings);
        if (name === '.env') {
          other = names.find((n) => isPlainFile(join(dir, n)));
          role = 'example';
        } else if (names.includes(name)) {
          other = isPlainFile(join(dir, '.env')) ? '.env' : undefined;
          role = 'source';
        } else return undefined;
        if (other === undefined) return undefined;
        const doc = docOf(join(dir, other), false);
        return doc === null ? undefined : { role, name: other, keys: doc.entries.map((e) => e.key) };
      };
      const djangoCache = new Map<string, boolean>();
      const isDjango = (dir: string): boolean => {
        let v = djangoCache.get(dir);
        if (v === undefined) {
          v = isDjangoDir(dir);
          djangoCache.set(dir, v);
        }
        return v;
      };

      // Readers per project folder: the repository's work tree, or the file's folder outside one.
      const readerCache = new Map<string, DetectedReader[]>();
      const readersOf = (abs: string): DetectedReader[] => {
        if (readersOption) return readersOption;
        const fromSettings = configOf(abs).settings.config.readers;
        if (fromSettings) return [...fromSettings];
        const root = findRepo(dirname(abs), repoCache)?.root ?? dirname(abs);
        let r = readerCache.get(root);
        if (r === undefined) readerCache.set(root, (r = detectReadersIn(root)));
        return r;
      };

      const results: CliFinding[] = [];
      let worst = 0;
      for (const abs of files) {
        const doc = docOf(abs, true);
        if (doc === null) continue;
        const git = status.get(abs);
        const counterpart = counterpartOf(abs);
        const config = configOf(abs).rules;
        const readers = otherReaders(readersOf(abs));
        const findings: Finding[] = analyzeEnv(
          {
            text: doc.text,
            fileName: basename(abs),
            doc,
            ...(git ? { git } : {}),
            ...(counterpart ? { counterpart } : {}),
            isDjangoProject: isDjango(dirname(abs)),
            ...(readers.length > 0 ? { readers } : {}),
          },
          config,
        );
        if (findings.length === 0) continue;
        const starts = lineStarts(doc.text);
        const file = shownPath(cwd, abs);
        // The leak guard's last gate: no message may repeat what the file hides.
        const gate = MessageGate.forDocuments([doc], { secretPatterns: config.secretPatterns }).allow(file, basename(abs), ...(counterpart ? [counterpart.name] : []));
        for (const f of findings) {
          const line = Math.min(f.line, starts.length - 1);
          const column = Math.max(0, f.start - starts[line]!) + 1;
          const end = Math.max(f.start, Math.min(f.end, doc.text.length));
          const endLine = lastAtOrBefore(starts, end);
          const endColumn = end - starts[endLine]! + 1;
          results.push({ file, line: line + 1, column, endLine: endLine + 1, endColumn, severity: f.severity, code: f.code, message: gate.line(f.message, f.key) });
          if (f.severity === 'error' || f.severity === 'warning') worst = 1;
        }
      }

      if (format === 'json') {
        const json = results.map((r) => ({ file: r.file, line: r.line, column: r.column, severity: r.severity, code: r.code, message: r.message }));
        await out.line(JSON.stringify(json, null, 2));
      } else if (format === 'sarif') await out.line(JSON.stringify(buildSarif(results, !failed), null, 2));
      else {
        for (const r of results) {
          if (!(await out.line(`${r.file}:${r.line}:${r.column} ${r.severity} ${r.code} ${r.message}`))) break;
        }
        if (files.length === 0 && !failed) out.error(`keysmith: no .env files found in ${roots.join(', ')}`);
      }
      return failed ? 2 : worst;
    },
  };
}

export const check: CliCommand = createCheckCommand();

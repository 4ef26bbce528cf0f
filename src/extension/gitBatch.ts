// Git through the git binary, in batch mode, with no `vscode` import (unit-tested with node's
// runner). Node extension host only, trusted workspaces only: the web build never loads it.
//
// Cost per scan, whatever the number of folders: the repository of a file is found by looking for
// `.git` in its folder and upwards (file-system lookups, cached per folder, no process), then
// confirmed once per repository with `git rev-parse --show-toplevel` (cached); the files of one
// repository share one `check-ignore` and one `ls-files`. So a scan starts at most three git
// processes per repository (two once the root is known).
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** Runs git with `args` in `cwd`, feeding `input` on stdin; resolves with stdout. */
export type RunGit = (args: string[], cwd: string, input?: string) => Promise<string>;

const ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };

export const runGit: RunGit = (args, cwd, input) =>
  new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env: ENV, timeout: 15000, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
      // check-ignore exits 1 when nothing matched: that is an answer, not an error.
      if (err && !(args[0] === 'check-ignore' && (err as { code?: unknown }).code === 1)) reject(err);
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });

export interface GitPathStatus {
  ignored: boolean | 'unknown';
  tracked: boolean | 'unknown';
  trackingNote?: string;
}

interface Pending {
  path: string;
  resolve: (s: GitPathStatus | undefined) => void;
}

/** Paths per ls-files process: keeps the command line far below any system limit. */
const LS_FILES_CHUNK = 2000;

export class GitBatcher {
  /** git processes started (observable for tests, benchmarks and the log). */
  processes = 0;
  private readonly run: RunGit;
  private readonly onError: (message: string) => void;
  /** Folder → the nearest folder at or above it holding a `.git` (undefined: none). */
  private readonly dotGit = new Map<string, Promise<string | undefined>>();
  /** Folder holding `.git` → git's top level for it. */
  private readonly toplevels = new Map<string, Promise<string | undefined>>();
  private queue: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(run: RunGit = runGit, onError: (message: string) => void = () => undefined) {
    this.run = run;
    this.onError = onError;
  }

  /** Forget repository roots (a repository may have been created or removed). */
  invalidate(): void {
    this.dotGit.clear();
    this.toplevels.clear();
  }

  private git(args: string[], cwd: string, input?: string): Promise<string> {
    this.processes++;
    return this.run(args, cwd, input);
  }

  private findDotGit(dir: string): Promise<string | undefined> {
    let p = this.dotGit.get(dir);
    if (!p) {
      p = stat(join(dir, '.git')).then(
        () => dir,
        () => {
          const parent = dirname(dir);
          return parent === dir ? undefined : this.findDotGit(parent);
        },
      );
      this.dotGit.set(dir, p);
    }
    return p;
  }

  /** The top level of the repository holding the folder `dir`, or undefined outside any. */
  async root(dir: string): Promise<string | undefined> {
    const holder = await this.findDotGit(dir);
    if (holder === undefined) return undefined;
    let p = this.toplevels.get(holder);
    if (!p) {
      p = this.git(['rev-parse', '--show-toplevel'], holder).then((out) => out.trim() || undefined, () => undefined);
      this.toplevels.set(holder, p);
    }
    return p;
  }

  /**
   * Whether git ignores and tracks the file at `path`; undefined outside a repository. Requests
   * made in the same turn of the event loop (or within a few milliseconds) share their git processes.
   */
  status(path: string): Promise<GitPathStatus | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ path, resolve });
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, 15);
    });
  }

  private async flush(): Promise<void> {
    const items = this.queue;
    this.queue = [];
    const byRoot = new Map<string, { rel: string; item: Pending }[]>();
    await Promise.all(items.map(async (item) => {
      const root = await this.root(dirname(item.path));
      if (root === undefined) {
        item.resolve(undefined);
        return;
      }
      const rel = relative(root, item.path).split(sep).join('/');
      let list = byRoot.get(root);
      if (!list) byRoot.set(root, (list = []));
      list.push({ rel, item });
    }));
    await Promise.all([...byRoot].map(async ([root, list]) => {
      const paths = [...new Set(list.map((l) => l.rel))];
      try {
        const lsRuns: Promise<string>[] = [];
        for (let i = 0; i < paths.length; i += LS_FILES_CHUNK) {
          lsRuns.push(this.git(['--literal-pathspecs', 'ls-files', '-z', '--', ...paths.slice(i, i + LS_FILES_CHUNK)], root));
        }
        const [ignoredOut, ...trackedOuts] = await Promise.all([
          this.git(['check-ignore', '--no-index', '--stdin', '-z'], root, paths.join('\0') + '\0'),
          ...lsRuns,
        ]);
        const ignored = new Set(ignoredOut!.split('\0').filter(Boolean));
        const tracked = new Set(trackedOuts.flatMap((o) => o.split('\0')).filter(Boolean));
        for (const { rel, item } of list) item.resolve({ ignored: ignored.has(rel), tracked: tracked.has(rel) });
      } catch (e) {
        this.onError(`git status in ${root} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        for (const { item } of list) item.resolve({ ignored: 'unknown', tracked: 'unknown', trackingNote: 'git could not be asked' });
      }
    }));
  }

  /** `git rm --cached` of one file. */
  async untrack(path: string): Promise<void> {
    const root = await this.root(dirname(path));
    if (!root) throw new Error('not in a git repository');
    await this.git(['--literal-pathspecs', 'rm', '--cached', '--quiet', '--', relative(root, path).split(sep).join('/')], root);
  }
}

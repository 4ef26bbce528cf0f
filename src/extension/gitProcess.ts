// Git through the git binary, in batch mode. Node extension host only, trusted workspaces only:
// this module is never loaded by the web build, and never constructed in Restricted Mode.
import { execFile } from 'node:child_process';
import { dirname, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { GitAccess, GitFileStatus } from './git.ts';

const ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };

function git(args: string[], cwd: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env: ENV, timeout: 15000, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
      // check-ignore exits 1 when nothing matched: that is an answer, not an error.
      if (err && !(args[0] === 'check-ignore' && (err as { code?: unknown }).code === 1)) reject(err);
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Is git installed? (Checked once, in trusted workspaces only.) */
export async function gitAvailable(): Promise<boolean> {
  try {
    await git(['--version'], process.cwd());
    return true;
  } catch {
    return false;
  }
}

interface Pending {
  rel: string;
  resolve: (s: GitFileStatus | undefined) => void;
}

export class ProcessGit implements GitAccess {
  readonly kind = 'process';
  private readonly roots = new Map<string, Promise<string | undefined>>();
  private readonly queue = new Map<string, Pending[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly log: vscode.LogOutputChannel;
  /** git processes started (observable for tests and the log). */
  processes = 0;

  constructor(log: vscode.LogOutputChannel) {
    this.log = log;
  }

  invalidate(): void {
    this.roots.clear();
  }

  private root(dir: string): Promise<string | undefined> {
    let p = this.roots.get(dir);
    if (!p) {
      this.processes++;
      p = git(['rev-parse', '--show-toplevel'], dir).then((out) => out.trim() || undefined, () => undefined);
      this.roots.set(dir, p);
    }
    return p;
  }

  async status(uri: vscode.Uri): Promise<GitFileStatus | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const root = await this.root(dirname(uri.fsPath));
    if (!root) return undefined;
    const rel = relative(root, uri.fsPath).split(sep).join('/');
    return new Promise((resolve) => {
      const list = this.queue.get(root) ?? [];
      list.push({ rel, resolve });
      this.queue.set(root, list);
      // Requests arriving together (a workspace scan) share one check-ignore and one ls-files.
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, 15);
    });
  }

  private async flush(): Promise<void> {
    const batches = [...this.queue];
    this.queue.clear();
    await Promise.all(batches.map(async ([root, items]) => {
      const paths = [...new Set(items.map((i) => i.rel))];
      try {
        this.processes += 2;
        const [ignoredOut, trackedOut] = await Promise.all([
          git(['check-ignore', '--no-index', '--stdin', '-z'], root, paths.join('\0') + '\0'),
          git(['--literal-pathspecs', 'ls-files', '-z', '--', ...paths], root),
        ]);
        const ignored = new Set(ignoredOut.split('\0').filter(Boolean));
        const tracked = new Set(trackedOut.split('\0').filter(Boolean));
        for (const i of items) i.resolve({ ignored: ignored.has(i.rel), tracked: tracked.has(i.rel) });
      } catch (e) {
        this.log.warn(`git status in ${root} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        for (const i of items) i.resolve({ ignored: 'unknown', tracked: 'unknown', trackingNote: 'git could not be asked' });
      }
    }));
  }

  async untrack(uri: vscode.Uri): Promise<void> {
    const root = await this.root(dirname(uri.fsPath));
    if (!root) throw new Error(`${vscode.workspace.asRelativePath(uri)} is not in a git repository.`);
    this.processes++;
    await git(['--literal-pathspecs', 'rm', '--cached', '--quiet', '--', relative(root, uri.fsPath).split(sep).join('/')], root);
  }
}

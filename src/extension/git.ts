import * as vscode from 'vscode';
import { createIgnoreMatcher } from '../core/gitignore.ts';
import { fileExists } from './envDocuments.ts';

/** Git facts about one file, for the env-not-ignored / env-tracked rules. */
export interface GitFileStatus {
  ignored: boolean | 'unknown';
  tracked: boolean | 'unknown';
  /** Why something is unknown, e.g. Restricted Mode. */
  trackingNote?: string;
}

export interface GitAccess {
  readonly kind: 'process' | 'matcher';
  /** undefined: the file is not inside a git repository (git rules do not apply). */
  status(uri: vscode.Uri): Promise<GitFileStatus | undefined>;
  /** Forget cached ignore files and repository roots (a .gitignore changed). */
  invalidate(): void;
  /** git processes started so far (process access only). */
  readonly processes?: number;
  /** `git rm --cached` (process access only). */
  untrack?(uri: vscode.Uri): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Matcher-based access: no process is ever spawned. Used in Restricted Mode, on the web, and
// where git is not installed.

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Schemes of real file systems, where a repository shows its .git folder. */
const REAL_FILE_SCHEMES = new Set(['file', 'vscode-remote']);

function parentOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

function relativePath(root: vscode.Uri, uri: vscode.Uri): string {
  const r = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path.startsWith(r) ? uri.path.slice(r.length) : uri.path;
}

export class MatcherGit implements GitAccess {
  readonly kind = 'matcher';
  private readonly note: string;
  private readonly files = new Map<string, Promise<string | undefined>>();
  private readonly roots = new Map<string, Promise<vscode.Uri | undefined>>();

  constructor(note: string) {
    this.note = note;
  }

  invalidate(): void {
    this.files.clear();
    this.roots.clear();
  }

  private read(uri: vscode.Uri): Promise<string | undefined> {
    const k = uri.toString();
    let p = this.files.get(k);
    if (!p) this.files.set(k, (p = readText(uri)));
    return p;
  }

  /** The repository root: the nearest folder with a .git, not above the workspace folder. */
  private root(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const k = parentOf(uri).toString();
    let p = this.roots.get(k);
    if (!p) {
      p = (async () => {
        let dir = parentOf(uri);
        for (let i = 0; i < 64; i++) {
          if (await fileExists(vscode.Uri.joinPath(dir, '.git'))) return dir;
          if (!folder || dir.path === folder.uri.path || dir.path === '/' || parentOf(dir).path === dir.path) break;
          dir = parentOf(dir);
        }
        // Virtual workspaces (e.g. a repository opened on vscode.dev) have no .git folder to find:
        // there the workspace folder counts as the repository. A folder on disk seen from the web
        // worker host (vscode-remote://) shows its .git like a file:// one does, so no .git there
        // means no repository, as on the Node host. (VS Code's own test for virtual: neither scheme.)
        return folder && !REAL_FILE_SCHEMES.has(folder.uri.scheme) ? folder.uri : undefined;
      })();
      this.roots.set(k, p);
    }
    return p;
  }

  async status(uri: vscode.Uri): Promise<GitFileStatus | undefined> {
    const root = await this.root(uri);
    if (!root) return undefined;
    const rel = relativePath(root, uri);
    const dirs = rel.split('/').slice(0, -1);
    const sources: { dir: string; content: string; kind: 'gitignore' | 'exclude' }[] = [];
    const exclude = await this.read(vscode.Uri.joinPath(root, '.git', 'info', 'exclude'));
    if (exclude !== undefined) sources.push({ dir: '', content: exclude, kind: 'exclude' });
    for (let i = 0; i <= dirs.length; i++) {
      const dir = dirs.slice(0, i).join('/');
      const content = await this.read(vscode.Uri.joinPath(root, dir, '.gitignore'));
      if (content !== undefined) sources.push({ dir, content, kind: 'gitignore' });
    }
    return { ignored: createIgnoreMatcher(sources).isIgnored(rel), tracked: 'unknown', trackingNote: this.note };
  }
}

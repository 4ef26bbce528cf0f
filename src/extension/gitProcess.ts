// Git through the git binary, in batch mode (see gitBatch.ts). Node extension host only, trusted
// workspaces only: this module is never loaded by the web build, and never constructed in
// Restricted Mode.
import * as vscode from 'vscode';
import type { GitAccess, GitFileStatus } from './git.ts';
import { GitBatcher, runGit } from './gitBatch.ts';

/** Is git installed? (Checked once, in trusted workspaces only.) */
export async function gitAvailable(): Promise<boolean> {
  try {
    await runGit(['--version'], process.cwd());
    return true;
  } catch {
    return false;
  }
}

export class ProcessGit implements GitAccess {
  readonly kind = 'process';
  private readonly batch: GitBatcher;

  constructor(log: vscode.LogOutputChannel) {
    this.batch = new GitBatcher(runGit, (m) => log.warn(m));
  }

  /** git processes started (observable for tests and benchmarks). */
  get processes(): number {
    return this.batch.processes;
  }

  invalidate(): void {
    this.batch.invalidate();
  }

  async status(uri: vscode.Uri): Promise<GitFileStatus | undefined> {
    if (uri.scheme !== 'file') return undefined;
    return this.batch.status(uri.fsPath);
  }

  async untrack(uri: vscode.Uri): Promise<void> {
    try {
      await this.batch.untrack(uri.fsPath);
    } catch (e) {
      if (e instanceof Error && e.message === 'not in a git repository') throw new Error(vscode.l10n.t('{0} is not in a git repository.', vscode.workspace.asRelativePath(uri)), { cause: e });
      throw e;
    }
  }
}

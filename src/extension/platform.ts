import type * as vscode from 'vscode';
import type { GitAccess } from './git.ts';

/** What differs between the Node extension host and the web one. */
export interface Platform {
  /** Loads the .env machinery (a separate file on Node, bundled in on the web). */
  loadEnvTools(): Promise<typeof import('./envTools.ts')>;
  /** Git through a process; absent on the web. Only ever used in trusted workspaces. */
  processGit?: {
    available(): Promise<boolean>;
    create(log: vscode.LogOutputChannel): GitAccess;
  };
}

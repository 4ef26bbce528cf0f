// Entry point for VS Code's Node extension host (desktop and remote).
import type * as vscode from 'vscode';
import { activateKeysmith } from './activate.ts';
import { ProcessGit, gitAvailable } from './gitProcess.ts';

export function activate(context: vscode.ExtensionContext) {
  return activateKeysmith(context, {
    // dist/envTools.js, beside this bundle (see esbuild.mjs); a plain require keeps it a separate file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loadEnvTools: async () => require('./envTools.js') as typeof import('./envTools.ts'),
    processGit: { available: gitAvailable, create: (log) => new ProcessGit(log) },
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

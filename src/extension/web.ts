// Entry point for VS Code's web extension host (vscode.dev, github.dev): no Node built-ins, no processes.
import type * as vscode from 'vscode';
import { activateKeysmith } from './activate.ts';

export function activate(context: vscode.ExtensionContext) {
  return activateKeysmith(context, { loadEnvTools: () => import('./envTools.ts') });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

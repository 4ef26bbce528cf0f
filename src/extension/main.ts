// Entry point for VS Code's Node extension host (desktop and remote).
import type * as vscode from 'vscode';
import { activateKeysmith } from './activate.ts';

export function activate(context: vscode.ExtensionContext) {
  return activateKeysmith(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

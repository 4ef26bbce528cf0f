import * as vscode from 'vscode';

/**
 * The seam between Keysmith and VS Code's interactive prompts. Production code always uses
 * `vscodePrompts`; integration tests replace it (through the API returned by activate() in test
 * mode only) to answer quick picks, input boxes and confirmations.
 */
export interface Prompts {
  quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  inputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  /** A modal confirmation; resolves to the chosen action or undefined when dismissed. */
  confirm(message: string, detail: string, action: string): Thenable<string | undefined>;
  workspaceFolder(options: vscode.WorkspaceFolderPickOptions): Thenable<vscode.WorkspaceFolder | undefined>;
}

export const vscodePrompts: Prompts = {
  quickPick: (items, options) => vscode.window.showQuickPick(items, options),
  inputBox: (options) => vscode.window.showInputBox(options),
  confirm: (message, detail, action) => vscode.window.showWarningMessage(message, { modal: true, detail }, action),
  workspaceFolder: (options) => vscode.window.showWorkspaceFolderPick(options),
};

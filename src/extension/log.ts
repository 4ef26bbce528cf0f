import * as vscode from 'vscode';

/** Keysmith's log. It names keys, formats and files, never secret values. */
export function createLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel('Keysmith', { log: true });
  context.subscriptions.push(channel);
  return channel;
}

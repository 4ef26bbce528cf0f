import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** Keysmith's log. It names keys, formats and files, never secret values. */
export function createLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('Keysmith', { log: true });
  context.subscriptions.push(channel);
  return channel;
}

export function log(): vscode.LogOutputChannel | undefined {
  return channel;
}

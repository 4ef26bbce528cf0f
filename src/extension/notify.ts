import * as vscode from 'vscode';

/**
 * Ends a command that changed a file: a notification saying what changed, with a button to open
 * the file. Not awaited, so the command finishes while the notification waits for the user.
 */
export function notifyChanged(message: string, file: vscode.Uri): void {
  const open = vscode.l10n.t('Open File');
  void vscode.window.showInformationMessage(vscode.l10n.t('Keysmith: {0}', message), open).then((choice) => {
    if (choice === open) void vscode.window.showTextDocument(file, { preview: false });
  });
}

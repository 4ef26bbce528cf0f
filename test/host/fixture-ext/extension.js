// Stand-in for Keysmith while developing the test host: one command with a quick pick that inserts
// a Fernet key (32 random bytes, urlsafe base64) at the cursor. Plain CommonJS, no build step.
const vscode = require('vscode');
const { randomBytes } = require('node:crypto');

function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('keysmithFixture.generateSecret', async () => {
    const pick = await vscode.window.showQuickPick(
      [{ label: 'Fernet key', id: 'fernet' }, { label: 'Hex (32 bytes)', id: 'hex' }],
      { placeHolder: 'Kind of secret' });
    if (!pick) return undefined;
    const value = pick.id === 'fernet' ? randomBytes(32).toString('base64url') + '=' : randomBytes(32).toString('hex');
    const editor = vscode.window.activeTextEditor;
    if (editor) await editor.edit((b) => b.replace(editor.selection, value));
    return value;
  }));
}
function deactivate() {}
module.exports = { activate, deactivate };

// The "lazy" run opens a workspace with no .env file: Keysmith must not be active until a
// command or a .env file calls for it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getFormat } from '../../../src/core/formats.ts';
import { EXTENSION_ID, openText, closeAll, until, WAIT_MS } from '../helpers.ts';

describe('activation', () => {
  // Mocha runs these in order; the first must run before anything activates Keysmith.
  it('is lazy: not active at startup, nor after opening an unrelated file', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'Keysmith is installed');
    assert.equal(ext.isActive, false, 'Keysmith activated at startup');
    // The workbench asks the extension host for onLanguage activation when it creates the model,
    // before it sends the host the document: once the host has the document open in an editor,
    // a wrong activation event has been requested. The next test checks again, after many more
    // round trips, before it activates Keysmith itself.
    const editor = await openText('hello', 'plaintext');
    await until(vscode.window.onDidChangeVisibleTextEditors, () => vscode.window.visibleTextEditors.some((e) => e.document === editor.document), WAIT_MS, 'the plain text editor');
    assert.equal(ext.isActive, false, 'opening a plain text file activated Keysmith');
    await closeAll();
  });

  it('activates only for its commands and for .env files', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents?: string[] };
    assert.deepEqual([...(pkg.activationEvents ?? [])].sort(), ['onLanguage:dotenv', 'workspaceContains:**/*.env', 'workspaceContains:**/.env', 'workspaceContains:**/.env.*']);
  });

  it('a Keysmith command activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, false, 'Keysmith became active before any command or .env file (the plain text file activated it late?)');
    // With no editor open, "Generate Secret Key (Last Format)" asks nothing: it copies a secret of
    // the default format and resolves, so awaiting it is the event.
    assert.equal(vscode.window.activeTextEditor, undefined);
    await vscode.commands.executeCommand('keysmith.generateSecretLastFormat');
    assert.equal(ext.isActive, true, 'the command ran but Keysmith is not active');
    const copied = await vscode.env.clipboard.readText();
    const format = vscode.workspace.getConfiguration('keysmith').get<string>('defaultFormat') ?? 'base64url';
    assert.ok(getFormat(format as never).validate(copied), `the clipboard does not hold a ${format} secret`);
    await vscode.commands.executeCommand('notifications.clearAll');
  });
});

// The "lazy" run opens a workspace with no .env file: Keysmith must not be active until a
// command or a .env file calls for it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, openText, closeAll, sleep, waitFor } from '../helpers.ts';

describe('activation', () => {
  // Mocha runs these in order; the first must run before anything activates Keysmith.
  it('is lazy: not active at startup, nor after opening an unrelated file', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'Keysmith is installed');
    assert.equal(ext.isActive, false, 'Keysmith activated at startup');
    await openText('hello', 'plaintext');
    await sleep(300);
    assert.equal(ext.isActive, false, 'opening a plain text file activated Keysmith');
    await closeAll();
  });

  it('activates only for its commands and for .env files', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents?: string[] };
    assert.deepEqual([...(pkg.activationEvents ?? [])].sort(), ['onLanguage:dotenv', 'workspaceContains:**/*.env', 'workspaceContains:**/.env', 'workspaceContains:**/.env.*']);
  });

  it('a Keysmith command activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // The command opens the real format picker (no prompt answers are scripted before activation):
    // wait for activation, then close the picker.
    const running = vscode.commands.executeCommand('keysmith.copySecret');
    await waitFor(() => ext.isActive, undefined, 'activation by a command');
    await waitFor(async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return Promise.race([Promise.resolve(running).then(() => true, () => true), sleep(200).then(() => false)]);
    }, undefined, 'the picker to close');
  });
});

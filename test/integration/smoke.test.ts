// Smoke test for the test host itself; runs in every integration run (single, multi, …).
// It checks that the workspace the runner opened has the expected shape and that the extension
// under test is present and activates. Expectations come from run-integration.mjs via
// extensionEnvironment: KEYSMITH_RUN, KEYSMITH_EXTENSION_ID, KEYSMITH_EXPECT_FOLDERS, KEYSMITH_EXPECT_TRUSTED.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const env = process.env;

describe(`smoke (${env.KEYSMITH_RUN ?? 'unknown run'})`, () => {
  it('runs inside a real VS Code extension host', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    assert.equal(typeof vscode.window.showQuickPick, 'function');
  });

  it('opened the expected workspace folders', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const expected = Number(env.KEYSMITH_EXPECT_FOLDERS ?? '1');
    assert.equal(folders.length, expected, `folders: ${folders.map((f) => f.uri.fsPath).join(', ')}`);
    if (expected > 1) assert.ok(vscode.workspace.workspaceFile, 'a multi-root run opens a .code-workspace');
  });

  it('has the expected Workspace Trust state', () => {
    if (env.KEYSMITH_EXPECT_TRUSTED === undefined) return;
    assert.equal(vscode.workspace.isTrusted, env.KEYSMITH_EXPECT_TRUSTED === 'true');
  });

  it('sees a .env file in every workspace folder', async () => {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, '.env');
      const stat = await vscode.workspace.fs.stat(uri);
      assert.equal(stat.type, vscode.FileType.File, uri.toString());
    }
  });

  it('has the extension under test installed and activates it', async () => {
    const id = env.KEYSMITH_EXTENSION_ID;
    assert.ok(id, 'KEYSMITH_EXTENSION_ID is set');
    const ext = vscode.extensions.getExtension(id);
    assert.ok(ext, `extension ${id} is present`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});

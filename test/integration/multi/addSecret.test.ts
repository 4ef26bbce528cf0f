import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getFormat } from '../../../src/core/formats.ts';
import { answer, closeAll } from '../helpers.ts';
import { folderUri, readBytes, writeBytes } from '../envfs.ts';

describe('Add Secret to .env (multi-root)', () => {
  afterEach(closeAll);

  it('asks which folder, writes only that folder\'s .env and keeps every other byte', async () => {
    const folders = vscode.workspace.workspaceFolders!;
    assert.ok(folders.length >= 2, 'this suite needs a multi-root workspace');
    const [first, second] = folders;
    const a = vscode.Uri.joinPath(first!.uri, '.env');
    const b = vscode.Uri.joinPath(second!.uri, '.env');
    const textA = '# first\r\nA=1\r\n';
    const textB = '# second\nB=2';
    await writeBytes(a, textA);
    await writeBytes(b, textB);

    const rec = await answer({ folder: second!.name, input: 'SECOND_SECRET', pick: getFormat('hex').label });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    assert.equal(rec.folderPicks, 1, 'did not ask for the folder');
    assert.equal(await readBytes(a), textA, 'the other folder\'s .env changed');
    const after = await readBytes(b);
    assert.ok(after.startsWith(textB + '\n'), 'existing bytes changed');
    assert.match(after.slice(textB.length), /^\nSECOND_SECRET=[0-9a-f]{64}\n?$/);
    void folderUri;
  });

  it('settings are read per folder', async () => {
    const second = vscode.workspace.workspaceFolders![1]!;
    const config = vscode.workspace.getConfiguration('keysmith', second.uri);
    await config.update('defaultBytes', 40, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const b = vscode.Uri.joinPath(second.uri, '.env');
      await writeBytes(b, 'X=1\n');
      await answer({ folder: second.name, input: 'FOLDER_SECRET', pick: getFormat('hex').label });
      await vscode.commands.executeCommand('keysmith.addSecretToEnv');
      assert.match(await readBytes(b), /^X=1\nFOLDER_SECRET=[0-9a-f]{80}\n?$/);
    } finally {
      await config.update('defaultBytes', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });
});

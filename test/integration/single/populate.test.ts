import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { getFormat } from '../../../src/core/formats.ts';
import { answer, closeAll, keysmith } from '../helpers.ts';
import { folderUri, readBytes, remove, writeBytes } from '../envfs.ts';

const LINES = ['# app settings', 'SECRET_KEY=', 'API_KEY=changeme', 'FERNET_KEY=<generate one>', 'REAL_TOKEN=Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0', 'PORT=3000', 'DATABASE_URL=postgres://localhost/app', 'DEBUG=true'];

function checkFilled(text: string, original: string): void {
  const parsed = dotenv.parse(text);
  assert.ok(getFormat('base64url').validate(parsed['SECRET_KEY']!), 'SECRET_KEY');
  assert.ok(getFormat('api-key').validate(parsed['API_KEY']!), 'API_KEY');
  assert.ok(getFormat('fernet').validate(parsed['FERNET_KEY']!), 'FERNET_KEY');
  const before = dotenv.parse(original);
  for (const k of ['REAL_TOKEN', 'PORT', 'DATABASE_URL', 'DEBUG']) assert.equal(parsed[k], before[k], `${k} was touched`);
}

describe('Populate Empty Keys', () => {
  const file = () => vscode.Uri.joinPath(folderUri(), '.env.populate');
  before(keysmith);
  afterEach(async () => {
    await closeAll();
    await remove(file());
  });

  it('fills a CRLF file that is not open, keeps everything else, and asks with key names only', async () => {
    const original = LINES.join('\r\n');
    await writeBytes(file(), original);
    const rec = await answer({ confirm: 'Fill' });
    await vscode.commands.executeCommand('keysmith.populateEmptyKeys', file());
    assert.equal(rec.confirms.length, 1);
    const { message, detail } = rec.confirms[0]!;
    assert.match(message, /Fill 3 keys/);
    for (const k of ['SECRET_KEY', 'API_KEY', 'FERNET_KEY']) assert.ok(detail.includes(k), `${k} not listed`);
    for (const k of ['REAL_TOKEN', 'PORT', 'DEBUG']) assert.ok(!detail.includes(k), `${k} listed`);
    assert.ok(!/changeme|generate one|Zq3vN8/.test(message + detail), 'a value appears in the confirmation');
    const after = await readBytes(file());
    checkFilled(after, original);
    assert.equal(after.split('\r\n').length, LINES.length, 'line structure changed');
    assert.ok(!/[^\r]\n/.test(after), 'bare LF in a CRLF file');
    assert.ok(after.endsWith('DEBUG=true'), 'a final newline was added');
  });

  it('one undo restores the file', async () => {
    const original = LINES.join('\n') + '\n';
    await writeBytes(file(), original);
    await answer({ confirm: 'Fill' });
    await vscode.commands.executeCommand('keysmith.populateEmptyKeys', file());
    const doc = await vscode.workspace.openTextDocument(file());
    checkFilled(doc.getText(), original);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original);
  });

  it('keeps a UTF-8 BOM', async () => {
    const original = '\uFEFF' + LINES.join('\n') + '\n';
    await writeBytes(file(), original);
    await answer({ confirm: 'Fill' });
    await vscode.commands.executeCommand('keysmith.populateEmptyKeys', file());
    const bytes = await vscode.workspace.fs.readFile(file());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'BOM lost');
    checkFilled(await readBytes(file()), original);
  });

  it('fills the open editor\'s document, and cancelling changes nothing', async () => {
    const original = LINES.join('\n');
    await writeBytes(file(), original);
    const doc = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(doc);
    await answer({ confirm: undefined });
    await vscode.commands.executeCommand('keysmith.populateEmptyKeys');
    assert.equal(doc.getText(), original);
    await answer({ confirm: 'Fill' });
    await vscode.commands.executeCommand('keysmith.populateEmptyKeys');
    checkFilled(doc.getText(), original);
  });

  it('skips files over keysmith.maxFileSizeMB without reading them', async () => {
    const config = vscode.workspace.getConfiguration('keysmith');
    await config.update('maxFileSizeMB', 0.0001, vscode.ConfigurationTarget.Workspace);
    try {
      const big = vscode.Uri.joinPath(folderUri(), '.env.big');
      const original = LINES.join('\n') + '\n'.repeat(200);
      await writeBytes(big, original);
      const rec = await answer({ confirm: 'Fill' });
      await vscode.commands.executeCommand('keysmith.populateEmptyKeys', big);
      assert.equal(rec.confirms.length, 0);
      assert.equal(await readBytes(big), original);
      await remove(big);
    } finally {
      await config.update('maxFileSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

// The passphrase wordlist ships as dist/eff_large_wordlist.txt and is read with workspace.fs from
// the extension's own location (vscode-remote:// on route A, http:// on route B).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getFormat } from '../../../src/core/formats.ts';
import { answer, closeAll, openText, setSetting } from '../../integration/helpers.ts';
import { config } from '../config.ts';

describe('passphrase wordlist on the web', () => {
  afterEach(async () => {
    await closeAll();
    await setSetting('keysmith.passphrase.separator', undefined);
  });

  it('loads through workspace.fs from the extension, and every word comes from it', async () => {
    const ext = vscode.extensions.getExtension(config.extensionId)!;
    const uri = vscode.Uri.joinPath(ext.extensionUri, 'dist', 'eff_large_wordlist.txt');
    const words = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split('\n').filter(Boolean);
    assert.equal(words.length, 7776, `${uri.scheme}: the EFF list has 7776 words`);
    await setSetting('keysmith.passphrase.separator', ' ');
    const editor = await openText('');
    await answer({ pick: getFormat('passphrase').label });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    const value = editor.document.getText();
    const list = new Set(words);
    const picked = value.split(' ');
    assert.equal(picked.length, 10, `expected 10 words, got ${picked.length}`);
    for (const w of picked) assert.ok(list.has(w), 'a word that is not in the EFF list');
    assert.ok(getFormat('passphrase').validate(value, { wordlist: words, separator: ' ', words: 10 }));
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { quoteEnvValue } from '../../../src/core/envdoc.ts';
import { allFormats, getFormat, type FormatId } from '../../../src/core/formats.ts';
import { answer, closeAll, openText, setSetting } from '../helpers.ts';

const label = (id: FormatId) => getFormat(id).label;

describe('Generate Secret Key', () => {
  afterEach(async () => {
    await closeAll();
    for (const k of ['defaultBytes', 'password.length', 'password.symbols', 'passphrase.words', 'passphrase.separator', 'apiKey.prefix', 'apiKey.environment', 'allowWeakSizes']) {
      await setSetting(`keysmith.${k}`, undefined);
    }
  });

  it('inserts a distinct secret at every cursor, as one undo step', async () => {
    const original = 'A=\nB=\nC=\n';
    const editor = await openText(original);
    editor.selections = [0, 1, 2].map((line) => new vscode.Selection(line, 2, line, 2));
    await answer({ pick: label('hex') });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    const lines = editor.document.getText().split('\n');
    const values = lines.slice(0, 3).map((l) => l.slice(2));
    values.forEach((v) => assert.ok(getFormat('hex').validate(v, { bytes: 32 }), `not a 32-byte hex secret: length ${v.length}`));
    assert.equal(new Set(values).size, 3, 'cursors got the same secret');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo did not restore the text');
  });

  it('at a KEY= cursor in a .env file, Django keys leave out $ and are quoted; in code they are unchanged', async () => {
    const cursors = 24;
    const text = Array.from({ length: cursors }, (_, i) => `K${i}=${i % 2 ? ' # note' : ''}`).join('\n') + '\n';
    const insert = async (language: string): Promise<string> => {
      const editor = await openText(text, language);
      editor.selections = Array.from({ length: cursors }, (_, i) => new vscode.Selection(i, `K${i}=`.length, i, `K${i}=`.length));
      await answer({ pick: label('django') });
      await vscode.commands.executeCommand('keysmith.generateSecret');
      const out = editor.document.getText();
      await closeAll();
      return out;
    };
    const env = await insert('dotenv');
    const parsed = dotenv.parse(env);
    for (let i = 0; i < cursors; i++) {
      const v = parsed[`K${i}`]!;
      assert.ok(getFormat('django').validate(v) && !v.includes('$'), 'a Django key in a .env file holds $ or is invalid');
      assert.equal(env.split('\n')[i], `K${i}=${quoteEnvValue(v)}${i % 2 ? ' # note' : ''}`);
    }
    // In code: inserted as generated. 24 keys of 50 characters from the full alphabet all lack $
    // with probability (49/50)^1200 < 1e-10.
    const code = (await insert('python')).split('\n').slice(0, cursors).map((l) => l.replace(/^K\d+=/, '').replace(/ # note$/, ''));
    for (const v of code) assert.ok(getFormat('django').validate(v), `not inserted as generated in code: ${JSON.stringify(code)}`);
    assert.ok(code.some((v) => v.includes('$')), 'in code the Django alphabet lost $');
  });

  it('replaces selections', async () => {
    const editor = await openText('KEY1=old-value-one\nKEY2=old-value-two\n');
    const doc = editor.document;
    editor.selections = [0, 1].map((line) => new vscode.Selection(line, 5, line, doc.lineAt(line).text.length));
    await answer({ pick: label('fernet') });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    for (const line of [0, 1]) {
      const text = doc.lineAt(line).text;
      assert.match(text, /^KEY\d=/);
      assert.ok(!text.includes('old-value'), 'selection was not replaced');
      assert.ok(getFormat('fernet').validate(text.slice(5)), 'not a Fernet key');
    }
  });

  it('offers every format with its bits and a masked sample, recently used first', async () => {
    await openText('');
    const rec = await answer({ pick: label('uuid') });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    const again = await answer({ pick: undefined });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    const items = again.quickPicks[0]!.items;
    assert.equal(items.length, allFormats().length);
    assert.equal(items[0]!.label, label('uuid'), 'last used format is not first');
    for (const item of rec.quickPicks[0]!.items) {
      assert.match(item.description ?? '', /^\d+ bits/);
      assert.match(item.detail ?? '', /e\.g\. .{1,12}•{6}$/);
    }
  });

  it('in a .env, the picker puts the format of the key under the cursor first, "suggested for KEY"', async () => {
    const editor = await openText('PORT=1\nDJANGO_SECRET_KEY=\n', 'dotenv');
    editor.selection = new vscode.Selection(1, 18, 1, 18);
    const rec = await answer({ pick: undefined });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    const first = rec.quickPicks[0]!.items[0]!;
    assert.equal(first.label, label('django'));
    assert.match(first.description ?? '', /suggested for DJANGO_SECRET_KEY/);
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    const port = await answer({ pick: undefined });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    assert.ok(!port.quickPicks[0]!.items.some((i) => /suggested/.test(i.description ?? '')), 'PORT is not a secret');
  });

  it('generates a valid value for every format', async () => {
    for (const f of allFormats()) {
      const editor = await openText('');
      await answer({ pick: f.label });
      await vscode.commands.executeCommand('keysmith.generateSecret');
      const value = editor.document.getText();
      assert.ok(value.length > 0, `${f.id}: nothing inserted`);
      assert.ok(f.validate(value), `${f.id}: invalid value of length ${value.length}`);
      await closeAll();
    }
  });

  it('respects settings', async () => {
    await setSetting('keysmith.defaultBytes', 48);
    await setSetting('keysmith.password.length', 40);
    await setSetting('keysmith.password.symbols', false);
    await setSetting('keysmith.passphrase.words', 12);
    await setSetting('keysmith.passphrase.separator', '.');
    await setSetting('keysmith.apiKey.prefix', 'rk');
    await setSetting('keysmith.apiKey.environment', 'test');
    const cases: [FormatId, (v: string) => boolean][] = [
      ['hex', (v) => v.length === 96],
      ['base64url', (v) => v.length === 64],
      ['jwt-hs512', (v) => v.length === 86],
      ['password', (v) => /^[A-Za-z0-9]{40}$/.test(v)],
      ['passphrase', (v) => v.split('.').length === 12],
      ['api-key', (v) => v.startsWith('rk_test_')],
    ];
    for (const [id, ok] of cases) {
      const editor = await openText('');
      await answer({ pick: label(id) });
      await vscode.commands.executeCommand('keysmith.generateSecret');
      assert.ok(ok(editor.document.getText()), `${id} ignored the settings (length ${editor.document.getText().length})`);
      await closeAll();
    }
  });

  it('refuses weak sizes from settings and leaves the text alone', async () => {
    await setSetting('keysmith.defaultBytes', 8);
    const editor = await openText('unchanged');
    await answer({ pick: label('hex') });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    assert.equal(editor.document.getText(), 'unchanged');
    await setSetting('keysmith.allowWeakSizes', true);
    await vscode.commands.executeCommand('keysmith.generateSecret');
    assert.match(editor.document.getText(), /^[0-9a-f]{16}unchanged$/);
  });

  it('Generate Secret Key (Last Format) skips the picker', async () => {
    const editor = await openText('');
    await answer({ pick: label('django') });
    await vscode.commands.executeCommand('keysmith.generateSecret');
    await closeAll();
    const second = await openText('');
    const rec = await answer({ pick: undefined });
    await vscode.commands.executeCommand('keysmith.generateSecretLastFormat');
    assert.equal(rec.quickPicks.length, 0);
    assert.ok(getFormat('django').validate(second.document.getText()));
    void editor;
  });

  it('Copy Secret Key to Clipboard puts a fresh secret on the clipboard, not in the editor', async () => {
    const editor = await openText('');
    await answer({ pick: label('base64url') });
    await vscode.commands.executeCommand('keysmith.copySecret');
    // The command resolves after the clipboard write.
    const copied = await vscode.env.clipboard.readText();
    assert.ok(getFormat('base64url').validate(copied, { bytes: 32 }));
    assert.equal(editor.document.getText(), '');
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { quoteEnvValue } from '../../../src/core/envdoc.ts';
import { getFormat } from '../../../src/core/formats.ts';
import { answer, closeAll, keysmith } from '../helpers.ts';
import { folderUri, readBytes, remove, writeBytes } from '../envfs.ts';

const ORIGINAL = '# Database\r\nDB_HOST=localhost\r\n\r\n# Keys go below\r\nexport API_TOKEN="keep me" # inline comment\r\nEMPTY_SECRET=\r\nLAST=1';

describe('Add Secret to .env', () => {
  const env = () => vscode.Uri.joinPath(folderUri(), '.env');
  let saved: string | undefined;
  before(async () => {
    await keysmith();
    saved = await readBytes(env()).catch(() => undefined);
  });
  afterEach(async () => {
    await closeAll();
  });
  after(async () => {
    if (saved !== undefined) await writeBytes(env(), saved);
  });

  it('appends KEY=value to a CRLF file with comments and no final newline, keeping every other byte', async () => {
    await writeBytes(env(), ORIGINAL);
    await answer({ input: 'SESSION_SECRET', pick: getFormat('hex').label });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    const after = await readBytes(env());
    assert.ok(after.startsWith(ORIGINAL), 'the existing bytes changed');
    const added = after.slice(ORIGINAL.length);
    assert.match(added, /^\r\nSESSION_SECRET=[0-9a-f]{64}(\r\n)?$/, 'appended line has the wrong shape or line ending');
    assert.ok(!/(^|[^\r])\n/.test(after), 'a bare LF crept into a CRLF file');
  });

  it('fills an empty value in place without asking, and the edit is undoable', async () => {
    await writeBytes(env(), ORIGINAL);
    const rec = await answer({ input: 'EMPTY_SECRET', pick: getFormat('base64url').label });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    assert.equal(rec.confirms.length, 0);
    const after = await readBytes(env());
    const m = /EMPTY_SECRET=([A-Za-z0-9_-]+)\r\n/.exec(after);
    assert.ok(m && getFormat('base64url').validate(m[1]!, { bytes: 32 }));
    assert.equal(after.replace(m[0], 'EMPTY_SECRET=\r\n'), ORIGINAL, 'other bytes changed');

    const doc = await vscode.workspace.openTextDocument(env());
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), ORIGINAL, 'undo did not restore the file');
  });

  it('asks before overwriting a non-empty value, and cancelling changes nothing', async () => {
    await writeBytes(env(), ORIGINAL);
    const rec = await answer({ input: 'API_TOKEN', pick: getFormat('hex').label, confirm: undefined });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    assert.equal(rec.confirms.length, 1);
    assert.match(rec.confirms[0]!.message, /API_TOKEN/);
    assert.ok(!rec.confirms[0]!.message.includes('keep me'), 'the confirmation shows the old value');
    assert.equal(await readBytes(env()), ORIGINAL);

    await answer({ input: 'API_TOKEN', pick: getFormat('hex').label, confirm: 'Replace' });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    const after = await readBytes(env());
    assert.match(after, /export API_TOKEN="[0-9a-f]{64}" # inline comment\r\n/, 'quotes, export or inline comment were lost');
    assert.equal(after.replace(/"[0-9a-f]{64}"/, '"keep me"'), ORIGINAL);
  });

  it('writes a Django key in single quotes and without $, so dotenv, dotenv-expand, python-dotenv, compose and a shell read it back', async () => {
    await writeBytes(env(), 'A=1\n');
    await answer({ input: 'DJANGO_SECRET_KEY', pick: getFormat('django').label });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    const after = await readBytes(env());
    const m = /^A=1\nDJANGO_SECRET_KEY=(.*)\n$/.exec(after);
    assert.ok(m, 'the appended line has the wrong shape');
    const value = dotenv.parse(after)['DJANGO_SECRET_KEY']!;
    assert.ok(getFormat('django').validate(value) && !value.includes('$'), 'not a Django key without $');
    assert.equal(m[1], quoteEnvValue(value), 'not written as quoteEnvValue decides');
    assert.ok(/^'.*'$/.test(m[1]!) || /^[a-z0-9_=+-]+$/.test(value), 'a value with shell metacharacters is not in single quotes');
  });

  it('validates the variable name', async () => {
    await writeBytes(env(), ORIGINAL);
    const rec = await answer({ input: '1BAD-NAME', pick: getFormat('hex').label });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    const v = rec.inputs[0]!.validation;
    assert.ok(v && typeof v !== 'string' && v.severity === vscode.InputBoxValidationSeverity.Error);
    assert.equal(await readBytes(env()), ORIGINAL, 'an invalid name was written');
  });

  it('creates the .env file when it is missing', async () => {
    await remove(env());
    await answer({ input: 'FERNET_KEY', pick: getFormat('fernet').label });
    await vscode.commands.executeCommand('keysmith.addSecretToEnv');
    const after = await readBytes(env());
    const m = /^FERNET_KEY=(\S+)\n?$/.exec(after);
    assert.ok(m && getFormat('fernet').validate(m[1]!), 'new file has the wrong content');
  });

  it('writes into the file it was invoked on (explorer context menu)', async () => {
    const other = vscode.Uri.joinPath(folderUri(), '.env.local');
    await writeBytes(other, 'A=1\n');
    try {
      await answer({ input: 'JWT_SECRET', pick: getFormat('jwt-hs256').label });
      await vscode.commands.executeCommand('keysmith.addSecretToEnv', other);
      assert.match(await readBytes(other), /^A=1\nJWT_SECRET=[A-Za-z0-9_-]{43}\n?$/);
    } finally {
      await closeAll();
      await remove(other);
    }
  });
});

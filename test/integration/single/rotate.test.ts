import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { getFormat } from '../../../src/core/formats.ts';
import { answer, closeAll, codeOf, diagnosticsFor, hasCode, keysmith, quickFixes, applyAction, setSetting } from '../helpers.ts';
import { fileMatching, folderUri, readBytes, writeBytes } from '../envfs.ts';

const OLD = 'Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0-_x';
const OLD_JWT = 'Jq8vN2sLr5Wm1XkPc7Tj4Yb9Hd3Gf6Ae0-_yzzzzQ';
const fernet = () => getFormat('fernet').generate();

/** No old value, nor a piece of one, in what the user was shown. */
function assertNamesOnly(rec: { confirms: { message: string; detail: string }[]; quickPicks: { items: readonly vscode.QuickPickItem[] }[] }, values: string[]): void {
  const shown = JSON.stringify([rec.confirms, rec.quickPicks.map((q) => q.items.map((i) => [i.label, i.description, i.detail]))]);
  for (const v of values) assert.ok(!shown.includes(v.slice(0, 8)), 'a value appears in a prompt');
}

async function editorAt(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  editor.selection = new vscode.Selection(line, 3, line, 3);
  return editor;
}

describe('Rotate Secret', () => {
  const dir = () => vscode.Uri.joinPath(folderUri(), 'rotate');
  const file = (name: string) => vscode.Uri.joinPath(dir(), name);
  before(keysmith);
  afterEach(async () => {
    await closeAll();
    await setSetting('keysmith.example.syncOnSave', undefined);
  });
  after(async () => {
    await vscode.workspace.fs.delete(dir(), { recursive: true }).then(undefined, () => undefined);
  });

  it('from the palette: rotates the key under the cursor into its companion, asks with names only, one undo restores', async () => {
    const uri = file('.env.palette');
    const original = `# tokens\r\nAPI_TOKEN=${OLD} # signing\r\nAPI_TOKEN_PREVIOUS=\r\nJWT_SECRET=${OLD_JWT}\r\n`;
    await writeBytes(uri, original);
    const editor = await editorAt(uri, 1);
    const rec = await answer({ confirm: 'Rotate' });
    await vscode.commands.executeCommand('keysmith.rotateSecret');
    assert.equal(rec.confirms.length, 1);
    assert.match(rec.confirms[0]!.message, /Rotate API_TOKEN in /);
    assert.doesNotMatch(rec.confirms[0]!.message, /stop verifying/);
    assert.match(rec.confirms[0]!.detail, /API_TOKEN_PREVIOUS/);
    assertNamesOnly(rec, [OLD, OLD_JWT]);
    const text = editor.document.getText();
    const parsed = dotenv.parse(text);
    assert.equal(parsed['API_TOKEN_PREVIOUS'], OLD);
    assert.notEqual(parsed['API_TOKEN'], OLD);
    assert.equal(parsed['JWT_SECRET'], OLD_JWT, 'another key was rotated');
    assert.match(text, /^# tokens\r\nAPI_TOKEN=\S+ # signing\r\nAPI_TOKEN_PREVIOUS=\S+\r\nJWT_SECRET=\S+\r\n$/);
    assert.equal(await readBytes(uri), text, 'not saved');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo did not restore the file');
  });

  it('a plain replacement says old signatures stop verifying; cancelling changes nothing', async () => {
    const uri = file('.env.plain');
    const original = `JWT_SECRET=${OLD_JWT}\n`;
    await writeBytes(uri, original);
    await editorAt(uri, 0);
    const rec = await answer({ confirm: undefined });
    await vscode.commands.executeCommand('keysmith.rotateSecret');
    assert.equal(rec.confirms.length, 1);
    assert.match(rec.confirms[0]!.message, /Sessions or tokens signed with the old value of JWT_SECRET stop verifying/);
    assertNamesOnly(rec, [OLD_JWT]);
    assert.equal(await readBytes(uri), original);
    assert.equal(vscode.window.activeTextEditor?.document.isDirty, false);
  });

  it('the code action on a secret-named key rotates a Fernet key list; none on non-secret keys', async () => {
    const uri = file('.env.fernet');
    const [k1, k2] = [fernet(), fernet()];
    await writeBytes(uri, `PORT=8000\nFERNET_KEYS=${k1},${k2}\n`);
    await editorAt(uri, 1);
    const actions = async (line: number) => (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', uri, new vscode.Range(line, 2, line, 2), vscode.CodeActionKind.RefactorRewrite.value)) ?? [];
    assert.ok(!(await actions(0)).some((a) => /Rotate/.test(a.title)), 'offered on PORT');
    const rotate = (await actions(1)).find((a) => a.title === 'Rotate FERNET_KEYS…');
    assert.ok(rotate, 'no Rotate FERNET_KEYS code action');
    const rec = await answer({ confirm: 'Rotate' });
    await applyAction(rotate);
    assert.equal(rec.confirms.length, 1);
    assertNamesOnly(rec, [k1, k2]);
    const list = dotenv.parse(await readBytes(uri))['FERNET_KEYS']!.split(',');
    assert.equal(list.length, 2);
    assert.ok(getFormat('fernet').validate(list[0]!) && list[0] !== k1);
    assert.equal(list[1], k1);
  });

  it('Django project: the offer adds SECRET_KEY_FALLBACKS after the key, and the example gets it when sync is on', async () => {
    const project = vscode.Uri.joinPath(dir(), 'dj');
    await writeBytes(vscode.Uri.joinPath(project, 'manage.py'), '');
    const env = vscode.Uri.joinPath(project, '.env');
    const example = vscode.Uri.joinPath(project, '.env.example');
    const key = getFormat('django').generate();
    await writeBytes(env, `DEBUG=false\nSECRET_KEY='${key}'\nALLOWED_HOSTS=example.com\n`);
    await writeBytes(example, 'DEBUG=false\nSECRET_KEY=\nALLOWED_HOSTS=example.com\n');
    await setSetting('keysmith.example.syncOnSave', true);
    await editorAt(env, 1);
    // Cancelling the offer changes nothing.
    const cancelled = await answer({ pick: undefined, confirm: 'Rotate' });
    await vscode.commands.executeCommand('keysmith.rotateSecret');
    assert.equal(cancelled.quickPicks.length, 1);
    assert.equal(cancelled.confirms.length, 0);
    assert.match(await readBytes(env), new RegExp(`^DEBUG=false\\nSECRET_KEY='`));
    assert.equal(dotenv.parse(await readBytes(env))['SECRET_KEY'], key);

    const rec = await answer({ pick: 'Add SECRET_KEY_FALLBACKS', confirm: 'Rotate' });
    await vscode.commands.executeCommand('keysmith.rotateSecret');
    assertNamesOnly(rec, [key]);
    const text = await readBytes(env);
    assert.match(text, /^DEBUG=false\nSECRET_KEY=.+\nSECRET_KEY_FALLBACKS=.+\nALLOWED_HOSTS=example.com\n$/);
    const parsed = dotenv.parse(text);
    assert.equal(parsed['SECRET_KEY_FALLBACKS'], key);
    assert.ok(getFormat('django').validate(parsed['SECRET_KEY']!));
    const ex = await fileMatching(example, (t) => /SECRET_KEY_FALLBACKS=/.test(t), 'the example to get SECRET_KEY_FALLBACKS');
    assert.match(ex, /^DEBUG=false\nSECRET_KEY=\nSECRET_KEY_FALLBACKS=.*\nALLOWED_HOSTS=example.com\n$/);
    assert.ok(!ex.includes(key.slice(0, 8)), 'the old key leaked into the example');
  });

  describe('env-tracked (trusted workspace)', () => {
    const repo = () => vscode.Uri.joinPath(dir(), 'repo');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo().fsPath, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo().fsPath } }).toString();

    it('the quick fix "Rotate every secret in this file" rotates them all after one confirmation', async () => {
      const env = vscode.Uri.joinPath(repo(), '.env');
      const k1 = fernet();
      const original = `PORT=3000\nAPI_TOKEN=${OLD}\nAPI_TOKEN_OLD=\nJWT_SECRET=${OLD_JWT}\nFERNET_KEYS=${k1}\n`;
      await vscode.workspace.fs.createDirectory(repo());
      git('init', '-q');
      await writeBytes(env, original);
      git('add', '-f', '.env');
      git('commit', '-q', '-m', 'oops');
      await writeBytes(env, original); // the watcher's change event makes Keysmith ask git again
      const [d] = (await diagnosticsFor(env, hasCode('env-tracked'), 60000)).filter((x) => codeOf(x) === 'env-tracked');
      const fixes = await quickFixes(env, d!);
      const fix = fixes.find((a) => a.title === 'Rotate every secret in this file…');
      assert.ok(fix, `no rotate fix among: ${fixes.map((a) => a.title).join(' | ')}`);
      const rec = await answer({ confirm: 'Rotate' });
      await applyAction(fix);
      assert.equal(rec.confirms.length, 1);
      assert.match(rec.confirms[0]!.message, /Rotate 3 secrets/);
      assert.match(rec.confirms[0]!.message, /old value of JWT_SECRET stop verifying/);
      assertNamesOnly(rec, [OLD, OLD_JWT, k1]);
      const parsed = dotenv.parse(await readBytes(env));
      assert.equal(parsed['PORT'], '3000');
      assert.equal(parsed['API_TOKEN_OLD'], OLD);
      assert.notEqual(parsed['API_TOKEN'], OLD);
      assert.notEqual(parsed['JWT_SECRET'], OLD_JWT);
      assert.ok(parsed['JWT_SECRET']!.length >= 43);
      assert.equal(parsed['FERNET_KEYS']!.split(',')[1], k1);
    });
  });
});

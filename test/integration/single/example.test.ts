import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { answer, applyAction, closeAll, codeOf, diagnosticsFor, hasCode, keysmith, lacksCode, quickFixes, setSetting } from '../helpers.ts';
import { fileMatching, folderUri, readBytes, writeBytes } from '../envfs.ts';

const REAL = {
  SECRET_KEY: 'Zq3vN8sLr2Wm9XkPc4Tj7Yb1Hd6Gf5Ae0Qw',
  DATABASE_URL: 'postgres://admin:Hunter2Hunter2@db.internal.corp:5432/prod',
  ADMIN_EMAIL: 'alice.realperson@corp.internal',
};
const SOURCE = [
  '# Django',
  `SECRET_KEY=${REAL.SECRET_KEY}`,
  'DEBUG=true',
  '',
  '# Database',
  `DATABASE_URL=${REAL.DATABASE_URL}`,
  `ADMIN_EMAIL=${REAL.ADMIN_EMAIL}`,
  'PORT=8000',
  'LOG_LEVEL=info',
].join('\n') + '\n';

/** The secret value (any 8-character piece), the URL's password and host, and the email's local part. */
function assertNoLeak(example: string): void {
  const v = REAL.SECRET_KEY;
  for (let i = 0; i + 8 <= v.length; i++) assert.ok(!example.includes(v.slice(i, i + 8)), `a piece of SECRET_KEY leaked (offset ${i})`);
  for (const planted of ['Hunter2', 'db.internal.corp', 'alice.realperson', 'corp.internal']) {
    assert.ok(!example.includes(planted), `a planted part of a real value leaked (${planted.length} chars)`);
  }
}

describe('Sync .env.example', () => {
  const dir = () => vscode.Uri.joinPath(folderUri(), 'example-sync');
  const env = () => vscode.Uri.joinPath(dir(), '.env');
  const example = () => vscode.Uri.joinPath(dir(), '.env.example');
  before(keysmith);
  afterEach(closeAll);
  after(() => vscode.workspace.fs.delete(dir(), { recursive: true }).then(undefined, () => undefined));

  it('creates the example with every key in order, comments kept, fake values only', async () => {
    await writeBytes(env(), SOURCE);
    await answer({});
    await vscode.commands.executeCommand('keysmith.syncExample', env());
    const text = await readBytes(example());
    assert.deepEqual(Object.keys(dotenv.parse(text)), Object.keys(dotenv.parse(SOURCE)));
    assert.match(text, /^# Django\n/);
    assert.match(text, /\n# Database\n/);
    const parsed = dotenv.parse(text);
    assert.equal(parsed['DEBUG'], 'true');
    assert.equal(parsed['PORT'], '8000');
    assert.equal(parsed['LOG_LEVEL'], 'info');
    assert.match(parsed['DATABASE_URL']!, /^postgres:\/\//);
    assertNoLeak(text);
  });

  it('updates it, keeping hand-written values and comments and example-only keys', async () => {
    await writeBytes(env(), SOURCE);
    await vscode.commands.executeCommand('keysmith.syncExample', env());
    let text = await readBytes(example());
    text = text.replace(/^DEBUG=.*$/m, '# set to false in production\nDEBUG=false') + 'ONLY_IN_EXAMPLE=1\n';
    await writeBytes(example(), text);
    await writeBytes(env(), SOURCE + 'NEW_TOKEN=abcdefghijklmnop1234\n');
    await vscode.commands.executeCommand('keysmith.syncExample', env());
    const after = await readBytes(example());
    const parsed = dotenv.parse(after);
    assert.equal(parsed['DEBUG'], 'false', 'hand-written value lost');
    assert.match(after, /# set to false in production\nDEBUG=false/, 'hand-written comment lost');
    assert.ok('NEW_TOKEN' in parsed, 'new key not added');
    assert.ok(!after.includes('abcdefghijklmnop'), 'new secret value leaked');
    assert.equal(parsed['ONLY_IN_EXAMPLE'], '1', 'example-only key dropped silently');
  });

  it('marks drift both ways, and the quick fix syncs', async () => {
    await writeBytes(env(), 'A=1\nMISSING_FROM_EXAMPLE=2\n');
    await writeBytes(example(), 'A=1\nEXTRA_IN_EXAMPLE=3\n');
    // Until the new example is analysed, .env may still be compared with the previous test's
    // example (where A is missing too): wait for the drift of line 2 alone.
    const drift = (ds: vscode.Diagnostic[]) => ds.filter((x) => codeOf(x) === 'example-drift');
    const ds = await diagnosticsFor(env(), (x) => drift(x).length === 1 && drift(x)[0]!.range.start.line === 1);
    const d = drift(ds)[0]!;
    await diagnosticsFor(example(), hasCode('example-drift'));
    const doc = await vscode.workspace.openTextDocument(env());
    await vscode.window.showTextDocument(doc);
    const fix = (await quickFixes(env(), d)).find((a) => /Sync/.test(a.title));
    assert.ok(fix, 'no sync quick fix');
    await applyAction(fix);
    assert.ok('MISSING_FROM_EXAMPLE' in dotenv.parse(await readBytes(example())));
    await diagnosticsFor(env(), lacksCode('example-drift'));
  });

  it('a change to the example on disk alone updates the drift findings of .env', async () => {
    await writeBytes(example(), 'A=1\nB=2\n');
    await writeBytes(env(), 'A=1\nB=2\nC=3\n');
    const ds = await diagnosticsFor(env(), (x) => x.some((d) => codeOf(d) === 'example-drift' && d.message.startsWith('C ')));
    assert.equal(ds.filter((d) => codeOf(d) === 'example-drift').length, 1);
    // Only the example changes now: the .env file is not written again, nor opened.
    await writeBytes(example(), 'A=1\nB=2\nC=\n');
    await diagnosticsFor(env(), lacksCode('example-drift'));
  });

  it('keysmith.example.syncOnSave updates the example when .env is saved', async () => {
    await setSetting('keysmith.example.syncOnSave', true);
    try {
      await writeBytes(env(), 'A=1\n');
      await writeBytes(example(), 'A=1\n');
      const doc = await vscode.workspace.openTextDocument(env());
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) => b.insert(doc.positionAt(doc.getText().length), 'SAVED_TOKEN=abcdefghijklmnop1234\n'));
      assert.ok(await doc.save());
      const text = await fileMatching(example(), (t) => t.includes('SAVED_TOKEN'), 'the example to follow the save');
      assert.ok(!text.includes('abcdefghijklmnop'), 'the new secret leaked');
    } finally {
      await setSetting('keysmith.example.syncOnSave', undefined);
    }
  });
});

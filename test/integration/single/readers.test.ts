import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { applyAction, closeAll, codeOf, diagnosticsFor, keysmith, quickFixes, setSetting } from '../helpers.ts';
import { folderUri, remove, writeBytes } from '../envfs.ts';

/** The reader-mismatch findings of `uri` once `ready` holds for them. */
async function mismatches(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const only = (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === 'reader-mismatch');
  return only(await diagnosticsFor(uri, (ds) => ready(only(ds)), 20000));
}

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  await vscode.workspace.openTextDocument(uri);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  // Markdown escapes removed, as the hover renders.
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/\\(.)/g, '$1');
}

describe('reader-mismatch: the readers of the workspace folder', () => {
  const dir = () => vscode.Uri.joinPath(folderUri(), 'readers');
  const file = (name: string) => vscode.Uri.joinPath(dir(), name);
  const PASSWORD = 'Tr0ub4dor#3xK9pLmQ2vZwY';
  before(keysmith);
  afterEach(async () => {
    await closeAll();
    await setSetting('keysmith.readers', undefined);
  });
  after(async () => {
    await vscode.workspace.fs.delete(dir(), { recursive: true }).then(undefined, () => undefined);
  });

  it('detects python-dotenv from a requirements file: diagnostic, hover and quote fix; quiet again when it goes', async () => {
    const uri = file('.env.readers');
    const req = file('requirements.txt');
    await writeBytes(uri, `DB_PASSWORD=${PASSWORD}\nCMD=run fast\nBASE=/srv\nDATA=\${BASE}/data\n`);
    // Node dotenv only: nothing from this rule (the '#' is a syntax finding, as before).
    await diagnosticsFor(uri, (ds) => ds.some((d) => codeOf(d) === 'syntax' && d.range.start.line === 0), 20000);
    assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === 'reader-mismatch').length, 0);
    assert.match(await hoverText(uri, new vscode.Position(2, 6)), /Read by: node dotenv \(no other reader detected/);

    await writeBytes(req, 'Django==5.1\npython-dotenv==1.0.1\n');
    const ds = await mismatches(uri, (x) => x.length >= 2);
    const pw = ds.find((d) => d.range.start.line === 0)!;
    assert.equal(pw.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(pw.message, /python-dotenv keeps it/);
    assert.ok(!pw.message.includes('3xK9') && !pw.message.includes('Tr0ub'), 'the message shows the value');
    assert.equal((pw.code as { target: vscode.Uri }).target.fragment, 'rule-reader-mismatch');
    const data = ds.find((d) => d.range.start.line === 3)!;
    assert.equal(data.severity, vscode.DiagnosticSeverity.Hint, 'a reference to a key of the file is a hint');
    assert.ok(!ds.some((d) => d.range.start.line === 1), 'python-dotenv reads unquoted spaces as dotenv does');
    assert.ok(!vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'syntax' && d.range.start.line === 0), 'the # is reported once');

    const hover = await hoverText(uri, new vscode.Position(2, 6));
    assert.match(hover, /Read by: node dotenv, python-dotenv \(readers\/requirements\.txt lists python-dotenv\)/);

    const doc = await vscode.workspace.openTextDocument(uri);
    const fix = (await quickFixes(uri, pw)).find((a) => /Quote DB_PASSWORD's value/.test(a.title));
    assert.ok(fix, 'no quote fix');
    await applyAction(fix);
    assert.equal(doc.getText(), `DB_PASSWORD='${PASSWORD}'\nCMD=run fast\nBASE=/srv\nDATA=\${BASE}/data\n`);
    assert.equal(dotenv.parse(doc.getText())['DB_PASSWORD'], PASSWORD, 'node dotenv now reads the whole value');
    await mismatches(uri, (x) => !x.some((d) => d.range.start.line === 0));

    await remove(req);
    await mismatches(uri, (x) => x.length === 0);
  });

  it('keysmith.readers replaces the detection: a sourcing shell splits unquoted spaces', async () => {
    const uri = file('.env.shell');
    await writeBytes(uri, 'CMD=run fast\nOK=plain\n');
    await setSetting('keysmith.readers', ['shell']);
    const [d] = await mismatches(uri, (x) => x.length === 1);
    assert.equal(d!.range.start.line, 0);
    assert.match(d!.message, /a shell sourcing the file takes only the first word/);
    assert.match(await hoverText(uri, new vscode.Position(1, 4)), /Read by: node dotenv, a shell sourcing the file \(`?keysmith\.readers`?\)/);
    const doc = await vscode.workspace.openTextDocument(uri);
    const fix = (await quickFixes(uri, d!)).find((a) => /Quote CMD's value/.test(a.title));
    assert.ok(fix, 'no quote fix');
    await applyAction(fix);
    assert.equal(doc.getText(), "CMD='run fast'\nOK=plain\n");
    await mismatches(uri, (x) => x.length === 0);

    await closeAll();
    await setSetting('keysmith.readers', ['dotenv']);
    await writeBytes(uri, 'CMD=run fast\n');
    await diagnosticsFor(uri, (ds) => ds.some((x) => codeOf(x) === 'syntax'), 20000);
    assert.equal(vscode.languages.getDiagnostics(uri).filter((x) => codeOf(x) === 'reader-mismatch').length, 0, '["dotenv"]: node dotenv only');
  });
});

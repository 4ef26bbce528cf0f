import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import dotenv from 'dotenv';
import { quoteEnvValue } from '../../../src/core/envdoc.ts';
import { getFormat } from '../../../src/core/formats.ts';
import { analysedAfter, answer, applyAction, closeAll, codeOf, diagnosticsFor, hasCode, keysmith, lacksCode, quickFixes, setSetting } from '../helpers.ts';
import { folderUri, readBytes, remove, writeBytes } from '../envfs.ts';

const PLANTED = 'changeme';

describe('diagnostics and quick fixes', () => {
  const dir = () => vscode.Uri.joinPath(folderUri(), 'diag');
  const file = (name: string) => vscode.Uri.joinPath(dir(), name);
  before(keysmith);
  afterEach(async () => {
    await closeAll();
    for (const k of ['rules.disabled', 'rules.severity']) await setSetting(`keysmith.${k}`, undefined);
  });
  after(async () => {
    await vscode.workspace.fs.delete(dir(), { recursive: true }).then(undefined, () => undefined);
  });

  it('flags a weak secret in a file that is not open, with source, code and docs link, and never the value', async () => {
    const uri = file('.env.weak');
    await writeBytes(uri, `PORT=3000\nAPI_KEY=${PLANTED}\n`);
    const ds = await diagnosticsFor(uri, hasCode('weak-secret'));
    const d = ds.find((x) => codeOf(x) === 'weak-secret')!;
    assert.equal(d.source, 'keysmith');
    assert.equal(d.range.start.line, 1);
    assert.ok(typeof d.code === 'object' && d.code.target.fragment.length > 0, 'code has no README link');
    assert.ok(!d.message.includes(PLANTED), 'the value appears in the message');
    // (env-not-ignored is about the whole file and sits on line 1 too: in a virtual workspace on the web
    // the folder counts as a repository, see README "On the web".)
    assert.ok(!ds.some((x) => x.range.start.line === 0 && codeOf(x) !== 'env-not-ignored'), 'PORT was flagged');
  });

  it('an unquoted PEM block is one syntax error; the key material dotenv reads as a key is never in the Problems panel', async () => {
    const uri = file('.env.pem');
    const b64 = (n: number) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(n)))); // btoa: the suite also runs in the web worker, which has no Buffer
    let last = b64(16);
    while (/[+/]/.test(last)) last = b64(16);
    const keyName = last.replace(/=+$/, '');
    await writeBytes(uri, `PRIVATE_KEY=-----BEGIN PRIVATE KEY-----\n${b64(48)}\n${last}\n-----END PRIVATE KEY-----\n${keyName}=again\n`);
    const ds = await diagnosticsFor(uri, (list) => list.some((d) => /PEM block/.test(d.message)));
    const pem = ds.filter((d) => /PEM block/.test(d.message));
    assert.equal(pem.length, 1);
    assert.equal(pem[0]!.range.start.line, 0);
    assert.match(pem[0]!.message, /must be in double quotes/);
    for (const d of ds) assert.ok(!d.message.includes(keyName), `key material in a diagnostic: ${d.message.replace(keyName, '<hidden>')}`);
    assert.ok(ds.every((d) => d.range.start.line === 0 || d.range.start.line >= 4), 'a finding on a line of the block');
  });

  it('the regenerate quick fix writes a strong value in the right format and clears the warning', async () => {
    const uri = file('.env.regen');
    await writeBytes(uri, 'FERNET_KEY=not-a-fernet-key\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [d] = (await diagnosticsFor(uri, hasCode('weak-secret'))).filter((x) => codeOf(x) === 'weak-secret');
    const fixes = await quickFixes(uri, d!);
    const regen = fixes.find((a) => /Replace FERNET_KEY/.test(a.title));
    assert.ok(regen, `no regenerate fix among: ${fixes.map((a) => a.title).join(' | ')}`);
    assert.equal(regen.isPreferred, true);
    await applyAction(regen);
    assert.ok(getFormat('fernet').validate(dotenv.parse(doc.getText())['FERNET_KEY']!));
    await diagnosticsFor(uri, lacksCode('weak-secret'));
  });

  it('the regenerate quick fix writes a Django key that every .env reader reads back (single quotes, no $)', async () => {
    const uri = file('.env.regen-django');
    await writeBytes(uri, 'DJANGO_SECRET_KEY=django-insecure-abc # old\nNEXT=1\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [d] = (await diagnosticsFor(uri, hasCode('weak-secret'))).filter((x) => codeOf(x) === 'weak-secret');
    const regen = (await quickFixes(uri, d!)).find((a) => /Replace DJANGO_SECRET_KEY/.test(a.title));
    assert.ok(regen, 'no regenerate fix');
    await applyAction(regen);
    const value = dotenv.parse(doc.getText())['DJANGO_SECRET_KEY']!;
    assert.ok(getFormat('django').validate(value) && !value.includes('$'), 'not a Django key without $');
    assert.equal(doc.getText(), `DJANGO_SECRET_KEY=${quoteEnvValue(value)} # old\nNEXT=1\n`);
  });

  it('duplicate keys: says which wins, and the fix removes the duplicate', async () => {
    const uri = file('.env.dup');
    await writeBytes(uri, 'A=1\nB=2\nA=3\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [d] = (await diagnosticsFor(uri, hasCode('duplicate-key'))).filter((x) => codeOf(x) === 'duplicate-key');
    assert.equal(d!.range.start.line, 0, 'the overridden (first) A should be flagged');
    assert.match(d!.message, /line 3/);
    const fix = (await quickFixes(uri, d!)).find((a) => /Remove/.test(a.title));
    assert.ok(fix);
    await applyAction(fix);
    assert.equal(doc.getText(), 'B=2\nA=3\n');
    await diagnosticsFor(uri, lacksCode('duplicate-key'));
  });

  it('syntax problems dotenv ignores or misreads are flagged', async () => {
    const uri = file('.env.syntax');
    await writeBytes(uri, 'JUST_A_WORD\nGREETING=hello world\n');
    const ds = await diagnosticsFor(uri, (x) => x.filter((d) => codeOf(d) === 'syntax').length >= 2);
    assert.deepEqual(ds.filter((d) => codeOf(d) === 'syntax').map((d) => d.range.start.line).sort(), [0, 1]);
  });

  it('a keysmith-ignore comment and settings turn checks off; severities can be changed', async () => {
    const uri = file('.env.suppress');
    await writeBytes(uri, `# keysmith-ignore: weak-secret\nAPI_KEY=${PLANTED}\nSECRET_TOKEN=${PLANTED}\n`);
    const ds = await diagnosticsFor(uri, hasCode('weak-secret'));
    assert.deepEqual(ds.filter((d) => codeOf(d) === 'weak-secret').map((d) => d.range.start.line), [2]);
    await setSetting('keysmith.rules.severity', { 'weak-secret': 'error' });
    await diagnosticsFor(uri, (x) => x.some((d) => codeOf(d) === 'weak-secret' && d.severity === vscode.DiagnosticSeverity.Error));
    await setSetting('keysmith.rules.disabled', ['weak-secret']);
    await diagnosticsFor(uri, lacksCode('weak-secret'));
  });

  it('an empty secret is an information finding on its key, with the Populate quick fix', async () => {
    const uri = file('.env.empty');
    await writeBytes(uri, '# comment\nPORT=\nSECRET_KEY=\n');
    const ds = (await diagnosticsFor(uri, hasCode('empty-secret'))).filter((x) => codeOf(x) === 'empty-secret');
    assert.equal(ds.length, 1, 'PORT is not a secret');
    assert.equal(ds[0]!.severity, vscode.DiagnosticSeverity.Information);
    assert.ok(ds[0]!.range.isEqual(new vscode.Range(2, 0, 2, 10)));
    const fixes = await quickFixes(uri, ds[0]!);
    assert.ok(fixes.some((a) => a.command?.command === 'keysmith.populateEmptyKeys'), `fixes: ${fixes.map((a) => a.title).join(' | ')}`);
  });

  it('hover shows estimated strength and format, never the value', async () => {
    const uri = file('.env.hover');
    const value = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2';
    await writeBytes(uri, `SESSION_SECRET=${value}\n`);
    const doc = await vscode.workspace.openTextDocument(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 20));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Keysmith/);
    assert.match(text, /\d+ bits/);
    assert.match(text, /hex/);
    assert.ok(!text.includes(value) && !text.includes(value.slice(0, 8)), 'the hover shows the value');
    void doc;
  });

  it('edits are analysed once after the debounce, not on every keystroke', async () => {
    // A debounce far longer than any pause between the scripted keystrokes, even on a busy
    // machine; only analyses of this document are counted (the scan and file watcher analyse others).
    const DEBOUNCE = 2500;
    const api = await keysmith();
    await setSetting('keysmith.diagnostics.debounceMs', DEBOUNCE);
    try {
      const uri = file('.env.typing');
      await writeBytes(uri, 'A=1\n');
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      await api.whenAnalysed(uri, 0);
      const before = (await api.diagnosticStats(uri)).startedForFile;
      let last = Date.now();
      let longest = 0;
      for (const ch of 'TOKEN=abc') {
        assert.ok(await editor.edit((b) => b.insert(doc.positionAt(doc.getText().length), ch)));
        longest = Math.max(longest, Date.now() - last);
        last = Date.now();
      }
      // Timers never fire early, and tests share the extension host's event loop: with every pause
      // shorter than the debounce, no analysis can have started yet.
      assert.ok(longest < DEBOUNCE, `a keystroke took ${longest} ms, longer than the ${DEBOUNCE} ms debounce`);
      assert.equal((await api.diagnosticStats(uri)).startedForFile, before, 'analysed before the debounce');
      await api.whenAnalysed(uri, before);
      assert.equal((await api.diagnosticStats(uri)).startedForFile, before + 1, 'more than one analysis for a burst of edits');
      assert.ok(vscode.languages.getDiagnostics(uri).every((d) => d.source !== 'keysmith' || d.range.end.line <= 1));
    } finally {
      await setSetting('keysmith.diagnostics.debounceMs', undefined);
    }
  });

  describe('git (trusted workspace)', () => {
    const repo = () => vscode.Uri.joinPath(dir(), 'repo');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo().fsPath, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo().fsPath } }).toString();

    before(async () => {
      await vscode.workspace.fs.createDirectory(repo());
      git('init', '-q');
    });

    it('uses git in a trusted workspace', async () => {
      assert.equal(await (await keysmith()).gitKind(), 'process');
    });

    it('env-not-ignored, on the first key (not the comment above it), fixed by adding the file to a new .gitignore', async () => {
      const env = vscode.Uri.joinPath(repo(), '.env');
      await writeBytes(env, '# local settings\nPORT=1\n');
      const [d] = (await diagnosticsFor(env, hasCode('env-not-ignored'))).filter((x) => codeOf(x) === 'env-not-ignored');
      assert.ok(d!.range.isEqual(new vscode.Range(1, 0, 1, 4)), `range ${JSON.stringify(d!.range)}`);
      const fix = (await quickFixes(env, d!)).find((a) => /gitignore/.test(a.title));
      assert.ok(fix, 'no .gitignore fix');
      await applyAction(fix);
      assert.equal(await readBytes(vscode.Uri.joinPath(repo(), '.gitignore')), '.env\n');
      await diagnosticsFor(env, lacksCode('env-not-ignored'));
    });

    it('env-tracked for a committed .env, fixed by git rm --cached after a confirmation', async () => {
      const env = vscode.Uri.joinPath(repo(), '.env');
      git('add', '-f', '.env');
      git('commit', '-q', '-m', 'oops');
      await writeBytes(env, 'PORT=2\n');
      const [d] = (await diagnosticsFor(env, hasCode('env-tracked'))).filter((x) => codeOf(x) === 'env-tracked');
      const fix = (await quickFixes(env, d!)).find((a) => /git rm --cached/.test(a.title));
      assert.ok(fix, 'no untrack fix in a trusted workspace');
      const rec = await answer({ confirm: 'Stop Tracking' });
      await applyAction(fix);
      assert.equal(rec.confirms.length, 1);
      assert.equal(git('ls-files', '.env').trim(), '', '.env is still tracked');
      assert.equal(await readBytes(env), 'PORT=2\n', 'the file on disk was touched');
      await diagnosticsFor(env, lacksCode('env-tracked'));
    });

    it('.env.example is exempt from env-not-ignored, and example-ignored when it is ignored', async () => {
      const ex = vscode.Uri.joinPath(repo(), '.env.example');
      assert.ok(lacksCode('env-not-ignored')(await analysedAfter(ex, () => writeBytes(ex, 'PORT=1\n'))));
      await writeBytes(vscode.Uri.joinPath(repo(), '.gitignore'), '.env*\n');
      await writeBytes(ex, 'PORT=1\n');
      await diagnosticsFor(ex, hasCode('example-ignored'));
      await remove(ex);
    });
  });
});

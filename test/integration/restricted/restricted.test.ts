// Runs with Workspace Trust on, so the folder opens in Restricted Mode: Keysmith must not run git,
// but still match .gitignore rules and offer the fixes that need no process.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { analysedAfter, applyAction, codeOf, diagnosticsFor, hasCode, keysmith, lacksCode, quickFixes } from '../helpers.ts';
import { folderUri, readBytes, writeBytes } from '../envfs.ts';

describe('Restricted Mode', () => {
  const repo = () => vscode.Uri.joinPath(folderUri(), 'restricted-repo');
  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this run must open in Restricted Mode');
    await keysmith();
    // A repository as the matcher sees it: a .git folder (no git process is needed to make one).
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(repo(), '.git', 'info'));
    await writeBytes(vscode.Uri.joinPath(repo(), '.git', 'info', 'exclude'), '*.local-only\n');
    await writeBytes(vscode.Uri.joinPath(repo(), '.gitignore'), 'node_modules/\n');
  });

  it('uses the .gitignore matcher, never a git process', async () => {
    assert.equal(await (await keysmith()).gitKind(), 'matcher');
  });

  it('flags a .env no ignore rule matches, and says tracking could not be checked', async () => {
    const env = vscode.Uri.joinPath(repo(), '.env');
    await writeBytes(env, 'PORT=1\n');
    const ds = await diagnosticsFor(env, hasCode('env-not-ignored'));
    const all = ds.map((d) => d.message).join('\n');
    assert.match(all, /Restricted Mode/, 'no word that tracking was not checked');
    assert.ok(!ds.some((d) => codeOf(d) === 'env-tracked'), 'env-tracked without asking git');
  });

  it('honours nested .gitignore files and .git/info/exclude', async () => {
    const nested = vscode.Uri.joinPath(repo(), 'svc');
    await writeBytes(vscode.Uri.joinPath(nested, '.gitignore'), '.env.svc\n');
    const ignored = vscode.Uri.joinPath(nested, '.env.svc');
    await writeBytes(ignored, 'PORT=1\n');
    const excluded = vscode.Uri.joinPath(repo(), '.env.local-only');
    await writeBytes(excluded, 'PORT=1\n');
    const plain = vscode.Uri.joinPath(nested, '.env.other');
    await writeBytes(plain, 'PORT=1\n');
    await diagnosticsFor(plain, hasCode('env-not-ignored'));
    // Analysed again (not merely not analysed yet) and still not flagged:
    assert.ok(lacksCode('env-not-ignored')(await analysedAfter(ignored, () => writeBytes(ignored, 'PORT=2\n'))), '.env.svc is ignored by svc/.gitignore');
    assert.ok(lacksCode('env-not-ignored')(await analysedAfter(excluded, () => writeBytes(excluded, 'PORT=2\n'))), '.env.local-only is excluded by .git/info/exclude');
  });

  it('offers "Add to .gitignore" (no process) but not "git rm --cached"', async () => {
    const env = vscode.Uri.joinPath(repo(), '.env');
    const [d] = (await diagnosticsFor(env, hasCode('env-not-ignored'))).filter((x) => codeOf(x) === 'env-not-ignored');
    const fixes = await quickFixes(env, d!);
    assert.ok(!fixes.some((a) => /git rm/.test(a.title)), 'untrack offered in Restricted Mode');
    const add = fixes.find((a) => /gitignore/.test(a.title));
    assert.ok(add);
    await applyAction(add);
    assert.equal(await readBytes(vscode.Uri.joinPath(repo(), '.gitignore')), 'node_modules/\n.env\n');
    await diagnosticsFor(env, lacksCode('env-not-ignored'));
  });
});

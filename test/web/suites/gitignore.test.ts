// On the web Keysmith has no git to ask: the env-not-ignored check and its quick fix run on the
// .gitignore matcher, reading ignore files through workspace.fs, in a trusted workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyAction, codeOf, diagnosticsFor, hasCode, keysmith, lacksCode, quickFixes } from '../../integration/helpers.ts';
import { folderUri, readBytes, writeBytes } from '../../integration/envfs.ts';
import { config } from '../config.ts';

describe('git checks on the web: the .gitignore matcher', () => {
  const repo = () => vscode.Uri.joinPath(folderUri(), 'web-repo');
  before(async () => {
    await keysmith();
    // A repository as the matcher sees it: a .git folder, made through workspace.fs.
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(repo(), '.git', 'info'));
    await writeBytes(vscode.Uri.joinPath(repo(), '.git', 'info', 'exclude'), '*.local-only\n');
    await writeBytes(vscode.Uri.joinPath(repo(), '.gitignore'), 'node_modules/\n');
  });
  after(() => vscode.workspace.fs.delete(repo(), { recursive: true }).then(undefined, () => undefined));

  it('flags a .env no ignore rule matches, says tracking could not be checked, and never claims env-tracked', async () => {
    const env = vscode.Uri.joinPath(repo(), '.env');
    await writeBytes(env, 'PORT=1\n');
    const ds = await diagnosticsFor(env, hasCode('env-not-ignored'));
    assert.match(ds.map((d) => d.message).join('\n'), /git is not available here/);
    assert.ok(!ds.some((d) => codeOf(d) === 'env-tracked'), 'env-tracked without git');
  });

  it('honours nested .gitignore files and .git/info/exclude', async () => {
    const nested = vscode.Uri.joinPath(repo(), 'svc');
    await writeBytes(vscode.Uri.joinPath(nested, '.gitignore'), '.env.svc\n');
    const ignored = vscode.Uri.joinPath(nested, '.env.svc');
    const excluded = vscode.Uri.joinPath(repo(), '.env.local-only');
    const plain = vscode.Uri.joinPath(nested, '.env.other');
    for (const f of [ignored, excluded, plain]) await writeBytes(f, 'PORT=1\n');
    await diagnosticsFor(plain, hasCode('env-not-ignored'));
    await diagnosticsFor(ignored, lacksCode('env-not-ignored'));
    await diagnosticsFor(excluded, lacksCode('env-not-ignored'));
  });

  it('offers "Add to .gitignore" (written through workspace.fs) but never "git rm --cached"', async () => {
    const env = vscode.Uri.joinPath(repo(), '.env');
    const [d] = (await diagnosticsFor(env, hasCode('env-not-ignored'))).filter((x) => codeOf(x) === 'env-not-ignored');
    const fixes = await quickFixes(env, d!);
    assert.ok(!fixes.some((a) => /git rm/.test(a.title)), 'untrack offered without git');
    const add = fixes.find((a) => /gitignore/.test(a.title));
    assert.ok(add, `no .gitignore fix among: ${fixes.map((a) => a.title).join(' | ')}`);
    await applyAction(add);
    assert.equal(await readBytes(vscode.Uri.joinPath(repo(), '.gitignore')), 'node_modules/\n.env\n');
    await diagnosticsFor(env, lacksCode('env-not-ignored'));
  });

  it(config.route === 'B'
    ? 'in a virtual workspace, where no .git can be found, the workspace folder counts as the repository'
    : 'a folder on disk with no .git is no repository, as on the Node host', async () => {
    // The fixture folder has a .gitignore (node_modules/) but no .git.
    const env = vscode.Uri.joinPath(folderUri(), '.env');
    if (config.route === 'B') {
      const ds = await diagnosticsFor(env, hasCode('env-not-ignored'));
      assert.equal(ds.filter((d) => codeOf(d) === 'env-not-ignored').length, 1);
    } else {
      // The weak API_KEY=xxx shows the file was analysed; env-not-ignored must not be among its findings.
      const ds = await diagnosticsFor(env, hasCode('weak-secret'));
      assert.ok(!ds.some((d) => codeOf(d) === 'env-not-ignored'), 'a .env outside any repository was flagged');
    }
  });
});

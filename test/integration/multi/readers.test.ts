import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, codeOf, diagnosticsFor, keysmith } from '../helpers.ts';
import { remove, writeBytes } from '../envfs.ts';

describe('reader-mismatch (multi-root): readers are detected per workspace folder', () => {
  before(keysmith);
  afterEach(closeAll);

  it("a shell script in one folder changes that folder's findings only", async () => {
    const [first, second] = vscode.workspace.workspaceFolders!;
    assert.ok(first && second, 'this suite needs a multi-root workspace');
    const a = vscode.Uri.joinPath(first.uri, 'sub', '.env.readers');
    const b = vscode.Uri.joinPath(second.uri, 'sub', '.env.readers');
    const script = vscode.Uri.joinPath(second.uri, 'run.sh');
    await writeBytes(a, 'CMD=run fast\n');
    await writeBytes(b, 'CMD=run fast\n');
    try {
      await writeBytes(script, '#!/bin/sh\nset -a\n. ./sub/.env.readers\nexec "$@"\n');
      const ds = await diagnosticsFor(b, (x) => x.some((d) => codeOf(d) === 'reader-mismatch'), 20000);
      assert.match(ds.find((d) => codeOf(d) === 'reader-mismatch')!.message, /a shell sourcing the file/);
      await diagnosticsFor(a, (x) => x.some((d) => codeOf(d) === 'syntax'), 20000);
      assert.ok(!vscode.languages.getDiagnostics(a).some((d) => codeOf(d) === 'reader-mismatch'), "the other folder's file has a finding");
    } finally {
      await remove(script);
    }
    await diagnosticsFor(b, (x) => !x.some((d) => codeOf(d) === 'reader-mismatch'), 20000);
    await remove(a);
    await remove(b);
  });
});

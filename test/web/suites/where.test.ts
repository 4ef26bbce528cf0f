// Runs first in every web run: proves the tests and Keysmith are in a browser web worker extension
// host, not in VS Code's Node one. test/host/run-web.mjs also prints these facts per run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { config } from '../config.ts';
import { where } from '../where.ts';
import { keysmith } from '../../integration/helpers.ts';

describe(`web worker extension host (route ${config.route})`, () => {
  const w = where();

  it('has no process, no global require, no DOM, but importScripts: a browser web worker', () => {
    assert.equal(w.process, 'undefined', 'process exists: this is a Node host');
    assert.equal(w.require, 'undefined', 'a global require exists');
    assert.equal(w.document, 'undefined', 'a DOM exists: this is not a worker');
    assert.equal(w.importScripts, 'function', 'importScripts is missing: this is not a web worker');
  });

  it('sees uiKind Web and runs Keysmith as a UI (local, web worker) extension', async () => {
    assert.equal(w.uiKind, 'Web');
    assert.equal(w.extensionKind, 'UI', 'Keysmith runs in a Workspace (Node) host');
    await keysmith();
    assert.equal(vscode.extensions.getExtension(config.extensionId)?.isActive, true);
  });

  it(config.route === 'A' ? 'route A: a vscode-remote workspace of code-server' : 'route B: a virtual vscode-test-web workspace with no remote', () => {
    if (config.route === 'A') {
      assert.ok(w.remoteName, 'code-server sets a remote name');
      assert.equal(w.workspaceScheme, 'vscode-remote');
    } else {
      assert.equal(w.remoteName, null, 'route B has no remote');
      assert.equal(w.workspaceScheme, 'vscode-test-web');
      assert.notEqual(w.extensionScheme, 'file');
    }
  });

  it('the web entry is the one running: a trusted workspace still gets the .gitignore matcher, never a git process', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(await (await keysmith()).gitKind(), 'matcher');
  });
});

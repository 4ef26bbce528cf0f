// Byte-level file helpers for the integration suites (through vscode.workspace.fs, so they work
// for any file system the workspace is on).
import * as vscode from 'vscode';
import { WAIT_MS, withTimeout } from './helpers.ts';

const PROBE = '.keysmith-watch-probe';
let probes = 0;

/**
 * Makes sure VS Code's file watcher reports files created in `dir`. The recursive watcher
 * (@parcel/watcher's inotify backend in the server) starts watching a new folder only when it
 * handles the create event of that folder (or of a new folder above it), and reports nothing for
 * files created in it before then: on a busy machine a test that writes `new-dir/.env` right
 * after creating `new-dir` loses the event, and Keysmith never hears of the file. So: listen for
 * a probe file in the folder and for the creation of the folder or any folder above it, create
 * the folder, write the probe, and write it again on each such create event (from then on the
 * folder is watched), until a watcher reports the probe. Every step waits on an event; WAIT_MS
 * only bounds a watcher that never reports at all. Not cached: a folder deleted and made again
 * by a test is a new folder to the watcher.
 */
async function ensureWatched(dir: vscode.Uri): Promise<void> {
  // Only disk-backed folders (local or the server's) have that watcher; other file systems (the
  // web runs' virtual workspace) report their own writes.
  if (dir.path.includes('/.git/') || (dir.scheme !== 'file' && dir.scheme !== 'vscode-remote')) return;
  const folder = vscode.workspace.getWorkspaceFolder(dir);
  if (!folder) return;
  // A new name each time, so that a late event for an earlier probe proves nothing.
  const probe = vscode.Uri.joinPath(dir, `${PROBE}-${++probes}`);
  const above = new Set<string>();
  for (let u = dir; u.path.length > folder.uri.path.length; u = vscode.Uri.joinPath(u, '..')) above.add(u.toString());
  // A change event counts too: the probe is written again on each create event above it.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**'), false, false, true);
  const writeProbe = () => vscode.workspace.fs.writeFile(probe, new Uint8Array());
  try {
    const seen = new Promise<void>((resolve, reject) => {
      watcher.onDidCreate((u) => {
        if (u.toString() === probe.toString()) resolve();
        else if (above.has(u.toString())) writeProbe().then(undefined, reject);
      });
      watcher.onDidChange((u) => { if (u.toString() === probe.toString()) resolve(); });
    });
    await vscode.workspace.fs.createDirectory(dir);
    await writeProbe();
    await withTimeout(seen, WAIT_MS, `the file watcher to report files in ${dir.path}`);
  } finally {
    watcher.dispose();
    await vscode.workspace.fs.delete(probe).then(undefined, () => undefined);
  }
}

/**
 * Resolves with the file's text once `accept` holds for it: checked now and on every create or
 * change event of the file (or throws after `ms`).
 */
export async function fileMatching(uri: vscode.Uri, accept: (text: string) => boolean, what: string, ms = WAIT_MS): Promise<string> {
  const dir = vscode.Uri.joinPath(uri, '..');
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, uri.path.slice(dir.path.length).replace(/^\//, '')), false, false, true);
  try {
    const matched = new Promise<string>((resolve, reject) => {
      const check = () => readBytes(uri).then((t) => { if (accept(t)) resolve(t); }, (e: unknown) => { if (!(e instanceof vscode.FileSystemError)) reject(e); });
      watcher.onDidCreate(check);
      watcher.onDidChange(check);
      void check();
    });
    return await withTimeout(matched, ms, what);
  } finally {
    watcher.dispose();
  }
}

/**
 * Writes a file on disk (in a folder the file watcher reports) and waits until any text model VS
 * Code still holds for it has caught up (models of closed editors stay cached and reload from
 * disk asynchronously).
 */
export async function writeBytes(uri: vscode.Uri, text: string): Promise<void> {
  await ensureWatched(vscode.Uri.joinPath(uri, '..'));
  const expected = text.replace(/^\uFEFF/, '');
  const open = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const written = vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const reloaded = new Promise<void>((resolve, reject) => {
    const check = () => {
      const doc = open();
      if (doc && doc.getText() !== expected) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve();
      return true;
    };
    const sub = vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.toString() === uri.toString()) check(); });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`the open model of ${uri.path} did not reload from disk`)); }, WAIT_MS);
    written.then(check, () => { sub.dispose(); clearTimeout(timer); });
  });
  await written;
  await reloaded;
}

export async function readBytes(uri: vscode.Uri): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await vscode.workspace.fs.readFile(uri));
}

export async function remove(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.workspace.fs.delete(uri);
  } catch {
    /* already gone */
  }
}

export function folderUri(name?: string): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const f = name ? folders.find((x) => x.name === name) : folders[0];
  if (!f) throw new Error(`no workspace folder ${name ?? ''}`);
  return f.uri;
}

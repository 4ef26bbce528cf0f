// Byte-level file helpers for the integration suites (through vscode.workspace.fs, so they work
// for any file system the workspace is on).
import * as vscode from 'vscode';

const PROBE = '.keysmith-watch-probe';
const watchedDirs = new Set<string>();

/**
 * Makes sure VS Code's file watcher reports files created in `dir`. The recursive watcher
 * (@parcel/watcher's inotify backend in the server) starts watching a new folder only when it
 * handles that folder's own create event, and reports nothing for files created in it before
 * then: on a busy machine a test that writes `new-dir/.env` right after creating `new-dir`
 * loses the event, and Keysmith never hears of the file. So: create the folder, then create a
 * probe file in it until a watcher reports the probe.
 */
async function ensureWatched(dir: vscode.Uri): Promise<void> {
  const key = dir.toString();
  // Only disk-backed folders (local or the server's) have that watcher; other file systems (the
  // web runs' virtual workspace) report their own writes.
  if (watchedDirs.has(key) || dir.path.includes('/.git/') || (dir.scheme !== 'file' && dir.scheme !== 'vscode-remote')) return;
  await vscode.workspace.fs.createDirectory(dir);
  const probe = vscode.Uri.joinPath(dir, PROBE);
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${PROBE}`, false, true, true);
  try {
    for (let attempt = 1; ; attempt++) {
      const seen = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { sub.dispose(); resolve(false); }, 3000);
        const sub = watcher.onDidCreate((u) => {
          if (u.toString() !== probe.toString()) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(true);
        });
      });
      await vscode.workspace.fs.writeFile(probe, new Uint8Array());
      if (await seen) break;
      await vscode.workspace.fs.delete(probe).then(undefined, () => undefined);
      if (attempt >= 40) throw new Error(`the file watcher never reported files in ${dir.path}`);
    }
  } finally {
    watcher.dispose();
    await vscode.workspace.fs.delete(probe).then(undefined, () => undefined);
  }
  watchedDirs.add(key);
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
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`the open model of ${uri.path} did not reload from disk`)); }, 60000);
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

// Byte-level file helpers for the integration suites (through vscode.workspace.fs, so they work
// for any file system the workspace is on).
import * as vscode from 'vscode';

/**
 * Writes a file on disk and waits until any text model VS Code still holds for it has caught up
 * (models of closed editors stay cached and reload from disk asynchronously).
 */
export async function writeBytes(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const expected = text.replace(/^\uFEFF/, '');
  const end = Date.now() + 5000;
  for (;;) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || doc.getText() === expected) return;
    if (Date.now() > end) throw new Error(`the open model of ${uri.path} did not reload from disk`);
    await new Promise((r) => setTimeout(r, 25));
  }
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

// Byte-level file helpers for the integration suites (through vscode.workspace.fs, so they work
// for any file system the workspace is on).
import * as vscode from 'vscode';

export async function writeBytes(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
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

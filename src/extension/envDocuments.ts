import * as vscode from 'vscode';
import { basename, isEnvFileName } from '../core/envfiles.ts';
import type { TextEdit } from '../core/envdoc.ts';
import { maxFileBytes as maxFileBytesFor, readSetting } from './config.ts';
import { scanExcludeGlob } from './excludes.ts';

/** .env files by name, for file searches, watchers and document selectors. */
export const ENV_GLOB = '**/{.env,.env.*,*.env}';

export function isEnvDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'dotenv' || isEnvFileName(basename(doc.uri.path));
}

/** The document VS Code already has for `uri`, if any (open in an editor or cached). */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

export function isEnvUri(uri: vscode.Uri): boolean {
  return isEnvFileName(basename(uri.path));
}

/** Thrown for files Keysmith skips on purpose (too large); shown as information, not an error. */
export class SkippedFileError extends Error {}

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens a .env file as a text document with clear errors: not a regular file, too large (by
 * `keysmith.maxFileSizeMB`), binary, or unreadable. Never reads the content of a file over the limit.
 */
export async function openEnvDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const rel = vscode.workspace.asRelativePath(uri);
  const open = openDocument(uri);
  if (open) return open;
  let size: number;
  let type: vscode.FileType;
  try {
    ({ size, type } = await vscode.workspace.fs.stat(uri));
  } catch {
    throw new Error(vscode.l10n.t('Cannot read {0}: it does not exist or is not accessible.', rel));
  }
  // Regular files only (a link to one is fine): a FIFO or a device would never finish reading.
  if ((type & vscode.FileType.File) === 0) throw new Error(vscode.l10n.t('Cannot open {0}: it is not a regular file.', rel));
  const maxFileBytes = maxFileBytesFor(uri);
  if (size > maxFileBytes) {
    throw new SkippedFileError(vscode.l10n.t('Skipped {0}: it is {1} MB, over the keysmith.maxFileSizeMB limit of {2} MB.', rel, (size / 1048576).toFixed(1), (maxFileBytes / 1048576).toFixed(1)));
  }
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : '';
    throw new Error(/binary/i.test(detail ?? '') ? vscode.l10n.t('Cannot open {0} as text: it looks like a binary file.', rel) : vscode.l10n.t('Cannot open {0} as text.', rel), { cause: e });
  }
}

/** Whether the .env at `uri` belongs to a Django project: manage.py beside it or one folder up. */
export async function isDjangoProject(uri: vscode.Uri): Promise<boolean> {
  const dir = vscode.Uri.joinPath(uri, '..');
  return (await fileExists(vscode.Uri.joinPath(dir, 'manage.py'))) || (await fileExists(vscode.Uri.joinPath(dir, '..', 'manage.py')));
}

/** Default of `keysmith.scan.maxFiles`. */
export const DEFAULT_MAX_SCAN_FILES = 5000;

export function maxScanFiles(): number {
  return readSetting<number>('scan.maxFiles');
}

/**
 * The .env* files of every workspace folder, leaving out what the user's `files.exclude` and
 * `search.exclude` exclude (each folder's own settings), node_modules and .git; at most `limit`,
 * with `truncated` set when there were more.
 */
export async function scanEnvFiles(limit = maxScanFiles()): Promise<{ files: vscode.Uri[]; truncated: boolean }> {
  const files: vscode.Uri[] = [];
  let truncated = false;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const left = limit - files.length;
    if (left <= 0) {
      truncated = true;
      break;
    }
    const exclude = scanExcludeGlob(
      vscode.workspace.getConfiguration('files', folder.uri).get('exclude'),
      vscode.workspace.getConfiguration('search', folder.uri).get('exclude'),
    );
    const found = (await vscode.workspace.findFiles(new vscode.RelativePattern(folder, ENV_GLOB), exclude, left + 1)).filter(isEnvUri);
    if (found.length > left) {
      truncated = true;
      found.length = left;
    }
    files.push(...found);
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, truncated };
}

/** The .env* files of the workspace (see scanEnvFiles), at most `limit`. */
export async function findEnvFiles(limit = maxScanFiles()): Promise<vscode.Uri[]> {
  return (await scanEnvFiles(limit)).files;
}

export function toRange(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

/** Model edits (offsets into `doc`'s text) as a WorkspaceEdit, added to `into` if given. */
export function toWorkspaceEdit(doc: vscode.TextDocument, edits: readonly TextEdit[], into = new vscode.WorkspaceEdit()): vscode.WorkspaceEdit {
  for (const e of edits) into.replace(doc.uri, toRange(doc, e.start, e.end), e.newText);
  return into;
}

/**
 * Which programs read the .env files of each workspace folder (src/core/readers.ts): detected from
 * the folder's package.json, Python requirements, compose files and shell scripts, read with
 * vscode.workspace.fs (so it works on the web and in remote folders), or taken from the
 * `keysmith.readers` setting. Detection runs once per folder and again, debounced, when one of
 * those files is created, changed or deleted.
 */
import * as vscode from 'vscode';
import {
  detectReaders, READER_FILE_MAX_BYTES, READER_FILES_GLOB, READER_SKIP_DIRS, readerFileKind, type DetectedReader, type ProjectFile,
} from '../core/readers.ts';
import { readConfig } from './envConfig.ts';
import { Debouncer } from './scheduler.ts';

/** Quiet period after the last change to a project file before the readers are detected again. */
const CHANGE_DEBOUNCE_MS = 500;
/** Most project files read per folder. */
const MAX_FILES = 500;
const EXCLUDE = `**/{${[...READER_SKIP_DIRS].join(',')}}/**`;

export class ReaderDetection implements vscode.Disposable {
  /** Per workspace folder (its URI): the detection, running or done. */
  private readonly cache = new Map<string, Promise<DetectedReader[]>>();
  /** Folders whose files changed since the last re-detection. */
  private readonly stale = new Set<string>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the readers of some folder may have changed (after the debounce). */
  readonly onDidChange = this.emitter.event;
  private readonly changed = new Debouncer(() => this.flush(), CHANGE_DEBOUNCE_MS);
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log: vscode.LogOutputChannel;
  /** Detections run (observable for tests). */
  runs = 0;

  constructor(log: vscode.LogOutputChannel) {
    this.log = log;
    const watcher = vscode.workspace.createFileSystemWatcher(READER_FILES_GLOB);
    const onFile = (uri: vscode.Uri) => {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) return;
      const rel = relativePath(folder, uri);
      if (rel === undefined || readerFileKind(rel) === undefined || rel.split('/').some((p) => READER_SKIP_DIRS.has(p))) return;
      this.stale.add(folder.uri.toString());
      this.changed.trigger();
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.cache.clear()),
      this.emitter,
    );
  }

  private flush(): void {
    for (const k of this.stale) this.cache.delete(k);
    this.stale.clear();
    this.emitter.fire();
  }

  /**
   * The readers of the .env file at `uri`: `keysmith.readers` when set (for that resource), else
   * what its workspace folder reveals. Node dotenv is not listed unless the setting names it.
   */
  async readersFor(uri: vscode.Uri): Promise<DetectedReader[]> {
    // Through the one configuration the CLI uses too (unknown names are logged and dropped).
    const fromSetting = readConfig(uri).readers;
    if (fromSetting) return [...fromSetting];
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return [];
    const k = folder.uri.toString();
    let p = this.cache.get(k);
    if (!p) {
      p = this.detect(folder).catch((e: unknown) => {
        this.log.warn(`could not detect the readers of ${folder.name}: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      });
      this.cache.set(k, p);
    }
    return p;
  }

  private async detect(folder: vscode.WorkspaceFolder): Promise<DetectedReader[]> {
    this.runs++;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, READER_FILES_GLOB), EXCLUDE, MAX_FILES);
    const named: { rel: string; uri: vscode.Uri }[] = [];
    for (const uri of found) {
      const rel = relativePath(folder, uri);
      if (rel !== undefined && readerFileKind(rel) !== undefined) named.push({ rel, uri });
    }
    // Shallow files first, so that "what gave it away" names the folder's own files.
    named.sort((a, b) => a.rel.split('/').length - b.rel.split('/').length || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    const files: ProjectFile[] = [];
    const decoder = new TextDecoder('utf-8');
    for (const { rel, uri } of named) {
      try {
        const { type, size } = await vscode.workspace.fs.stat(uri);
        // Regular files only (a FIFO would never finish reading), and not huge ones.
        if ((type & vscode.FileType.File) === 0 || size > READER_FILE_MAX_BYTES) continue;
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.byteLength > READER_FILE_MAX_BYTES) continue;
        files.push({ path: rel, text: decoder.decode(bytes) });
      } catch {
        // Unreadable: it reveals nothing.
      }
    }
    const readers = detectReaders(files);
    this.log.info(
      `readers of .env files in ${folder.name}: ${readers.length === 0 ? 'node dotenv only' : readers.map((r) => `${r.id} (${r.because})`).join(', ')}`,
    );
    return readers;
  }

  dispose(): void {
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** `uri`'s path inside `folder`, `/`-separated, or undefined when it is not inside. */
function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.uri.scheme || uri.authority !== folder.uri.authority) return undefined;
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : folder.uri.path + '/';
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
}

import * as vscode from 'vscode';
import { parseEnv } from '../core/envdoc.ts';
import { basename } from '../core/envfiles.ts';
import { MessageGate } from '../core/leakguard.ts';
import { LineIndex } from '../core/lines.ts';
import { analyzeEnv, RULES, type Finding, type FixHint, type RuleCode, type RuleConfig, type Severity } from '../core/rules.ts';
import { IncrementalAnalysis, type AnalysisContext } from '../core/rules/incremental.ts';
import type { EnvDocument } from '../core/envdoc.ts';
import { decodeEnvBytes } from '../core/textio.ts';
import { exampleFileName, readConfig, readEnvSettings, readRuleConfig } from './envConfig.ts';
import { ENV_GLOB, isDjangoProject, isEnvDocument, isEnvUri, openDocument, scanEnvFiles } from './envDocuments.ts';
import type { GitAccess, GitFileStatus } from './git.ts';
import { otherReaders, type OtherReaderId } from '../core/readers.ts';
import type { ReaderDetection } from './readers.ts';
import { AnalysisScheduler, Debouncer } from './scheduler.ts';

export const SOURCE = 'keysmith';
const FILE_LEVEL: ReadonlySet<string> = new Set(RULES.filter((r) => r.scope === 'file').map((r) => r.code));

/** Quiet period after the last .gitignore change before every file is analysed again. */
const IGNORE_DEBOUNCE_MS = 400;

export interface DiagnosticStats {
  started: number;
  dropped: number;
  gitProcesses: number;
  ignoreRefreshes: number;
  known: number;
  /** Workspace scans finished, and the last one: files, its duration, and the time from the .env tools' start to its end. */
  scans: number;
  lastScan?: { files: number; ms: number; sinceStartMs: number };
  /** Analyses started for the file given to stats() (0 without one). */
  startedForFile: number;
  /** No analysis of the given file is pending or running (true without one). */
  idle: boolean;
}

/** A published finding with what a quick fix needs. */
export interface FixEntry {
  code: RuleCode;
  range: vscode.Range;
  fix: FixHint;
  /** The readers the file was analysed for (the quote-value fix writes for them). */
  readers: readonly OtherReaderId[];
}

interface Analysis {
  diagnostics: vscode.Diagnostic[];
  fixes: FixEntry[];
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export { exampleFileName, readRuleConfig } from './envConfig.ts';

/**
 * Keysmith's diagnostics for every .env* file of every workspace folder, open or not: open files
 * on open and (debounced) on change, the others from a scan at start and a file watcher.
 */
export class EnvDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(SOURCE);
  private readonly fixes = new Map<string, FixEntry[]>();
  private readonly known = new Set<string>();
  private readonly scheduler: AnalysisScheduler<Analysis>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly docsUri: vscode.Uri;
  private readonly log: vscode.LogOutputChannel;
  private gitAccess: () => GitAccess;
  /** Git answers asked for a whole scan at once (one batch per repository), used by the next analysis of each file. */
  private readonly prefetched = new Map<string, Promise<GitFileStatus | undefined>>();
  /** A burst of .gitignore changes (a branch switch, several saves) re-analyses once. */
  private readonly ignoreChanged = new Debouncer(() => this.refreshAll(true), IGNORE_DEBOUNCE_MS);
  private toldTruncated = false;
  private readonly startedAt = Date.now();
  private scans = 0;
  private lastScan: { files: number; ms: number; sinceStartMs: number } | undefined;
  private scanWaiters: { after: number; resolve: () => void }[] = [];
  /** Open documents: their analysis, kept up to date edit by edit (keyed by URI, with the document version it matches). */
  private readonly models = new Map<string, { version: number; analysis: IncrementalAnalysis }>();

  private readonly activatedAt: number;
  private firstPublished = false;
  private readonly readers: ReaderDetection | undefined;

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, git: () => GitAccess, activatedAt = Date.now(), readers?: ReaderDetection) {
    this.log = log;
    this.activatedAt = activatedAt;
    this.readers = readers;
    this.gitAccess = git;
    this.docsUri = vscode.Uri.joinPath(context.extensionUri, 'README.md');
    const debounce = readConfig().debounceMs;
    this.scheduler = new AnalysisScheduler((k) => this.analyze(vscode.Uri.parse(k)), (k, r) => this.publish(k, r), debounce);

    const watcher = vscode.workspace.createFileSystemWatcher(ENV_GLOB);
    const ignoreWatcher = vscode.workspace.createFileSystemWatcher('**/{.gitignore,.git/info/exclude}');
    // A file changed on disk: analyse it (an open one follows its document), and its .env /
    // example counterpart, whose drift findings compare the two.
    const onFile = (uri: vscode.Uri) => {
      if (!isEnvUri(uri)) return;
      if (!this.isOpen(uri)) void this.refresh(uri);
      void this.refreshCounterpart(uri);
    };
    this.disposables.push(
      this.collection,
      watcher,
      ignoreWatcher,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete((uri) => this.forget(uri)),
      ignoreWatcher.onDidCreate(() => this.ignoreChanged.trigger()),
      ignoreWatcher.onDidChange(() => this.ignoreChanged.trigger()),
      ignoreWatcher.onDidDelete(() => this.ignoreChanged.trigger()),
      vscode.workspace.onDidOpenTextDocument((d) => { if (isEnvDocument(d)) void this.refresh(d.uri); }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && isEnvDocument(e.document)) {
          this.applyChanges(e);
          this.scheduler.schedule(e.document.uri.toString());
          // Its counterpart's drift findings compare against this text (typed, or an open
          // model reloaded from disk after the file event was handled).
          const other = this.counterpartOf(e.document.uri);
          if (other && this.known.has(other.uri.toString())) this.scheduler.schedule(other.uri.toString());
        }
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isEnvDocument(d)) {
          void this.refresh(d.uri);
          void this.refreshCounterpart(d.uri);
        }
      }),
      // A closed file is analysed again from disk: its unsaved changes are gone.
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.models.delete(d.uri.toString());
        if (isEnvDocument(d)) void this.refresh(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('keysmith')) {
          this.scheduler.debounceMs = readConfig().debounceMs;
          this.refreshAll(false);
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.scan()),
      ...(readers ? [readers.onDidChange(() => this.refreshAll(false))] : []),
    );
  }

  /**
   * The cheap scan: every .env* file of every folder (up to keysmith.scan.maxFiles), with git
   * asked once per repository for all of them. `found` is the search activation already started.
   */
  async scan(found?: Promise<{ files: vscode.Uri[]; truncated: boolean }>): Promise<void> {
    const t0 = Date.now();
    const { files, truncated } = await (found ?? scanEnvFiles());
    const open = vscode.workspace.textDocuments.filter(isEnvDocument).map((d) => d.uri);
    const all = [...files, ...open];
    this.prefetchGit(all);
    await Promise.all(all.map((u) => this.refresh(u)));
    const end = Date.now();
    this.scans++;
    this.lastScan = { files: files.length, ms: end - t0, sinceStartMs: end - this.startedAt };
    this.scanWaiters = this.scanWaiters.filter((w) => (this.scans > w.after ? (w.resolve(), false) : true));
    this.log.info(`checked ${files.length} .env file(s) in ${end - t0} ms, ${end - this.activatedAt} ms after activation${truncated ? ' (the keysmith.scan.maxFiles limit)' : ''}`);
    if (truncated) this.tellTruncated(files.length);
  }

  private tellTruncated(count: number): void {
    if (this.toldTruncated) return;
    this.toldTruncated = true;
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Keysmith checked the first {0} .env files of this workspace; it has more. Raise keysmith.scan.maxFiles to check them all.', count), open)
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'keysmith.scan.maxFiles');
      });
  }

  /** Asks git about all these files in one go; each file's next analysis takes its answer. */
  private prefetchGit(uris: readonly vscode.Uri[]): void {
    const git = this.gitAccess();
    for (const u of uris) {
      const k = u.toString();
      if (!this.prefetched.has(k)) this.prefetched.set(k, git.status(u).catch(() => undefined));
    }
  }

  private gitStatus(uri: vscode.Uri): Promise<GitFileStatus | undefined> {
    const k = uri.toString();
    const p = this.prefetched.get(k);
    if (p) {
      this.prefetched.delete(k);
      return p;
    }
    return this.gitAccess().status(uri).catch(() => undefined);
  }

  refresh(uri: vscode.Uri): Promise<void> {
    this.known.add(uri.toString());
    return this.scheduler.now(uri.toString());
  }

  refreshAll(gitChanged: boolean): void {
    if (gitChanged) this.gitAccess().invalidate();
    this.prefetched.clear();
    this.prefetchGit([...this.known].map((k) => vscode.Uri.parse(k)));
    for (const k of this.known) void this.scheduler.now(k);
  }

  /** Git access changed (workspace trust granted): analyse everything again. */
  setGit(git: () => GitAccess): void {
    this.gitAccess = git;
    this.refreshAll(false);
  }

  fixesFor(uri: vscode.Uri): readonly FixEntry[] {
    return this.fixes.get(uri.toString()) ?? [];
  }

  private forget(uri: vscode.Uri): void {
    const k = uri.toString();
    this.scheduler.cancel(k);
    this.known.delete(k);
    this.fixes.delete(k);
    this.collection.delete(uri);
    void this.refreshCounterpart(uri);
  }

  private isOpen(uri: vscode.Uri): boolean {
    return openDocument(uri) !== undefined;
  }

  private counterpartOf(uri: vscode.Uri): { uri: vscode.Uri; role: 'example' | 'source' } | undefined {
    const name = basename(uri.path);
    const example = exampleFileName(uri);
    const dir = vscode.Uri.joinPath(uri, '..');
    if (name === '.env') return { uri: vscode.Uri.joinPath(dir, example), role: 'example' };
    if (name === example) return { uri: vscode.Uri.joinPath(dir, '.env'), role: 'source' };
    return undefined;
  }

  private async refreshCounterpart(uri: vscode.Uri): Promise<void> {
    const other = this.counterpartOf(uri);
    if (other && this.known.has(other.uri.toString())) await this.refresh(other.uri);
  }

  /** The current text of a file: the open document's, or the file's on disk. */
  private async textOf(uri: vscode.Uri): Promise<string | undefined> {
    const doc = openDocument(uri);
    if (doc) return doc.getText();
    const { maxFileBytes } = readEnvSettings(uri);
    let bytes: Uint8Array;
    try {
      const { size, type } = await vscode.workspace.fs.stat(uri);
      // Regular files only (a link to one is fine): reading a FIFO never ends, and a device such
      // as /dev/zero reports 0 bytes and never stops.
      if ((type & vscode.FileType.File) === 0) {
        this.log.info(`skipped ${vscode.workspace.asRelativePath(uri)}: not a regular file`);
        return undefined;
      }
      if (size > maxFileBytes) {
        this.log.info(`skipped ${vscode.workspace.asRelativePath(uri)}: larger than keysmith.maxFileSizeMB`);
        return undefined;
      }
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined;
    }
    const decoded = decodeEnvBytes(bytes, { maxBytes: maxFileBytes });
    if (!decoded.ok) {
      this.log.info(`skipped ${vscode.workspace.asRelativePath(uri)}: ${decoded.error.message}`);
      return undefined;
    }
    // Editors drop the BOM from the text; do the same so offsets match open documents.
    return decoded.text.replace(/^\uFEFF/, '');
  }

  /** Applies an open document's edits to its analysis (cheap: see IncrementalAnalysis), or drops it when out of step. */
  private applyChanges(e: vscode.TextDocumentChangeEvent): void {
    const k = e.document.uri.toString();
    const model = this.models.get(k);
    if (!model) return;
    if (model.version !== e.document.version - 1) {
      this.models.delete(k);
      return;
    }
    try {
      // Changes of one event apply in order, as the extension host applies them to its own copy.
      for (const c of e.contentChanges) model.analysis.edit(c.rangeOffset, c.rangeOffset + c.rangeLength, c.text);
      model.version = e.document.version;
    } catch {
      this.models.delete(k);
    }
  }

  /** The analysis of an open document at its current version (made from its text when there is none). */
  private modelOf(doc: vscode.TextDocument, context: AnalysisContext, config: RuleConfig): IncrementalAnalysis {
    const k = doc.uri.toString();
    const model = this.models.get(k);
    if (model && model.version === doc.version) {
      model.analysis.setContext(context, config);
      return model.analysis;
    }
    const analysis = new IncrementalAnalysis(doc.getText(), context, config);
    this.models.set(k, { version: doc.version, analysis });
    return analysis;
  }

  /** The parsed model of an open .env document at its current version, if Keysmith keeps one (for the hover). */
  cachedModel(doc: vscode.TextDocument): EnvDocument | undefined {
    const model = this.models.get(doc.uri.toString());
    return model && model.version === doc.version ? model.analysis.document() : undefined;
  }

  private async analyze(uri: vscode.Uri): Promise<Analysis | undefined> {
    const open = openDocument(uri);
    const text = open ? undefined : await this.textOf(uri);
    if (!open && text === undefined) return { diagnostics: [], fixes: [] };
    const fileName = basename(uri.path);
    const other = this.counterpartOf(uri);
    const [git, otherText, django, detected] = await Promise.all([
      this.gitStatus(uri),
      other ? this.textOf(other.uri) : Promise.resolve(undefined),
      isDjangoProject(uri),
      this.readers ? this.readers.readersFor(uri) : Promise.resolve([]),
    ]);
    const readers = otherReaders(detected);
    const counterpart = other && otherText !== undefined
      ? { role: other.role, name: basename(other.uri.path), keys: parseEnv(otherText).entries.map((e) => e.key) }
      : undefined;
    const context: AnalysisContext = {
      fileName,
      ...(git ? { git } : {}),
      ...(counterpart ? { counterpart } : {}),
      isDjangoProject: django,
      ...(readers.length > 0 ? { readers } : {}),
    };
    const config = readRuleConfig(uri);
    const gateNames = [fileName, ...(counterpart ? [counterpart.name] : [])];
    // Open documents: the document's current state, analysed incrementally.
    const doc = openDocument(uri);
    if (doc && !doc.isClosed) {
      const model = this.modelOf(doc, context, config);
      const findings = model.findings();
      // The gate kept up to date with the model (undefined: build the whole gate, see toDiagnostics).
      const gated = findings.length > 0 ? model.gatedMessages(findings, gateNames, config.secretPatterns) : undefined;
      return this.toDiagnostics((offset) => doc.positionAt(offset), findings, () => model.document(), config.secretPatterns, gateNames, readers, gated);
    }
    const fileText = text ?? (await this.textOf(uri));
    if (fileText === undefined) return { diagnostics: [], fixes: [] };
    const lines = new LineIndex(fileText);
    const parsed = parseEnv(fileText);
    const findings = analyzeEnv({ text: fileText, doc: parsed, ...context }, config);
    return this.toDiagnostics((offset) => {
      const p = lines.position(offset);
      return new vscode.Position(p.line, p.character);
    }, findings, () => parsed, config.secretPatterns, gateNames, readers);
  }

  private toDiagnostics(
    position: (offset: number) => vscode.Position,
    findings: readonly Finding[],
    docOf: () => EnvDocument,
    secretPatterns: readonly string[],
    names: readonly string[],
    readers: readonly OtherReaderId[],
    gated?: readonly string[],
  ): Analysis {
    // The leak guard's last gate: no message in the Problems panel repeats what the file hides
    // (`gated`: its lines for these findings, already worked out incrementally).
    const gate = findings.length > 0 && gated === undefined ? MessageGate.forDocuments([docOf()], { secretPatterns }).allow(...names) : undefined;
    const firstEntry = findings.some((f) => FILE_LEVEL.has(f.code)) ? docOf().entries[0] : undefined;
    const diagnostics: vscode.Diagnostic[] = [];
    const fixes: FixEntry[] = [];
    const rangeOf = (start: number, end: number) => new vscode.Range(position(start), position(Math.max(start, end)));
    // Findings about the whole file sit on the first key, or on an empty range at the top:
    // never under a comment on the first line.
    const fileRange = firstEntry ? rangeOf(firstEntry.keyStart, firstEntry.keyEnd) : new vscode.Range(0, 0, 0, 0);
    findings.forEach((f, i) => {
      const range = FILE_LEVEL.has(f.code) ? fileRange : rangeOf(f.start, f.end);
      const d = new vscode.Diagnostic(range, gated ? gated[i]! : gate ? gate.line(f.message, f.key) : f.message, SEVERITY[f.severity]);
      d.source = SOURCE;
      const info = RULES.find((r) => r.code === f.code);
      d.code = { value: f.code, target: this.docsUri.with({ fragment: info?.docsAnchor ?? f.code }) };
      diagnostics.push(d);
      if (f.fix) fixes.push({ code: f.code, range, fix: f.fix, readers });
    });
    return { diagnostics, fixes };
  }

  private publish(key: string, result: Analysis): void {
    const uri = vscode.Uri.parse(key);
    this.collection.set(uri, result.diagnostics);
    if (!this.firstPublished) {
      this.firstPublished = true;
      this.log.info(`first diagnostics published ${Date.now() - this.activatedAt} ms after activation`);
    }
    this.fixes.set(key, result.fixes);
  }

  /** For tests and benchmarks: analyses started, stale results dropped, git processes started, debounced .gitignore re-analyses; per file when given. */
  stats(uri?: vscode.Uri): DiagnosticStats {
    const key = uri?.toString() ?? '';
    return {
      started: this.scheduler.started,
      dropped: this.scheduler.dropped,
      gitProcesses: this.gitAccess().processes ?? 0,
      ignoreRefreshes: this.ignoreChanged.fired,
      known: this.known.size,
      scans: this.scans,
      ...(this.lastScan ? { lastScan: { ...this.lastScan } } : {}),
      startedForFile: uri ? this.scheduler.startedFor(key) : 0,
      idle: uri ? this.scheduler.isIdle(key) : true,
    };
  }

  /**
   * For tests: resolves when no analysis of the file is waiting for its debounce or running, and
   * more than `after` analyses of it have started.
   */
  whenIdle(uri: vscode.Uri, after?: number): Promise<void> {
    return this.scheduler.whenIdle(uri.toString(), after);
  }

  /** For tests and benchmarks: resolves when more than `after` workspace scans have finished. */
  whenScanned(after = 0): Promise<void> {
    if (this.scans > after) return Promise.resolve();
    return new Promise((resolve) => this.scanWaiters.push({ after, resolve }));
  }

  dispose(): void {
    this.ignoreChanged.dispose();
    this.scheduler.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

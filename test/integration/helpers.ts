// Shared helpers for the integration suites: reach Keysmith's test seam and script prompt answers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KeysmithTestApi } from '../../src/extension/activate.ts';
import type { Prompts } from '../../src/extension/prompts.ts';

export const EXTENSION_ID = 'keysmith.keysmith';

export async function keysmith(): Promise<KeysmithTestApi> {
  const ext = vscode.extensions.getExtension<KeysmithTestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this host`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned no test API: is the host running in test mode?');
  return api;
}

export interface Answers {
  /** Label of the quick pick item to choose (exact), or undefined to dismiss. */
  pick?: string | ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined);
  /** Text typed into the input box; it is checked against the box's validateInput first. */
  input?: string;
  /** Action chosen in a confirmation, or undefined to cancel. */
  confirm?: string;
  /** Workspace folder name chosen when asked. */
  folder?: string;
}

export interface Recorded {
  quickPicks: { items: readonly vscode.QuickPickItem[]; options: vscode.QuickPickOptions }[];
  inputs: { options: vscode.InputBoxOptions; validation?: string | vscode.InputBoxValidationMessage | null | undefined }[];
  confirms: { message: string; detail: string }[];
  folderPicks: number;
}

/** Scripts the next prompts; returns what was asked. Answers are reused for repeated prompts. */
export async function answer(a: Answers): Promise<Recorded> {
  const rec: Recorded = { quickPicks: [], inputs: [], confirms: [], folderPicks: 0 };
  const prompts: Prompts = {
    async quickPick(items, options) {
      rec.quickPicks.push({ items, options });
      if (typeof a.pick === 'function') return a.pick(items) as never;
      const found = items.find((i) => i.label === a.pick);
      if (a.pick !== undefined) assert.ok(found, `no quick pick item "${a.pick}" among: ${items.map((i) => i.label).join(', ')}`);
      return found;
    },
    async inputBox(options) {
      const validation = a.input !== undefined && options.validateInput ? await options.validateInput(a.input) : undefined;
      rec.inputs.push({ options, validation });
      if (validation && (typeof validation === 'string' || validation.severity === vscode.InputBoxValidationSeverity.Error)) return undefined;
      return a.input;
    },
    async confirm(message, detail) {
      rec.confirms.push({ message, detail });
      return a.confirm;
    },
    async workspaceFolder() {
      rec.folderPicks++;
      return vscode.workspace.workspaceFolders?.find((f) => f.name === a.folder);
    },
  };
  (await keysmith()).setPrompts(prompts);
  return rec;
}

let untitledCount = 0;

export async function openText(content: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  // A new name for every document: with openTextDocument({ content }) the workbench reuses
  // Untitled-1 once the previous Untitled-1 is closed, and an extension host that has not yet
  // dropped its copy of the old one hands the test (and Keysmith) the old text.
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `/keysmith-test-${++untitledCount}-${Date.now()}` });
  let doc = await vscode.workspace.openTextDocument(uri);
  if (content) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), content);
    assert.ok(await vscode.workspace.applyEdit(edit), 'could not fill the new document');
  }
  if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
  assert.equal(doc.getText(), content);
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  // showTextDocument can resolve before the extension host's activeTextEditor follows (seen in
  // the web worker host): commands run next must find this editor active.
  await until(vscode.window.onDidChangeActiveTextEditor, () => vscode.window.activeTextEditor?.document === doc, WAIT_MS, 'the new editor to be active');
  return editor;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await until(vscode.window.onDidChangeVisibleTextEditors, () => !vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme !== 'output'), WAIT_MS, 'every editor to close');
}

export async function setSetting(key: string, value: unknown, scope?: vscode.Uri): Promise<void> {
  const [section, ...rest] = key.split('.');
  await vscode.workspace.getConfiguration(section, scope ?? null).update(rest.join('.'), value, scope ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace);
}

/**
 * How long a wait may take before it counts as failed. Waits end on events, so on an idle machine
 * they take milliseconds; the limits are generous so that a busy, shared machine never fails them.
 */
export const WAIT_MS = 60000;

/**
 * Resolves with `check()`'s first truthy result, checked now and after every `event` (or throws
 * after `ms`).
 */
export function until<T, E>(event: vscode.Event<E>, check: () => T | undefined | false, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let sub: vscode.Disposable | undefined;
    const finish = (f: () => void) => {
      sub?.dispose();
      clearTimeout(timer);
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`))), ms);
    const test = (): boolean => {
      try {
        const v = check();
        if (v) { finish(() => resolve(v)); return true; }
      } catch (e) {
        finish(() => reject(e));
        return true;
      }
      return false;
    };
    if (!test()) sub = event(() => { test(); });
  });
}

const keysmithOnly = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'keysmith');

/** Keysmith's diagnostics for a file, once `ready` holds for them (or throws after `ms`). */
export async function diagnosticsFor(uri: vscode.Uri, ready: (d: vscode.Diagnostic[]) => boolean, ms = WAIT_MS): Promise<vscode.Diagnostic[]> {
  let last: vscode.Diagnostic[] = [];
  try {
    return await until(vscode.languages.onDidChangeDiagnostics, () => {
      last = keysmithOnly(uri);
      return ready(last) && last;
    }, ms, `diagnostics of ${uri.path}`);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen: ${JSON.stringify(last.map((d) => [codeOf(d), d.range.start.line, d.message]))}`, { cause: e });
  }
}

/**
 * Runs `action` (which writes or edits `uri`), waits until Keysmith has analysed the file since
 * and has nothing pending for it, and returns its diagnostics. For checks that something is
 * absent: they would pass vacuously before the analysis.
 */
export async function analysedAfter(uri: vscode.Uri, action: () => Promise<unknown>, ms = WAIT_MS): Promise<vscode.Diagnostic[]> {
  const api = await keysmith();
  const before = (await api.diagnosticStats(uri)).startedForFile;
  await action();
  await withTimeout(api.whenAnalysed(uri, before), ms, `Keysmith to analyse ${uri.path}`);
  return keysmithOnly(uri);
}

/** `p`, or an error naming `what` after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

export function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

export const hasCode = (code: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => codeOf(d) === code);

/** The quick fixes VS Code offers for a diagnostic (in an open editor, as a user sees them). */
export async function quickFixes(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

/** Runs a code action as VS Code would: its edit, then its command. */
export async function applyAction(a: vscode.CodeAction): Promise<void> {
  if (a.edit) assert.ok(await vscode.workspace.applyEdit(a.edit), 'the quick fix edit was refused');
  if (a.command) await vscode.commands.executeCommand(a.command.command, ...(a.command.arguments ?? []));
}

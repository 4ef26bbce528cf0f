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

export async function openText(content: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  return vscode.window.showTextDocument(doc);
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export async function setSetting(key: string, value: unknown, scope?: vscode.Uri): Promise<void> {
  const [section, ...rest] = key.split('.');
  await vscode.workspace.getConfiguration(section, scope ?? null).update(rest.join('.'), value, scope ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `fn` returns a truthy value (or throws after `ms`). */
export async function waitFor<T>(fn: () => T | PromiseLike<T>, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Keysmith's diagnostics for a file, once `ready` holds for them (or throws after `ms`). */
export async function diagnosticsFor(uri: vscode.Uri, ready: (d: vscode.Diagnostic[]) => boolean, ms = 10000): Promise<vscode.Diagnostic[]> {
  let last: vscode.Diagnostic[] = [];
  try {
    await waitFor(() => {
      last = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'keysmith');
      return ready(last);
    }, ms, `diagnostics of ${uri.path}`);
    return last;
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen: ${JSON.stringify(last.map((d) => [codeOf(d), d.range.start.line, d.message]))}`, { cause: e });
  }
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

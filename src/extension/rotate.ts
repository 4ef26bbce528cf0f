import * as vscode from 'vscode';
import { nodeAt, parseEnv } from '../core/envdoc.ts';
import { populateOptions } from '../core/configuration.ts';
import {
  describeItem, isCompanionName, mentionsFlask, needsConfirmation, planRotation, rotationEdits,
  rotationNeedsWordlist, type RotatePlan,
} from '../core/rotate.ts';
import { isSecretName } from '../core/secrets.ts';
import { readConfig, readEnvSettings } from './envConfig.ts';
import { isDjangoProject, isEnvDocument, openEnvDocument, toWorkspaceEdit } from './envDocuments.ts';
import { syncExampleCommand } from './example.ts';
import type { Services } from './services.ts';

const title = () => vscode.l10n.t('Rotate Secret');
/** Passed as the key list to rotate every secret of the file (the env-tracked quick fix). */
export const ROTATE_ALL = '*';

const DEPENDENCY_FILES = ['requirements.txt', 'requirements.in', 'pyproject.toml', 'Pipfile', 'setup.cfg', 'setup.py'];

/** Whether the .env at `uri` belongs to a Flask project: Flask in a dependency file beside it or one folder up. */
export async function isFlaskProject(uri: vscode.Uri): Promise<boolean> {
  const dir = vscode.Uri.joinPath(uri, '..');
  for (const d of [dir, vscode.Uri.joinPath(dir, '..')]) {
    for (const name of DEPENDENCY_FILES) {
      const file = vscode.Uri.joinPath(d, name);
      try {
        const st = await vscode.workspace.fs.stat(file);
        if (st.type !== vscode.FileType.File || st.size > 1024 * 1024) continue;
        if (mentionsFlask(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)))) return true;
      } catch { /* absent: not a hint */ }
    }
  }
  return false;
}

/** The key of the entry under the cursor of `editor`, if any. */
export function keyUnderCursor(editor: vscode.TextEditor): string | undefined {
  const doc = editor.document;
  const model = parseEnv(doc.getText());
  const offset = doc.offsetAt(editor.selection.active);
  const node = nodeAt(model, offset) ?? (offset > 0 ? nodeAt(model, offset - 1) : undefined);
  return node?.type === 'entry' ? node.key : undefined;
}

/**
 * "Rotate Secret": new values for the given keys (the key under the cursor, or a picked one, when
 * none are given; every secret of the file for ROTATE_ALL), with the old values kept where the
 * framework can still verify with them. Asks once (names only), then makes one undoable edit.
 */
export async function rotateSecret(services: Services, given: vscode.Uri | undefined, keysArg: unknown): Promise<void> {
  const active = vscode.window.activeTextEditor;
  const uri = given ?? (active && isEnvDocument(active.document) ? active.document.uri : undefined);
  if (!uri) throw new Error(vscode.l10n.t('Open a .env file and put the cursor on the key to rotate.'));
  const rel = vscode.workspace.asRelativePath(uri);
  const doc = await openEnvDocument(uri);
  const wasDirty = doc.isDirty;
  const version = doc.version;
  const model = parseEnv(doc.getText());
  const config = readConfig(uri);
  const settings = config.generator;
  const ctx = {
    ...populateOptions(config),
    isDjangoProject: await isDjangoProject(uri),
    isFlaskProject: await isFlaskProject(uri),
    keep: config.rotateKeep,
  };

  let keys: string[] | undefined;
  if (keysArg === ROTATE_ALL) keys = undefined;
  else if (typeof keysArg === 'string') keys = [keysArg];
  else if (Array.isArray(keysArg) && keysArg.every((k) => typeof k === 'string') && keysArg.length > 0) keys = keysArg as string[];
  else {
    const underCursor = active && active.document.uri.toString() === uri.toString() ? keyUnderCursor(active) : undefined;
    if (underCursor) keys = [underCursor];
    else {
      const candidates = planRotation(model, undefined, ctx).items;
      if (candidates.length === 0) throw new Error(vscode.l10n.t('{0} has no secrets to rotate.', rel));
      const picked = await services.prompts.quickPick(
        candidates.map((i) => ({ label: i.key, description: describeItem(i).slice(i.key.length + 1) })),
        { title: vscode.l10n.t('{0}: {1}', title(), rel), placeHolder: vscode.l10n.t('Which secret? (Put the cursor on a key to skip this question.)') },
      );
      if (!picked) return;
      keys = [picked.label];
    }
  }

  const plan = planRotation(model, keys, ctx);
  if (keys && plan.skipped.length > 0) {
    throw new Error(vscode.l10n.t('Cannot rotate {0}.', plan.skipped.map((s) => vscode.l10n.t('{0} in {1}: {2}', s.key, rel, `it ${s.reason.startsWith('not ') ? 'is ' : ''}${s.reason}`)).join('; ')));
  }
  if (plan.items.length === 0) {
    vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Keysmith: no secrets to rotate in {0}', rel), 5000);
    services.log.info(`rotate ${rel}: nothing to rotate`);
    return;
  }

  // Rule 3: offer SECRET_KEY_FALLBACKS for Django/Flask keys without a companion.
  let accept = false;
  const offered = plan.items.filter((i) => i.strategy.kind === 'offer-fallbacks');
  if (offered.length > 0 && plan.keep > 1) {
    const names = offered.map((i) => (i.strategy.kind === 'offer-fallbacks' ? i.strategy.companion : '')).join(', ');
    const add = { label: vscode.l10n.t('Add {0}', names), description: vscode.l10n.t('recommended: signatures made with the old key keep verifying'), accept: true };
    const replace = { label: vscode.l10n.t('Replace without keeping the old value'), description: vscode.l10n.t('sessions and signed tokens of the old key stop verifying'), accept: false };
    const picked = await services.prompts.quickPick([add, replace], {
      title: vscode.l10n.t('{0}: {1}', title(), offered.map((i) => i.key).join(', ')),
      placeHolder: vscode.l10n.t('Keep the old value in {0}? Django 4.1+ and Flask 3.1.1+ read it as SECRET_KEY_FALLBACKS.', names),
      ignoreFocusOut: true,
    });
    if (!picked) return;
    accept = picked.accept;
  }

  const unconfirmed = plan.items.filter((i) => needsConfirmation(i, accept));
  const n = plan.items.length;
  const question = n === 1 ? vscode.l10n.t('Rotate {0} in {1}?', plan.items[0]!.key, rel) : vscode.l10n.t('Rotate {0} secrets in {1}?', n, rel);
  const unconfirmedKeys = unconfirmed.map((i) => i.key).join(', ');
  const warning = unconfirmed.length === 0 ? ''
    : unconfirmed.length === 1 ? vscode.l10n.t(' Sessions or tokens signed with the old value of {0} stop verifying.', unconfirmedKeys)
      : vscode.l10n.t(' Sessions or tokens signed with the old values of {0} stop verifying.', unconfirmedKeys);
  const message = question + warning;
  const skippedNote = plan.skipped.length ? `\n${vscode.l10n.t('Not rotated: {0}.', plan.skipped.map((s) => `${s.key} (${s.reason})`).join('; '))}` : '';
  const rotateLabel = vscode.l10n.t('Rotate');
  const choice = await services.prompts.confirm(message, plan.items.map((i) => describeItem(i, accept)).join('\n') + skippedNote, rotateLabel);
  if (choice !== rotateLabel) return;

  const wordlist = rotationNeedsWordlist(plan) ? await services.loadWordlist() : undefined;
  const result = rotationEdits(model, plan as RotatePlan, settings, { acceptFallbacks: accept, wordlist });
  if (doc.version !== version) throw new Error(vscode.l10n.t('{0} changed while Keysmith was preparing the edit; run the command again.', rel));
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(doc, result.edits)))) throw new Error(vscode.l10n.t('Could not edit {0}: it may be read-only.', rel));
  if (!wasDirty && !(await doc.save())) {
    throw new Error(vscode.l10n.t('Rotated {0} in {1}, but saving failed (the file may have changed on disk or be read-only). The change is still in the editor.', plan.items.map((i) => i.key).join(', '), rel));
  }
  services.log.info(`rotate ${rel}: ${plan.items.map((i) => describeItem(i, accept)).join('; ')}`);
  vscode.window.setStatusBarMessage(n === 1 ? vscode.l10n.t('$(key) Keysmith: rotated {0} in {1}', plan.items[0]!.key, rel) : vscode.l10n.t('$(key) Keysmith: rotated {0} secrets in {1}', n, rel), 5000);

  // The example gets the new companion key when sync is on. A save already triggered sync on save.
  if (result.added.length > 0 && wasDirty && config.example.syncOnSave) {
    await syncExampleCommand(services, uri, undefined, { quiet: true });
  }
}

/** "Rotate KEY…" on any secret-named key with a value (lightbulb / Ctrl+. on the line). */
export class RotateCodeActions implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.RefactorRewrite.append('keysmith.rotate');
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [RotateCodeActions.kind] };
  private readonly command: string;

  constructor(command: string) {
    this.command = command;
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const model = parseEnv(doc.getText());
    const offset = doc.offsetAt(range.start);
    const node = nodeAt(model, offset) ?? (offset > 0 ? nodeAt(model, offset - 1) : undefined);
    if (node?.type !== 'entry' || node.value.trim().length === 0 || isCompanionName(node.key)) return [];
    if (!isSecretName(node.key, readEnvSettings(doc.uri).secretNamePatterns)) return [];
    const action = new vscode.CodeAction(vscode.l10n.t('Rotate {0}…', node.key), RotateCodeActions.kind);
    action.command = { command: this.command, title: action.title, arguments: [doc.uri, [node.key]] };
    return [action];
  }
}

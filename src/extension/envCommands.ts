import * as vscode from 'vscode';
import { appendEntryEdits, isValidEnvKey, parseEnv, setValueEdits, winningEntry } from '../core/envdoc.ts';
import { fileExists, isDjangoProject, isEnvDocument, openEnvDocument, toWorkspaceEdit } from './envDocuments.ts';
import { inferFormat } from '../core/secrets.ts';
import { readSettings } from './config.ts';
import { makeSecrets, pickFormat } from './generate.ts';
import type { Services } from './services.ts';

const title = () => vscode.l10n.t('Add Secret to .env');

/** The .env file to write: the one given, the active .env editor, or the chosen folder's .env. */
async function targetFile(services: Services, uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (uri) return uri;
  const active = vscode.window.activeTextEditor?.document;
  if (active && !active.isUntitled && isEnvDocument(active)) return active.uri;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new Error(vscode.l10n.t('Open a folder first: the secret goes into that folder\'s .env file.'));
  const folder = folders.length === 1
    ? folders[0]
    : await services.prompts.workspaceFolder({ placeHolder: vscode.l10n.t('Which workspace folder\'s .env should get the secret?'), ignoreFocusOut: true });
  return folder && vscode.Uri.joinPath(folder.uri, '.env');
}

export function validateKeyName(name: string): vscode.InputBoxValidationMessage | undefined {
  if (name.length === 0) return { message: vscode.l10n.t('Type a variable name, such as SECRET_KEY.'), severity: vscode.InputBoxValidationSeverity.Error };
  if (!isValidEnvKey(name)) {
    return { message: vscode.l10n.t('Use letters, digits and underscores only, not starting with a digit.'), severity: vscode.InputBoxValidationSeverity.Error };
  }
  if (name !== name.toUpperCase()) return { message: vscode.l10n.t('Environment variable names are usually upper case.'), severity: vscode.InputBoxValidationSeverity.Warning };
  return undefined;
}

export async function addSecretToEnv(services: Services, given: vscode.Uri | undefined): Promise<void> {
  const uri = await targetFile(services, given);
  if (!uri) return;
  const rel = vscode.workspace.asRelativePath(uri);

  const key = await services.prompts.inputBox({
    title: vscode.l10n.t('{0}: {1}', title(), rel),
    prompt: vscode.l10n.t('Name of the environment variable'),
    placeHolder: 'SECRET_KEY',
    ignoreFocusOut: true,
    validateInput: validateKeyName,
  });
  if (!key) return;

  const settings = readSettings(uri);
  const suggested = inferFormat(key, { defaultFormat: settings.defaultFormat, isDjangoProject: await isDjangoProject(uri) }) ?? undefined;
  const formatId = await pickFormat(services, uri, vscode.l10n.t('{0}: {1}', title(), key), suggested, 'env');
  if (!formatId) return;

  const exists = await fileExists(uri);
  const doc = exists ? await openEnvDocument(uri) : undefined;
  const wasDirty = doc?.isDirty ?? false;
  const text = doc?.getText() ?? '';
  const model = parseEnv(text);
  const current = winningEntry(model, key);

  if (current && current.value.length > 0) {
    const replace = vscode.l10n.t('Replace');
    const choice = await services.prompts.confirm(
      vscode.l10n.t('{0} already has a value in {1}. Replace it with a new secret?', key, rel),
      vscode.l10n.t('The old value is overwritten in the file. Undo (Ctrl+Z in that file) brings it back.'),
      replace,
    );
    if (choice !== replace) return;
  }

  const [secret] = await makeSecrets(services, formatId, 1, uri, 'env');
  const edits = current ? setValueEdits(model, current, secret!) : appendEntryEdits(model, key, secret!);

  const edit = new vscode.WorkspaceEdit();
  if (!exists) {
    edit.createFile(uri, { ignoreIfExists: true });
    edit.insert(uri, new vscode.Position(0, 0), edits.map((e) => e.newText).join(''));
  } else {
    toWorkspaceEdit(doc!, edits, edit);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('Could not edit {0}: it may be read-only.', rel));

  const written = await vscode.workspace.openTextDocument(uri);
  if (!wasDirty && !(await written.save())) {
    throw new Error(vscode.l10n.t('Added {0} to {1}, but saving failed (the file may have changed on disk or be read-only). The change is still in the editor.', key, rel));
  }
  services.log.info(`${current ? 'replaced' : 'added'} ${key} (${formatId}) in ${rel}`);
  await services.rememberFormat(formatId);
  vscode.window.setStatusBarMessage(current ? vscode.l10n.t('$(key) Keysmith: replaced {0} in {1}', key, rel) : vscode.l10n.t('$(key) Keysmith: added {0} in {1}', key, rel), 5000);
}

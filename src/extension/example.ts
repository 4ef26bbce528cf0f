import * as vscode from 'vscode';
import { notifyChanged } from './notify.ts';
import { basename, isExampleEnvFileName } from '../core/envfiles.ts';
import { parseEnv } from '../core/envdoc.ts';
import { syncExample } from '../core/example.ts';
import { MessageGate } from '../core/leakguard.ts';
import { exampleOptions } from '../core/configuration.ts';
import { exampleFileName, readConfig } from './envConfig.ts';
import type { EnvDiagnostics } from './diagnostics.ts';
import { fileExists, isEnvDocument, openEnvDocument } from './envDocuments.ts';
import type { Services } from './services.ts';

/** The source .env for a command target: an example file maps to the .env beside it. */
async function sourceFor(services: Services, given: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  let uri = given;
  if (!uri) {
    const active = vscode.window.activeTextEditor?.document;
    if (active && isEnvDocument(active)) uri = active.uri;
  }
  if (!uri) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) throw new Error(vscode.l10n.t('Open a folder with a .env file first.'));
    const folder = folders.length === 1 ? folders[0] : await services.prompts.workspaceFolder({ placeHolder: vscode.l10n.t('Which folder\'s .env should .env.example follow?') });
    if (!folder) return undefined;
    uri = vscode.Uri.joinPath(folder.uri, '.env');
  }
  const name = basename(uri.path);
  if (isExampleEnvFileName(name) || name === exampleFileName(uri)) uri = vscode.Uri.joinPath(uri, '..', '.env');
  return uri;
}

/**
 * "Sync .env.example": the example beside the .env gets every key of the .env in its order, with
 * fake values; keys and comments written by hand in the example stay. One undoable edit.
 */
export async function syncExampleCommand(
  services: Services,
  given: vscode.Uri | undefined,
  diagnostics: EnvDiagnostics | undefined,
  options: { removeExtra?: boolean; quiet?: boolean } = {},
): Promise<void> {
  const source = await sourceFor(services, given);
  if (!source) return;
  if (!(await fileExists(source))) throw new Error(vscode.l10n.t('There is no {0} to make an example from.', vscode.workspace.asRelativePath(source)));
  const example = vscode.Uri.joinPath(source, '..', exampleFileName(source));
  const rel = vscode.workspace.asRelativePath(example);
  const sourceDoc = await openEnvDocument(source);
  const exists = await fileExists(example);
  const exampleDoc = exists ? await openEnvDocument(example) : undefined;
  const wasDirty = exampleDoc?.isDirty ?? false;

  const shared = exampleOptions(readConfig(source));
  const secretPatterns = shared.secretPatterns;
  const result = syncExample(sourceDoc.getText(), exampleDoc?.getText(), {
    ...shared,
    removeExtra: options.removeExtra === true,
  });
  // The leak guard's last gate over everything said about the files (log, notification).
  const gate = MessageGate.forDocuments(
    exampleDoc ? [parseEnv(sourceDoc.getText()), parseEnv(exampleDoc.getText())] : [parseEnv(sourceDoc.getText())],
    { secretPatterns },
  ).allow(rel, vscode.workspace.asRelativePath(source));

  if (result.changed) {
    const edit = new vscode.WorkspaceEdit();
    if (exampleDoc) {
      edit.replace(example, new vscode.Range(new vscode.Position(0, 0), exampleDoc.positionAt(exampleDoc.getText().length)), result.text);
    } else {
      edit.createFile(example, { ignoreIfExists: true });
      edit.insert(example, new vscode.Position(0, 0), result.text);
    }
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('Could not write {0}.', rel));
    const written = await vscode.workspace.openTextDocument(example);
    if (!wasDirty && !(await written.save())) throw new Error(vscode.l10n.t('Updated {0}, but saving failed.', rel));
  }
  // The log stays in English (like VS Code's own logs); the notification is localised.
  const summary = [
    result.added.length ? `added ${result.added.join(', ')}` : '',
    result.removed.length ? `removed ${result.removed.join(', ')}` : '',
  ].filter(Boolean).join('; ');
  const withheld = [
    result.withheldComments > 0 ? `withheld ${result.withheldComments} comment line(s) holding something credential-like or part of a value` : '',
    result.withheld.length > 0 ? `withheld inline comments or values of ${result.withheld.join(', ')}` : '',
    result.hiddenKeys > 0 ? `left out ${result.hiddenKeys} key(s) whose name looks like key material (an unquoted PEM block?)` : '',
  ].filter(Boolean).join('; ');
  services.log.info(gate.line(`sync ${rel}: ${summary || 'already in sync'}${result.extra.length ? `; only in the example: ${result.extra.join(', ')}` : ''}${withheld ? `; ${withheld}` : ''}`));
  if (!options.quiet) {
    if (!result.changed) vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Keysmith: {0} is in sync', rel), 5000);
    else {
      const localSummary = [
        result.added.length ? vscode.l10n.t('added {0}', result.added.join(', ')) : '',
        result.removed.length ? vscode.l10n.t('removed {0}', result.removed.join(', ')) : '',
      ].filter(Boolean).join('; ');
      const localWithheld = [
        result.withheldComments > 0 ? vscode.l10n.t('withheld {0} comment line(s) holding something credential-like or part of a value', result.withheldComments) : '',
        result.withheld.length > 0 ? vscode.l10n.t('withheld inline comments or values of {0}', result.withheld.join(', ')) : '',
        result.hiddenKeys > 0 ? vscode.l10n.t('left out {0} key(s) whose name looks like key material (an unquoted PEM block?)', result.hiddenKeys) : '',
      ].filter(Boolean).join('; ');
      const head = exists ? vscode.l10n.t('updated {0}', rel) : vscode.l10n.t('created {0}', rel);
      notifyChanged(gate.line(`${head}${localSummary ? `: ${localSummary}` : ''}${localWithheld ? `; ${localWithheld}` : ''}.`), example);
    }
  }
  if (diagnostics) await diagnostics.refresh(source);

  if (result.extra.length > 0 && !options.removeExtra) {
    // The user decides: keep them (nothing to do) or remove them.
    const remove = vscode.l10n.t('Remove Them');
    void vscode.window.showInformationMessage(
      gate.line(result.extra.length === 1
        ? vscode.l10n.t('Keysmith: one key is only in {0}: {1}.', rel, result.extra.join(', '))
        : vscode.l10n.t('Keysmith: {0} keys are only in {1}: {2}.', result.extra.length, rel, result.extra.join(', '))),
      remove,
    ).then((choice) => {
      if (choice === remove) void syncExampleCommand(services, source, diagnostics, { removeExtra: true });
    });
  }
}

/** keysmith.example.syncOnSave: saving a .env updates its example. */
export function registerSyncOnSave(services: Services, diagnostics: EnvDiagnostics): vscode.Disposable {
  return vscode.workspace.onDidSaveTextDocument((doc) => {
    if (basename(doc.uri.path) !== '.env') return;
    if (!readConfig(doc.uri).example.syncOnSave) return;
    void syncExampleCommand(services, doc.uri, diagnostics, { quiet: true }).catch((e: unknown) => {
      services.log.error(`sync on save: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
}

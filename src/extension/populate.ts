import * as vscode from 'vscode';
import { notifyChanged } from './notify.ts';
import { parseEnv } from '../core/envdoc.ts';
import { getFormat } from '../core/formats.ts';
import { planNeedsWordlist, planPopulate, populateEdits, type PopulateItem } from '../core/populate.ts';
import { populateOptions } from '../core/configuration.ts';
import { readConfig } from './envConfig.ts';
import { findEnvFiles, isDjangoProject, isEnvDocument, openEnvDocument, toWorkspaceEdit } from './envDocuments.ts';
import type { Services } from './services.ts';


/** The file to populate: the one right-clicked, the active .env editor, or one picked from the workspace. */
async function target(services: Services, given: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isEnvDocument(active)) return active.uri;
  const files = await findEnvFiles();
  if (files.length === 0) throw new Error(vscode.l10n.t('No .env files found in the workspace.'));
  if (files.length === 1) return files[0];
  const picked = await services.prompts.quickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Populate Empty Keys'), placeHolder: vscode.l10n.t('Which .env file?') },
  );
  return picked?.uri;
}

export function describePlan(plan: readonly PopulateItem[]): string {
  return plan.map((p) => `${p.key} (${getFormat(p.format).label})`).join(', ');
}

/**
 * Fills every empty or placeholder secret of a .env file with a fresh value in the format its name
 * calls for, after confirming which keys (names only). One undoable WorkspaceEdit; works whether
 * or not the file is open.
 */
export async function populateEmptyKeys(services: Services, given: vscode.Uri | undefined): Promise<void> {
  const uri = await target(services, given);
  if (!uri) return;
  const rel = vscode.workspace.asRelativePath(uri);
  const doc = await openEnvDocument(uri);
  const wasDirty = doc.isDirty;
  const config = readConfig(uri);
  const settings = config.generator;

  const version = doc.version;
  const model = parseEnv(doc.getText());
  const plan = planPopulate(model, { ...populateOptions(config), isDjangoProject: await isDjangoProject(uri) });
  if (plan.length === 0) {
    vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Keysmith: no empty or placeholder secrets in {0}', rel), 5000);
    services.log.info(`populate ${rel}: nothing to fill`);
    return;
  }

  const fill = vscode.l10n.t('Fill');
  const choice = await services.prompts.confirm(
    plan.length === 1 ? vscode.l10n.t('Fill 1 key in {0} with a new secret?', rel) : vscode.l10n.t('Fill {0} keys in {1} with new secrets?', plan.length, rel),
    describePlan(plan),
    fill,
  );
  if (choice !== fill) return;

  const wordlist = planNeedsWordlist(plan) ? await services.loadWordlist() : undefined;
  const edits = populateEdits(model, plan, settings, wordlist);
  if (doc.version !== version) throw new Error(vscode.l10n.t('{0} changed while Keysmith was preparing the edit; run the command again.', rel));
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(doc, edits)))) throw new Error(vscode.l10n.t('Could not edit {0}: it may be read-only.', rel));
  if (!wasDirty && !(await doc.save())) {
    throw new Error(vscode.l10n.t('Filled {0} keys in {1}, but saving failed (the file may have changed on disk or be read-only). The change is still in the editor.', plan.length, rel));
  }
  services.log.info(`populate ${rel}: filled ${plan.map((p) => `${p.key} (${p.format})`).join(', ')}`);
  notifyChanged(plan.length === 1 ? vscode.l10n.t('filled 1 key in {0}: {1}.', rel, plan[0]!.key) : vscode.l10n.t('filled {0} keys in {1}: {2}.', plan.length, rel, plan.map((p) => p.key).join(', ')), doc.uri);
}

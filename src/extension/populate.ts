import * as vscode from 'vscode';
import { notifyChanged } from './notify.ts';
import { parseEnv } from '../core/envdoc.ts';
import { getFormat } from '../core/formats.ts';
import { planNeedsWordlist, planPopulate, populateEdits, type PopulateItem } from '../core/populate.ts';
import { populateOptions } from '../core/configuration.ts';
import { readConfig } from './envConfig.ts';
import { findEnvFiles, isDjangoProject, isEnvDocument, openEnvDocument, toWorkspaceEdit } from './envDocuments.ts';
import type { Services } from './services.ts';

const TITLE = 'Populate Empty Keys';

/** The file to populate: the one right-clicked, the active .env editor, or one picked from the workspace. */
async function target(services: Services, given: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isEnvDocument(active)) return active.uri;
  const files = await findEnvFiles();
  if (files.length === 0) throw new Error('No .env files found in the workspace.');
  if (files.length === 1) return files[0];
  const picked = await services.prompts.quickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: TITLE, placeHolder: 'Which .env file?' },
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
    vscode.window.setStatusBarMessage(`$(check) Keysmith: no empty or placeholder secrets in ${rel}`, 5000);
    services.log.info(`populate ${rel}: nothing to fill`);
    return;
  }

  const choice = await services.prompts.confirm(
    `Fill ${plan.length} ${plan.length === 1 ? 'key' : 'keys'} in ${rel} with new secrets?`,
    describePlan(plan),
    'Fill',
  );
  if (choice !== 'Fill') return;

  const wordlist = planNeedsWordlist(plan) ? await services.loadWordlist() : undefined;
  const edits = populateEdits(model, plan, settings, wordlist);
  if (doc.version !== version) throw new Error(`${rel} changed while Keysmith was preparing the edit; run the command again.`);
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(doc, edits)))) throw new Error(`Could not edit ${rel}: it may be read-only.`);
  if (!wasDirty && !(await doc.save())) {
    throw new Error(`Filled ${plan.length} keys in ${rel}, but saving failed (the file may have changed on disk or be read-only). The change is still in the editor.`);
  }
  services.log.info(`populate ${rel}: filled ${plan.map((p) => `${p.key} (${p.format})`).join(', ')}`);
  notifyChanged(`filled ${plan.length} ${plan.length === 1 ? 'key' : 'keys'} in ${rel}: ${plan.map((p) => p.key).join(', ')}.`, doc.uri);
}

import * as vscode from 'vscode';
import { quoteAtValuePosition } from '../core/envdoc/quote.ts';
import { basename, isEnvFileName } from '../core/envfiles.ts';
import { allFormats, getFormat, type FormatId, type SecretFormat } from '../core/formats.ts';
import { optionsFor, type KeysmithSettings, type SecretTarget } from '../core/settings.ts';
import { inferFormat } from '../core/secrets.ts';
import { readSettings } from './config.ts';
import { isDjangoProject } from './envDocuments.ts';
import type { Services } from './services.ts';

export interface FormatItem extends vscode.QuickPickItem {
  readonly formatId: FormatId;
}

/** A short masked sample: enough to recognise the shape, never a usable secret. */
export function maskSample(format: SecretFormat, sample: string): string {
  let visible = 4;
  if (format.id === 'api-key') visible = sample.lastIndexOf('_') + 3;
  return sample.slice(0, visible) + '•'.repeat(6);
}

async function optionsWithResources(services: Services, format: SecretFormat, settings: KeysmithSettings, target: SecretTarget) {
  return optionsFor(format, settings, format.needsWordlist ? await services.loadWordlist() : undefined, target);
}

/** Recently used first, then the configured default, then registry order. */
export function orderFormats(recent: readonly FormatId[], defaultFormat: FormatId): SecretFormat[] {
  const order = [...recent, defaultFormat, ...allFormats().map((f) => f.id)];
  return [...new Set(order)].map((id) => getFormat(id));
}

export async function formatItems(services: Services, settings: KeysmithSettings, preselect?: FormatId, target: SecretTarget = 'code', suggestedFor?: string): Promise<FormatItem[]> {
  const recent = services.recentFormats();
  const formats = orderFormats(preselect ? [preselect, ...recent] : recent, settings.defaultFormat);
  const items: FormatItem[] = [];
  for (const f of formats) {
    let description: string;
    let sample = '';
    try {
      const options = await optionsWithResources(services, f, settings, target);
      description = vscode.l10n.t('{0} bits', Math.floor(f.entropyBits(options)));
      sample = vscode.l10n.t(' — e.g. {0}', maskSample(f, f.generate(options)));
    } catch (e) {
      description = vscode.l10n.t('unavailable with the current settings');
      services.log.warn(`format ${f.id}: ${(e as Error).message}`);
    }
    if (suggestedFor !== undefined && preselect === f.id) description += vscode.l10n.t(' · suggested for {0}', suggestedFor);
    else if (recent[0] === f.id) description += vscode.l10n.t(' · last used');
    items.push({ label: f.label, description, detail: f.description + sample, formatId: f.id });
  }
  return items;
}

/** Asks for a format; `target` `'env'` shows the entropy of secrets written into a .env file. */
export async function pickFormat(
  services: Services, scope: vscode.Uri | undefined, title: string, preselect?: FormatId, target: SecretTarget = 'code', suggestedFor?: string,
): Promise<FormatId | undefined> {
  const settings = readSettings(scope);
  const items = await formatItems(services, settings, preselect, target, suggestedFor);
  const picked = await services.prompts.quickPick(items, { title, placeHolder: vscode.l10n.t('Pick a secret format'), matchOnDescription: true, matchOnDetail: true });
  return picked?.formatId;
}

/**
 * The format for the key on the cursor's line of a .env editor (`KEY=` or `export KEY=`), when
 * the key names a secret: the picker puts it first, "suggested for KEY".
 */
export async function suggestionAt(editor: vscode.TextEditor): Promise<{ key: string; format: FormatId } | undefined> {
  const doc = editor.document;
  if (!(doc.languageId === 'dotenv' || isEnvFileName(basename(doc.uri.path)))) return undefined;
  const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(doc.lineAt(editor.selection.active.line).text);
  if (!m) return undefined;
  const key = m[1]!;
  const format = inferFormat(key, { defaultFormat: readSettings(doc.uri).defaultFormat, isDjangoProject: await isDjangoProject(doc.uri) });
  return format ? { key, format } : undefined;
}

/**
 * `count` fresh secrets of a format under the settings that apply to `scope`. For `target` `'env'`
 * (Add Secret, regenerate) they use no `$`, backslash, quote or backtick, so every .env reader
 * reads them back as written.
 */
export async function makeSecrets(services: Services, id: FormatId, count: number, scope: vscode.Uri | undefined, target: SecretTarget = 'code'): Promise<string[]> {
  const format = getFormat(id);
  const options = await optionsWithResources(services, format, readSettings(scope), target);
  return format.generateMany(count, options);
}

/**
 * Replaces every selection (or inserts at every cursor) with a distinct secret, as one undo step.
 * In a .env file the secret uses no `$`, backslash, quote or backtick (as Add Secret's do), and
 * where it makes up a whole value (`KEY=|`) it is quoted as every .env reader needs
 * (`quoteAtValuePosition`); in code the format is used as it is.
 */
export async function insertSecrets(services: Services, editor: vscode.TextEditor, id: FormatId): Promise<void> {
  const selections = editor.selections;
  const doc = editor.document;
  const target = doc.languageId === 'dotenv' || isEnvFileName(basename(doc.uri.path)) ? 'env' : 'code';
  const secrets = await makeSecrets(services, id, selections.length, doc.uri, target);
  const texts = selections.map((s, i) => {
    if (target === 'code' || !s.isSingleLine) return secrets[i]!;
    const line = doc.lineAt(s.start.line).text;
    return quoteAtValuePosition(secrets[i]!, line.slice(0, s.start.character), line.slice(s.end.character)) ?? secrets[i]!;
  });
  const ok = await editor.edit((b) => selections.forEach((s, i) => b.replace(s, texts[i]!)));
  if (!ok) throw new Error(vscode.l10n.t('Could not edit {0}: the editor is read-only or was closed.', vscode.workspace.asRelativePath(editor.document.uri)));
  await services.rememberFormat(id);
  services.log.info(`inserted ${selections.length} ${id} secret(s) into ${vscode.workspace.asRelativePath(editor.document.uri)}`);
}

export async function copySecret(services: Services, id: FormatId, scope: vscode.Uri | undefined): Promise<void> {
  const [secret] = await makeSecrets(services, id, 1, scope);
  await vscode.env.clipboard.writeText(secret!);
  await services.rememberFormat(id);
  services.log.info(`copied a ${id} secret to the clipboard`);
  vscode.window.setStatusBarMessage(vscode.l10n.t('$(key) Keysmith: copied a new {0} to the clipboard', getFormat(id).label), 5000);
}

import * as vscode from 'vscode';
import { notifyChanged } from './notify.ts';
import { nodeAt, parseEnv, removeEntryEdits, setValueEdits, winningEntry, type EnvDocument } from '../core/envdoc.ts';
import { hiddenKeys } from '../core/leakguard.ts';
import { basename } from '../core/envfiles.ts';
import { getFormat, isFormatId } from '../core/formats.ts';
import { estimateStrength } from '../core/strength.ts';
import { detectProvider } from '../core/providers.ts';
import { isSecretName } from '../core/secrets.ts';
import { isUrlValue, urlCredentials } from '../core/urlcreds.ts';
import { READER_NAMES, readerFixEdit, type DetectedReader } from '../core/readers.ts';
import { CommandId } from './commandIds.ts';
import { readEnvSettings } from './envConfig.ts';
import { SOURCE, type EnvDiagnostics } from './diagnostics.ts';
import { ENV_GLOB, fileExists, openEnvDocument, toRange, toWorkspaceEdit } from './envDocuments.ts';
import { makeSecrets } from './generate.ts';
import type { GitAccess } from './git.ts';
import { ROTATE_ALL } from './rotate.ts';
import type { Services } from './services.ts';

export const ENV_SELECTOR: vscode.DocumentSelector = [
  { language: 'dotenv' },
  { pattern: ENV_GLOB },
];

/** Quick fixes for Keysmith's diagnostics. */
export class EnvCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly diagnostics: EnvDiagnostics;
  private readonly canUntrack: () => boolean;

  constructor(diagnostics: EnvDiagnostics, canUntrack: () => boolean) {
    this.diagnostics = diagnostics;
    this.canUntrack = canUntrack;
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const fixes = this.diagnostics.fixesFor(doc.uri);
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      const entry = fixes.find((f) => f.code === code && f.range.isEqual(d.range));
      if (!entry) continue;
      const fix = entry.fix;
      let action: vscode.CodeAction | undefined;
      switch (fix.kind) {
        case 'add-to-gitignore':
          action = new vscode.CodeAction(vscode.l10n.t('Add {0} to .gitignore', basename(doc.uri.path)), vscode.CodeActionKind.QuickFix);
          action.command = { command: CommandId.addToGitignore, title: action.title, arguments: [doc.uri] };
          action.isPreferred = true;
          break;
        case 'untrack': {
          // Its old contents stay in the history: the secrets it held need new values.
          const rotate = new vscode.CodeAction(vscode.l10n.t('Rotate every secret in this file…'), vscode.CodeActionKind.QuickFix);
          rotate.command = { command: CommandId.rotateSecret, title: rotate.title, arguments: [doc.uri, ROTATE_ALL] };
          rotate.diagnostics = [d];
          actions.push(rotate);
          if (!this.canUntrack()) break;
          action = new vscode.CodeAction(vscode.l10n.t('Stop tracking {0} (git rm --cached)…', basename(doc.uri.path)), vscode.CodeActionKind.QuickFix);
          action.command = { command: CommandId.untrackFile, title: action.title, arguments: [doc.uri] };
          break;
        }
        case 'regenerate':
          action = new vscode.CodeAction(vscode.l10n.t('Replace {0} with a new {1}', fix.key, getFormat(fix.format).label), vscode.CodeActionKind.QuickFix);
          action.command = { command: CommandId.regenerateValue, title: action.title, arguments: [doc.uri, fix.key, fix.format] };
          action.isPreferred = true;
          break;
        case 'remove-entry': {
          const model = parseEnv(doc.getText());
          const target = model.entries[fix.entryIndex];
          if (!target || target.key !== fix.key) break;
          action = new vscode.CodeAction(vscode.l10n.t('Remove this duplicate {0}', fix.key), vscode.CodeActionKind.QuickFix);
          action.edit = toWorkspaceEdit(doc, removeEntryEdits(model, target));
          action.isPreferred = true;
          break;
        }
        case 'populate':
          action = new vscode.CodeAction(vscode.l10n.t('Populate empty keys of {0}…', basename(doc.uri.path)), vscode.CodeActionKind.QuickFix);
          action.command = { command: CommandId.populateEmptyKeys, title: action.title, arguments: [doc.uri] };
          break;
        case 'regenerate-url-password':
          action = new vscode.CodeAction(vscode.l10n.t('Replace the password in {0} with a new random one', fix.key), vscode.CodeActionKind.QuickFix);
          action.command = { command: CommandId.regenerateValue, title: action.title, arguments: [doc.uri, fix.key, 'base64url', 'url-password'] };
          action.isPreferred = true;
          break;
        case 'rename-key': {
          const model = parseEnv(doc.getText());
          const targets = model.entries.filter((e) => e.key === fix.key);
          // Offered only when the server-side name is free: merging two definitions is the user's call.
          if (targets.length === 0 || model.entries.some((e) => e.key === fix.newKey)) break;
          action = new vscode.CodeAction(vscode.l10n.t('Rename to {0} (server-only: drop the client prefix)', fix.newKey), vscode.CodeActionKind.QuickFix);
          const edit = new vscode.WorkspaceEdit();
          for (const t of targets) edit.replace(doc.uri, toRange(doc, t.keyStart, t.keyEnd), fix.newKey);
          action.edit = edit;
          break;
        }
        case 'quote-value': {
          const model = parseEnv(doc.getText());
          const target = model.entries[fix.entryIndex];
          if (!target || target.key !== fix.key) break;
          const edit = readerFixEdit(model, target, entry.readers);
          if (!edit) break;
          action = new vscode.CodeAction(
            edit.newText.startsWith('""')
              ? vscode.l10n.t('Write "" before the comment of {0}', fix.key)
              : vscode.l10n.t("Quote {0}'s value so every reader reads it as written", fix.key),
            vscode.CodeActionKind.QuickFix,
          );
          action.edit = toWorkspaceEdit(doc, [edit]);
          action.isPreferred = d.severity !== vscode.DiagnosticSeverity.Hint;
          break;
        }
        case 'sync-example':
          action = new vscode.CodeAction(vscode.l10n.t('Sync .env.example'), vscode.CodeActionKind.QuickFix);
          action.command = { command: CommandId.syncExample, title: action.title, arguments: [doc.uri] };
          break;
      }
      if (action) {
        action.diagnostics = [d];
        actions.push(action);
      }
    }
    return actions;
  }
}

/** Strength and detected shape of the value under the cursor; never the value itself. */
export class EnvHover implements vscode.HoverProvider {
  private readonly cached: (doc: vscode.TextDocument) => EnvDocument | undefined;
  private last: { uri: string; version: number; model: EnvDocument } | undefined;
  /** Parses done by the hover itself (observable for tests): none while the diagnostics keep a model. */
  parses = 0;

  private readonly readers: (uri: vscode.Uri) => Promise<readonly DetectedReader[]>;

  /**
   * @param cached the model the diagnostics keep for an open document, at its current version.
   * @param readers the readers of a .env file besides node dotenv (src/extension/readers.ts).
   */
  constructor(cached: (doc: vscode.TextDocument) => EnvDocument | undefined = () => undefined, readers: (uri: vscode.Uri) => Promise<readonly DetectedReader[]> = async () => []) {
    this.cached = cached;
    this.readers = readers;
  }

  private modelOf(doc: vscode.TextDocument): EnvDocument {
    const kept = this.cached(doc);
    if (kept) return kept;
    const uri = doc.uri.toString();
    if (this.last && this.last.uri === uri && this.last.version === doc.version) return this.last.model;
    this.parses++;
    const model = parseEnv(doc.getText());
    this.last = { uri, version: doc.version, model };
    return model;
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const readers = await this.readers(doc.uri);
    const offset = doc.offsetAt(pos);
    const model = this.modelOf(doc);
    const node = nodeAt(model, offset) ?? (offset > 0 ? nodeAt(model, offset - 1) : undefined);
    const entry = node?.type === 'entry' && offset >= node.valueStart && offset <= node.valueEnd && node.valueEnd > node.valueStart ? node : undefined;
    // A key name that is key material (a line of an unquoted PEM block) is never shown.
    if (!entry || hiddenKeys(model).entries.has(entry.index)) return undefined;
    const settings = readEnvSettings(doc.uri);
    const secret = isSecretName(entry.key, settings.secretNamePatterns);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Keysmith** · \`${entry.key}\`\n\n`);
    const provider = detectProvider(entry.value);
    if (provider) {
      md.appendMarkdown(
        `${provider.publicByDesign ? vscode.l10n.t('Has the shape of {0} (public by design).', provider.description) : vscode.l10n.t('Has the shape of **{0}**: keep it out of git, example files and client code.', provider.description)}  \n`,
      );
    }
    const cred = entry.value.indexOf('://') >= 0 ? urlCredentials(entry.value) : undefined;
    if (cred) {
      // The password is what guards the URL: rate it, not the whole URL.
      const s = estimateStrength(cred.password, { placeholders: settings.placeholders });
      md.appendMarkdown(`${s.bits < 128 ? vscode.l10n.t('Password in the URL: **{0} bits** (under 128)', Math.floor(s.bits)) : vscode.l10n.t('Password in the URL: **{0} bits**', Math.floor(s.bits))}  \n`);
      md.appendMarkdown(vscode.l10n.t('Looks like: {0}, {1} characters from an alphabet of about {2}', s.detected, s.length, s.alphabet));
      for (const note of s.notes) md.appendMarkdown(`  \n_${note}_`);
    } else if (isUrlValue(entry.value)) {
      md.appendMarkdown(vscode.l10n.t('A URL without credentials: not a secret.'));
    } else {
      const s = estimateStrength(entry.value, { placeholders: settings.placeholders });
      md.appendMarkdown(`${s.bits < 128 && secret ? vscode.l10n.t('Estimated strength: **{0} bits** (under 128)', Math.floor(s.bits)) : vscode.l10n.t('Estimated strength: **{0} bits**', Math.floor(s.bits))}  \n`);
      md.appendMarkdown(`${vscode.l10n.t('Looks like: {0}, {1} characters from an alphabet of about {2}', s.detected, s.length, s.alphabet)}  \n`);
      md.appendMarkdown(secret ? vscode.l10n.t('The name marks a secret.') : vscode.l10n.t('The name does not mark a secret.'));
      for (const note of s.notes) md.appendMarkdown(`  \n_${note}_`);
    }
    md.appendMarkdown(`\n\n${readersLine(readers)}`);
    return new vscode.Hover(md, toRange(doc, entry.valueStart, entry.valueEnd));
  }
}

/** "Read by: node dotenv, dotenv-expand (package.json depends on next), …" for the hover. */
function readersLine(readers: readonly DetectedReader[]): string {
  const md = (s: string) => s.replace(/[\\`*_[\]|<>#]/g, '\\$&');
  const others = readers.filter((r) => r.id !== 'dotenv');
  if (others.length === 0) {
    return readers.length > 0 ? vscode.l10n.t('Read by: node dotenv (`keysmith.readers`)') : vscode.l10n.t('Read by: node dotenv (no other reader detected in this folder)');
  }
  const list = others.map((r) => (r.because === 'keysmith.readers' ? md(READER_NAMES[r.id]) : `${md(READER_NAMES[r.id])} (${md(r.because)})`)).join(', ');
  return others.some((r) => r.because === 'keysmith.readers')
    ? vscode.l10n.t('Read by: node dotenv, {0} (`keysmith.readers`)', list)
    : vscode.l10n.t('Read by: node dotenv, {0}', list);
}

/** The nearest existing .gitignore from the file's folder up to its workspace folder, or a new one there. */
async function nearestGitignore(uri: vscode.Uri): Promise<{ gitignore: vscode.Uri; exists: boolean; pattern: string }> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  let dir = vscode.Uri.joinPath(uri, '..');
  const parts: string[] = [basename(uri.path)];
  // A file beside the .gitignore is named bare (conventional `.env`); a deeper one by its anchored path.
  const pattern = () => (parts.length === 1 ? parts[0]! : '/' + parts.join('/'));
  for (let i = 0; i < 64; i++) {
    const candidate = vscode.Uri.joinPath(dir, '.gitignore');
    if (await fileExists(candidate)) return { gitignore: candidate, exists: true, pattern: pattern() };
    if ((await fileExists(vscode.Uri.joinPath(dir, '.git'))) || !folder || dir.path === folder.uri.path || dir.path === '/') break;
    parts.unshift(basename(dir.path));
    dir = vscode.Uri.joinPath(dir, '..');
  }
  return { gitignore: vscode.Uri.joinPath(dir, '.gitignore'), exists: false, pattern: pattern() };
}

export async function addToGitignore(services: Services, uri: vscode.Uri, diagnostics: EnvDiagnostics): Promise<void> {
  const { gitignore, exists, pattern } = await nearestGitignore(uri);
  const edit = new vscode.WorkspaceEdit();
  let wasDirty = false;
  if (exists) {
    const doc = await vscode.workspace.openTextDocument(gitignore);
    wasDirty = doc.isDirty;
    const text = doc.getText();
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const needsBreak = text.length > 0 && !text.endsWith('\n');
    edit.insert(gitignore, doc.positionAt(text.length), `${needsBreak ? eol : ''}${pattern}${eol}`);
  } else {
    edit.createFile(gitignore, { ignoreIfExists: true });
    edit.insert(gitignore, new vscode.Position(0, 0), `${pattern}\n`);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('Could not edit {0}.', vscode.workspace.asRelativePath(gitignore)));
  const doc = await vscode.workspace.openTextDocument(gitignore);
  if (!wasDirty) await doc.save();
  services.log.info(`added ${pattern} to ${vscode.workspace.asRelativePath(gitignore)}`);
  notifyChanged(exists ? vscode.l10n.t('added {0} to {1}.', pattern, vscode.workspace.asRelativePath(gitignore)) : vscode.l10n.t('added {0} to {1} (new file).', pattern, vscode.workspace.asRelativePath(gitignore)), gitignore);
  diagnostics.refreshAll(true);
}

export async function untrackFile(services: Services, uri: vscode.Uri, git: GitAccess, diagnostics: EnvDiagnostics): Promise<void> {
  if (!vscode.workspace.isTrusted || !git.untrack) throw new Error(vscode.l10n.t('Stopping tracking runs git, which Keysmith only does in a trusted workspace.'));
  const rel = vscode.workspace.asRelativePath(uri);
  const stop = vscode.l10n.t('Stop Tracking');
  const choice = await services.prompts.confirm(
    vscode.l10n.t('Stop tracking {0}?', rel),
    vscode.l10n.t('This runs "git rm --cached {0}": the file stays on disk, and your next commit removes it from the repository. Its old contents stay in the history, so rotate any secrets it held.', basename(uri.path)),
    stop,
  );
  if (choice !== stop) return;
  await git.untrack(uri);
  services.log.info(`git rm --cached ${rel}`);
  diagnostics.refreshAll(true);
}

/**
 * Replaces `key`'s value with a fresh secret, or with `part` 'url-password' only the password of
 * its `scheme://user:password@host` URL (the rest of the URL kept; base64url needs no encoding).
 */
export async function regenerateValue(services: Services, uri: vscode.Uri, key: string, format: string, part?: string): Promise<void> {
  if (!isFormatId(format)) throw new Error(vscode.l10n.t('Unknown format {0}.', format));
  const doc = await openEnvDocument(uri);
  const model = parseEnv(doc.getText());
  const entry = winningEntry(model, key);
  if (!entry) throw new Error(vscode.l10n.t('{0} is no longer in {1}.', key, vscode.workspace.asRelativePath(uri)));
  const [secret] = await makeSecrets(services, format, 1, uri, 'env');
  let value = secret!;
  if (part === 'url-password') {
    const cred = urlCredentials(entry.value);
    if (!cred) throw new Error(vscode.l10n.t('{0} no longer holds a URL with a password.', key));
    value = entry.value.slice(0, cred.start) + secret! + entry.value.slice(cred.end);
  }
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(doc, setValueEdits(model, entry, value))))) {
    throw new Error(vscode.l10n.t('Could not edit {0}.', vscode.workspace.asRelativePath(uri)));
  }
  services.log.info(`regenerated ${key} (${format}) in ${vscode.workspace.asRelativePath(uri)}`);
}


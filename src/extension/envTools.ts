/**
 * Keysmith's .env machinery: the document model, rules, git access, diagnostics, quick fixes,
 * hover and the .env commands. The Node build bundles this separately (dist/envTools.js) and loads
 * it on first need, so that generating a secret in a workspace without .env files never loads it.
 */
import * as vscode from 'vscode';
import { CommandId, type EnvCommandId } from './commandIds.ts';
import { setConfigLog } from './config.ts';
import { EnvDiagnostics, type DiagnosticStats } from './diagnostics.ts';
import { addSecretToEnv } from './envCommands.ts';
import { registerSyncOnSave, syncExampleCommand } from './example.ts';
import { ENV_SELECTOR, EnvCodeActions, EnvHover, addToGitignore, regenerateValue, untrackFile } from './fixes.ts';
import { MatcherGit, type GitAccess } from './git.ts';
import type { Platform } from './platform.ts';
import { scanEnvFiles } from './envDocuments.ts';
import { ReaderDetection } from './readers.ts';
import { populateEmptyKeys } from './populate.ts';
import { RotateCodeActions, rotateSecret } from './rotate.ts';
import type { Services } from './services.ts';

export interface EnvTools {
  run(id: EnvCommandId, args: readonly unknown[]): Promise<unknown>;
  gitKind(): 'process' | 'matcher';
  diagnosticStats(uri?: vscode.Uri): DiagnosticStats;
  whenAnalysed(uri: vscode.Uri, after?: number): Promise<void>;
  whenScanned(after?: number): Promise<void>;
}

function requireUri(u: unknown): vscode.Uri {
  if (u instanceof vscode.Uri) return u;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active) return active;
  throw new Error(vscode.l10n.t('Open a .env file first.'));
}

const optionalUri = (u: unknown) => (u instanceof vscode.Uri ? u : undefined);

export interface StartInfo {
  /** When activate() ran (Date.now()), for the timing lines in the log. */
  activatedAt: number;
  /** The workspace's .env files, when activation already searched for them. */
  found?: Promise<{ files: vscode.Uri[]; truncated: boolean }> | undefined;
}

export function startEnvTools(context: vscode.ExtensionContext, services: Services, platform: Platform, start?: StartInfo): EnvTools {
  const log = services.log;
  setConfigLog(log);
  const activatedAt = start?.activatedAt ?? Date.now();
  log.info(`.env tools loaded ${Date.now() - activatedAt} ms after activation`);
  // Git: a git process only in a trusted workspace on the Node host; otherwise .gitignore matching
  // with no process at all.
  const matcherNote = !platform.processGit
    ? 'tracking could not be checked: git is not available here'
    : 'tracking could not be checked: Keysmith does not run git in Restricted Mode';
  let git: GitAccess = new MatcherGit(matcherNote);
  const readers = new ReaderDetection(log);
  const diagnostics = new EnvDiagnostics(context, log, () => git, activatedAt, readers);
  const chooseGit = async () => {
    if (!vscode.workspace.isTrusted || !platform.processGit) return;
    if (await platform.processGit.available()) git = platform.processGit.create(log);
    else git = new MatcherGit('tracking could not be checked: git is not installed');
    log.info(`git access: ${git.kind}`);
    diagnostics.setGit(() => git);
  };
  context.subscriptions.push(
    readers,
    diagnostics,
    vscode.workspace.onDidGrantWorkspaceTrust(() => void chooseGit()),
    vscode.languages.registerCodeActionsProvider(ENV_SELECTOR, new EnvCodeActions(diagnostics, () => vscode.workspace.isTrusted && git.kind === 'process'), EnvCodeActions.metadata),
    vscode.languages.registerCodeActionsProvider(ENV_SELECTOR, new RotateCodeActions(CommandId.rotateSecret), RotateCodeActions.metadata),
    vscode.languages.registerHoverProvider(ENV_SELECTOR, new EnvHover((d) => diagnostics.cachedModel(d), (u) => readers.readersFor(u))),
    registerSyncOnSave(services, diagnostics),
  );
  // The file search and the git check run side by side; the scan needs both.
  const found = start?.found ?? scanEnvFiles();
  void chooseGit().finally(() => diagnostics.scan(found));

  const handlers: Record<EnvCommandId, (args: readonly unknown[]) => Promise<unknown>> = {
    [CommandId.addSecretToEnv]: ([uri]) => addSecretToEnv(services, optionalUri(uri)),
    [CommandId.populateEmptyKeys]: ([uri]) => populateEmptyKeys(services, optionalUri(uri)),
    [CommandId.addToGitignore]: ([uri]) => addToGitignore(services, requireUri(uri), diagnostics),
    [CommandId.untrackFile]: ([uri]) => untrackFile(services, requireUri(uri), git, diagnostics),
    [CommandId.regenerateValue]: ([uri, key, format, part]) =>
      regenerateValue(services, requireUri(uri), String(key), String(format), typeof part === 'string' ? part : undefined),
    [CommandId.syncExample]: ([uri]) => syncExampleCommand(services, optionalUri(uri), diagnostics),
    [CommandId.rotateSecret]: ([uri, keys]) => rotateSecret(services, optionalUri(uri), keys),
  };
  log.info('.env tools started');
  return {
    run: (id, args) => handlers[id](args),
    gitKind: () => git.kind,
    diagnosticStats: (uri) => diagnostics.stats(uri),
    whenAnalysed: (uri, after) => diagnostics.whenIdle(uri, after),
    whenScanned: (after) => diagnostics.whenScanned(after),
  };
}

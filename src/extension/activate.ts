import * as vscode from 'vscode';
import { isKeysmithError } from '../core/errors.ts';
import { CommandId } from './commandIds.ts';
import { createLog } from './log.ts';
import { Services } from './services.ts';
import { vscodePrompts, type Prompts } from './prompts.ts';
import { readSettings } from './config.ts';
import { copySecret, insertSecrets, pickFormat } from './generate.ts';
import { addSecretToEnv } from './envCommands.ts';
import { populateEmptyKeys } from './populate.ts';
import { SkippedFileError } from './envDocuments.ts';
import { EnvDiagnostics } from './diagnostics.ts';
import { ENV_SELECTOR, EnvCodeActions, EnvHover, addToGitignore, regenerateValue, untrackFile } from './fixes.ts';
import { MatcherGit, type GitAccess } from './git.ts';
import type { Platform } from './platform.ts';
import { registerSyncOnSave, syncExampleCommand } from './example.ts';

function requireUri(u: unknown): vscode.Uri {
  if (u instanceof vscode.Uri) return u;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active) return active;
  throw new Error('Open a .env file first.');
}

/** What activate() returns in test mode only: the prompt seam and read-only probes for integration tests. */
export interface KeysmithTestApi {
  setPrompts(prompts: Prompts | undefined): void;
  /** Which git access is in use: a git process (trusted) or the .gitignore matcher. */
  gitKind(): 'process' | 'matcher';
  /** Analyses started and stale results dropped by the diagnostics scheduler. */
  diagnosticStats(): { started: number; dropped: number };
  /** Fires when diagnostics for a file were published. */
  onDidPublishDiagnostics: vscode.Event<vscode.Uri>;
}

/** Shows an error raised by a command. Messages from src/core never contain secret values. */
function report(services: Services, command: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof SkippedFileError) {
    services.log.info(`${command}: ${message}`);
    void vscode.window.showInformationMessage(`Keysmith: ${message}`);
    return;
  }
  services.log.error(`${command}: ${message}`);
  if (isKeysmithError(e) && (e.code === 'weak-size' || e.code === 'bad-option')) {
    // Not awaited: the command finishes while the notification waits for the user.
    const open = 'Open Settings';
    void vscode.window.showErrorMessage(`Keysmith: ${message} Change Keysmith's settings to continue.`, open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'keysmith');
    });
    return;
  }
  void vscode.window.showErrorMessage(`Keysmith: ${message}`);
}

export function activateKeysmith(context: vscode.ExtensionContext, platform: Platform): KeysmithTestApi | undefined {
  const log = createLog(context);
  const services = new Services(context, log);

  // Git: a git process only in a trusted workspace on the Node host; otherwise .gitignore matching
  // with no process at all.
  const matcherNote = !platform.processGit
    ? 'tracking could not be checked: git is not available here'
    : 'tracking could not be checked: Keysmith does not run git in Restricted Mode';
  let git: GitAccess = new MatcherGit(matcherNote);
  const diagnostics = new EnvDiagnostics(context, log, () => git);
  context.subscriptions.push(diagnostics);
  const chooseGit = async () => {
    if (!vscode.workspace.isTrusted || !platform.processGit) return;
    if (await platform.processGit.available()) git = platform.processGit.create(log);
    else git = new MatcherGit('tracking could not be checked: git is not installed');
    log.info(`git access: ${git.kind}`);
    diagnostics.setGit(() => git);
  };
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void chooseGit()),
    vscode.languages.registerCodeActionsProvider(ENV_SELECTOR, new EnvCodeActions(diagnostics, () => vscode.workspace.isTrusted && git.kind === 'process'), EnvCodeActions.metadata),
    vscode.languages.registerHoverProvider(ENV_SELECTOR, new EnvHover()),
    registerSyncOnSave(services, diagnostics),
  );
  void chooseGit().finally(() => diagnostics.scan());

  const register = (id: CommandId, handler: (...args: unknown[]) => Promise<unknown>) => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (e) {
          report(services, id, e);
          return undefined;
        }
      }),
    );
  };

  const generate = async (lastFormat: boolean) => {
    const editor = vscode.window.activeTextEditor;
    const scope = editor?.document.uri;
    const id = lastFormat
      ? services.recentFormats()[0] ?? readSettings(scope).defaultFormat
      : await pickFormat(services, scope, 'Generate Secret Key');
    if (!id) return;
    if (!editor) {
      await copySecret(services, id, scope);
      void vscode.window.showInformationMessage('Keysmith: no editor is open, so the new secret was copied to the clipboard.');
      return;
    }
    await insertSecrets(services, editor, id);
  };

  register(CommandId.generateSecret, () => generate(false));
  register(CommandId.generateSecretLastFormat, () => generate(true));
  register(CommandId.copySecret, async () => {
    const scope = vscode.window.activeTextEditor?.document.uri;
    const id = await pickFormat(services, scope, 'Copy Secret Key to Clipboard');
    if (id) await copySecret(services, id, scope);
  });
  register(CommandId.addSecretToEnv, (uri) => addSecretToEnv(services, uri instanceof vscode.Uri ? uri : undefined));
  register(CommandId.populateEmptyKeys, (uri) => populateEmptyKeys(services, uri instanceof vscode.Uri ? uri : undefined));
  register(CommandId.addToGitignore, (uri) => addToGitignore(services, requireUri(uri), diagnostics));
  register(CommandId.untrackFile, (uri) => untrackFile(services, requireUri(uri), git, diagnostics));
  register(CommandId.regenerateValue, (uri, key, format) => regenerateValue(services, requireUri(uri), String(key), String(format)));
  register(CommandId.syncExample, (uri) => syncExampleCommand(services, uri instanceof vscode.Uri ? uri : undefined, diagnostics));

  log.info('Keysmith activated');
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    return {
      setPrompts: (p) => { services.prompts = p ?? vscodePrompts; },
      gitKind: () => git.kind,
      diagnosticStats: () => diagnostics.stats(),
      onDidPublishDiagnostics: diagnostics.onDidPublish,
    };
  }
  return undefined;
}

import * as vscode from 'vscode';
import { isKeysmithError } from '../core/errors.ts';
import { CommandId, ENV_COMMANDS } from './commandIds.ts';
import { createLog } from './log.ts';
import { Services } from './services.ts';
import { vscodePrompts, type Prompts } from './prompts.ts';
import { readSettings, setConfigLog } from './config.ts';
import { copySecret, insertSecrets, pickFormat, suggestionAt } from './generate.ts';
import { SkippedFileError, isEnvDocument, scanEnvFiles } from './envDocuments.ts';
import type { Platform } from './platform.ts';
import type { EnvTools } from './envTools.ts';
import type { DiagnosticStats } from './diagnostics.ts';

/** What activate() returns in test mode only: the prompt seam and read-only probes for integration tests. */
export interface KeysmithTestApi {
  setPrompts(prompts: Prompts | undefined): void;
  /** Which git access is in use: a git process (trusted) or the .gitignore matcher. */
  gitKind(): Promise<'process' | 'matcher'>;
  /** Analyses started and stale results dropped by the diagnostics scheduler, git processes started, …; per file when given. */
  diagnosticStats(uri?: vscode.Uri): Promise<DiagnosticStats>;
  /**
   * Resolves once no analysis of the file is waiting for its debounce or running, and more than
   * `after` analyses of it have started (compare diagnosticStats(uri).startedForFile).
   */
  whenAnalysed(uri: vscode.Uri, after?: number): Promise<void>;
  /** Resolves when more than `after` workspace scans have finished. */
  whenScanned(after?: number): Promise<void>;
}

/** Shows an error raised by a command. Messages from src/core never contain secret values. */
function report(services: Services, command: string, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof SkippedFileError) {
    services.log.info(`${command}: ${message}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Keysmith: {0}', message));
    return;
  }
  services.log.error(`${command}: ${message}`);
  if (isKeysmithError(e) && (e.code === 'weak-size' || e.code === 'bad-option')) {
    // Not awaited: the command finishes while the notification waits for the user.
    const open = vscode.l10n.t('Open Settings');
    void vscode.window.showErrorMessage(vscode.l10n.t('Keysmith: {0} Change Keysmith\'s settings to continue.', message), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'keysmith');
    });
    return;
  }
  void vscode.window.showErrorMessage(vscode.l10n.t('Keysmith: {0}', message));
}

export function activateKeysmith(context: vscode.ExtensionContext, platform: Platform): KeysmithTestApi | undefined {
  const log = createLog(context);
  const services = new Services(context, log);
  setConfigLog(log);

  // The .env tools load on first need: now if the workspace has .env files, else when one is
  // opened or a .env command runs.
  // The search that decides it is the one the first scan needs, so it runs once, not twice.
  const activatedAt = Date.now();
  let tools: Promise<EnvTools> | undefined;
  const envTools = (found?: Promise<{ files: vscode.Uri[]; truncated: boolean }>): Promise<EnvTools> => {
    tools ??= platform.loadEnvTools().then((m) => m.startEnvTools(context, services, platform, { activatedAt, found }));
    return tools;
  };
  const startIfEnvFiles = async () => {
    const found = scanEnvFiles();
    if (vscode.workspace.textDocuments.some(isEnvDocument)) return void envTools(found);
    if ((await found).files.length > 0) void envTools(found);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((d) => { if (isEnvDocument(d)) void envTools(); }));
  void startIfEnvFiles();

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
      : await (async () => {
        const suggestion = editor ? await suggestionAt(editor) : undefined;
        return pickFormat(services, scope, vscode.l10n.t('Generate Secret Key'), suggestion?.format, 'code', suggestion?.key);
      })();
    if (!id) return;
    if (!editor) {
      await copySecret(services, id, scope);
      void vscode.window.showInformationMessage(vscode.l10n.t('Keysmith: no editor is open, so the new secret was copied to the clipboard.'));
      return;
    }
    await insertSecrets(services, editor, id);
  };

  register(CommandId.generateSecret, () => generate(false));
  register(CommandId.generateSecretLastFormat, () => generate(true));
  register(CommandId.copySecret, async () => {
    const scope = vscode.window.activeTextEditor?.document.uri;
    const id = await pickFormat(services, scope, vscode.l10n.t('Copy Secret Key to Clipboard'));
    if (id) await copySecret(services, id, scope);
  });
  for (const id of ENV_COMMANDS) register(id, async (...args) => (await envTools()).run(id, args));

  log.info('Keysmith activated');
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    return {
      setPrompts: (p) => { services.prompts = p ?? vscodePrompts; },
      gitKind: async () => (await envTools()).gitKind(),
      diagnosticStats: async (uri) => (await envTools()).diagnosticStats(uri),
      whenAnalysed: async (uri, after) => (await envTools()).whenAnalysed(uri, after),
      whenScanned: async (after) => (await envTools()).whenScanned(after),
    };
  }
  return undefined;
}

import * as vscode from 'vscode';
import type { FormatId } from '../core/formats.ts';
import { isFormatId } from '../core/formats.ts';
import { parseWordlist } from '../core/settings.ts';
import { vscodePrompts, type Prompts } from './prompts.ts';

const RECENT_KEY = 'keysmith.recentFormats';

/** What the command handlers share: prompts (the test seam), the log, the wordlist, recent formats. */
export class Services {
  prompts: Prompts = vscodePrompts;
  private wordlist: Promise<readonly string[]> | undefined;

  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;

  constructor(context: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    this.context = context;
    this.log = log;
  }

  /** The EFF wordlist, read from the extension's dist/ on first use (never at activation). */
  loadWordlist(): Promise<readonly string[]> {
    if (!this.wordlist) {
      const uri = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'eff_large_wordlist.txt');
      this.wordlist = Promise.resolve(vscode.workspace.fs.readFile(uri)).then((bytes) => parseWordlist(new TextDecoder().decode(bytes)));
      this.wordlist.catch(() => { this.wordlist = undefined; });
    }
    return this.wordlist;
  }

  /** Formats picked before, most recent first. Stored in the extension's global state, not in settings. */
  recentFormats(): FormatId[] {
    const raw = this.context.globalState.get<unknown>(RECENT_KEY);
    return Array.isArray(raw) ? raw.filter((x): x is FormatId => typeof x === 'string' && isFormatId(x)) : [];
  }

  async rememberFormat(id: FormatId): Promise<void> {
    const next = [id, ...this.recentFormats().filter((f) => f !== id)];
    await this.context.globalState.update(RECENT_KEY, next);
  }
}

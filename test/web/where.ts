// Where is this code running? Facts a web worker extension host has and a Node one does not.
import * as vscode from 'vscode';
import { config } from './config.ts';

export interface Where {
  process: string;
  require: string;
  importScripts: string;
  document: string;
  uiKind: 'Web' | 'Desktop';
  extensionKind: 'UI' | 'Workspace' | 'missing';
  remoteName: string | null;
  workspaceScheme: string | null;
  extensionScheme: string | null;
  vscodeVersion: string;
}

export function where(): Where {
  const g = globalThis as Record<string, unknown>;
  const ext = vscode.extensions.getExtension(config.extensionId);
  return {
    process: typeof g['process'],
    require: typeof g['require'],
    importScripts: typeof g['importScripts'],
    document: typeof g['document'],
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop',
    extensionKind: !ext ? 'missing' : ext.extensionKind === vscode.ExtensionKind.UI ? 'UI' : 'Workspace',
    remoteName: vscode.env.remoteName ?? null,
    workspaceScheme: vscode.workspace.workspaceFolders?.[0]?.uri.scheme ?? null,
    extensionScheme: ext?.extensionUri.scheme ?? null,
    vscodeVersion: vscode.version,
  };
}

/** True when every fact says: a browser web worker extension host, with the extension in it. */
export function isWebWorker(w: Where): boolean {
  return w.process === 'undefined' && w.require === 'undefined' && w.importScripts === 'function' && w.document === 'undefined' &&
    w.uiKind === 'Web' && w.extensionKind === 'UI';
}

import type * as vscode from 'vscode';
import type { Services } from './services.ts';
export async function addSecretToEnv(_services: Services, _uri: vscode.Uri | undefined): Promise<void> {
  throw new Error('not yet');
}

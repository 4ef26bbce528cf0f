import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { main, type CliEnv } from '../../../src/cli/main.ts';
import { Output } from '../../../src/cli/output.ts';

export const WORDLIST_FILE = fileURLToPath(new URL('../../../dist/eff_large_wordlist.txt', import.meta.url));

class Capture extends EventEmitter {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(argv: string[], env: Partial<CliEnv> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, new Output(stdout, stderr), { cwd: process.cwd(), wordlistFile: WORDLIST_FILE, ...env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Small file helpers for CLI commands. Error messages name files, never their contents. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseWordlist } from '../core/settings.ts';
import { UsageError } from './args.ts';

// Reading and writing .env files lives in fsio.ts (regular files only, size cap, safe writes).
export { InputError, readEnvText, writeFileSafely } from './fsio.ts';

/** The EFF wordlist shipped beside the bundled CLI, with a clear error when it is missing. */
export function loadWordlist(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`the EFF wordlist is missing (${file}); reinstall keysmith`);
  }
  return parseWordlist(text);
}

/** A .env in `dir` belongs to a Django project: manage.py in `dir` or its parent. */
export function isDjangoDir(dir: string): boolean {
  return existsSync(join(dir, 'manage.py')) || existsSync(join(dirname(dir), 'manage.py'));
}

import { basename, relative, sep } from 'node:path';

/**
 * A path as every command prints it: relative to the working directory (`../x/.env` outside it),
 * with `/` separators. The working directory itself shows as its own name.
 */
export function shownPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  const p = rel === '' ? basename(abs) : rel;
  return sep === '/' ? p : p.split(sep).join('/');
}

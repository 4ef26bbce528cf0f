/**
 * File access for CLI commands: reading .env files with clear errors, and atomic writes that keep
 * the file's mode. Error messages name files, never their contents.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseWordlist } from '../core/settings.ts';
import { DEFAULT_MAX_ENV_BYTES, decodeEnvBytes, encodeEnvText } from '../core/textio.ts';
import { UsageError } from './args.ts';

/** A file that cannot be used: reported with exit code 2. */
export class InputError extends UsageError {}

export interface ReadOptions {
  maxBytes?: number;
  /** Resolve to undefined instead of failing when the file does not exist. */
  allowMissing?: boolean;
}

function reason(e: unknown): string {
  const code = (e as { code?: string })?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'EROFS': return 'read-only file system';
    default: return code ?? 'cannot be read';
  }
}

/** Reads a .env-style text file (UTF-8, BOM kept in the text). */
export function readEnvText(path: string, options: ReadOptions & { allowMissing: true }): string | undefined;
export function readEnvText(path: string, options?: ReadOptions): string;
export function readEnvText(path: string, options: ReadOptions = {}): string | undefined {
  let bytes: Uint8Array;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${path}: is a directory, not a file`);
    const max = options.maxBytes ?? DEFAULT_MAX_ENV_BYTES;
    if (st.size > max) throw new InputError(`${path}: ${st.size} bytes is larger than the ${max}-byte limit for .env files`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as { code?: string })?.code === 'ENOENT' && options.allowMissing) return undefined;
    throw new InputError(`${path}: ${reason(e)}`);
  }
  const decoded = decodeEnvBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { maxBytes: options.maxBytes ?? DEFAULT_MAX_ENV_BYTES });
  if (!decoded.ok) throw new InputError(`${path}: ${decoded.error.message}`);
  return decoded.text;
}

/**
 * Writes `text` atomically: a temporary file in the same folder, fsync, then rename over the
 * target. The target's mode is kept (a new file gets `newMode`, 0600 by default: it holds secrets).
 * Either the old or the new content is on disk at every moment; a failure leaves the old file.
 */
export function writeFileAtomic(path: string, text: string, newMode = 0o600): void {
  let mode = newMode;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch (e) {
    if ((e as { code?: string })?.code !== 'ENOENT') throw new InputError(`${path}: ${reason(e)}`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.keysmith-${process.pid}-${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    const bytes = encodeEnvText(text);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already failing */ }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw new InputError(`${path}: cannot write (${reason(e)}); the file was left as it was`);
  }
}

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

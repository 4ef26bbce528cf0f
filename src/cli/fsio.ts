/**
 * File I/O at the edges, for every CLI command.
 *
 * Reading (`readRegularFile`, `readEnvText`): only regular files. The type is checked before
 * opening (lstat), the file is opened non-blocking so a FIFO swapped in meanwhile cannot hang
 * the open, the type is checked again on the open descriptor (fstat), and reading stops one byte
 * past the size limit whatever stat says (devices and /proc files report 0 bytes).
 *
 * Writing (`writeFileSafely`): the one writer for populate, sync-example and any later command.
 * It plans on the current content, writes a temporary file beside the real file (exclusive
 * create), keeps mode, owner and group, fsyncs, checks that what is on disk is still what was
 * read, renames, and fsyncs the folder. A symbolic link named by the user is written through.
 * Read-only files, read-only folders and files with several hard links are refused; nothing
 * changes and permissions are never altered. When the file changed after it was read, the
 * planner runs again on the new content (a few times) before giving up. Keysmith writers of the
 * same file take turns through a lock file beside it. Temporary and lock files are removed on
 * every error path and on SIGINT, SIGTERM and SIGHUP.
 *
 * Error messages name files, never their contents.
 */
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type BigIntStats,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { DEFAULT_MAX_ENV_BYTES, decodeEnvBytes, encodeEnvText } from '../core/textio.ts';
import { UsageError } from './args.ts';

/** A file that cannot be used: reported with exit code 2. */
export class InputError extends UsageError {}

/** The run was interrupted by a signal while writing; everything temporary was removed. */
export class InterruptedError extends InputError {
  readonly signal: NodeJS.Signals;
  constructor(path: string, signal: NodeJS.Signals) {
    super(`${path}: interrupted (${signal}); nothing written`);
    this.signal = signal;
  }
}

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOCTTY = constants.O_NOCTTY ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function errCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

function reason(e: unknown): string {
  const code = errCode(e);
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return code ?? (e instanceof Error ? e.message : 'cannot be read');
  }
}

/** What a non-regular file is, for messages. */
function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

function notRegular(path: string, st: Parameters<typeof kindOf>[0]): InputError {
  if (st.isDirectory()) return new InputError(`${path}: is a directory, not a file`);
  return new InputError(`${path}: not a regular file (${kindOf(st)}); Keysmith reads only regular files`);
}

function tooLarge(path: string, size: number | bigint | string, max: number): InputError {
  return new InputError(`${path}: ${size} bytes is larger than the ${max}-byte limit for .env files; it was not read`);
}

/** What was read, to tell later whether the file changed. */
export interface FileSnapshot {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** SHA-256 of the bytes read, hex. */
  hash: string;
}

export interface RegularFile {
  bytes: Uint8Array;
  /** fstat of the open file after reading. */
  stat: BigIntStats;
  snapshot: FileSnapshot;
}

export interface ReadOptions {
  /** Largest accepted file in bytes (default 5 MiB). */
  maxBytes?: number;
  /** Resolve to undefined instead of failing when the file does not exist. */
  allowMissing?: boolean;
  /**
   * Follow a symbolic link at `path` (default true: a path the user named). False for files found
   * on one's own (scans, the example beside a .env): a link is then refused.
   */
  followSymlinks?: boolean;
  /** Appended to the message when a link is refused (e.g. how to name it). */
  symlinkHint?: string;
  /** The file's name in messages (default: `path`). */
  label?: string;
}

function sameSnapshot(a: FileSnapshot, b: FileSnapshot): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.hash === b.hash;
}

const CHUNK = 64 * 1024;

/**
 * Reads a regular file, never blocking on a FIFO and never past `maxBytes` (+1 byte to notice).
 * Throws InputError with a message naming the file.
 */
export function readRegularFile(path: string, options: ReadOptions & { allowMissing: true }): RegularFile | undefined;
export function readRegularFile(path: string, options?: ReadOptions): RegularFile;
export function readRegularFile(path: string, options: ReadOptions = {}): RegularFile | undefined {
  const max = options.maxBytes ?? DEFAULT_MAX_ENV_BYTES;
  const shown = options.label ?? path;
  const follow = options.followSymlinks ?? true;
  let fd: number | undefined;
  try {
    // 1. The type, before opening anything: opening a FIFO or a device can block or have effects.
    let st = lstatSync(path);
    if (st.isSymbolicLink()) {
      if (!follow) throw new InputError(`${shown}: is a symbolic link, which Keysmith does not follow here${options.symlinkHint ? `; ${options.symlinkHint}` : ''}`);
      try {
        st = statSync(path);
      } catch (e) {
        if (errCode(e) === 'ENOENT') throw new InputError(`${shown}: is a symbolic link to a file that does not exist`);
        throw e;
      }
    }
    if (!st.isFile()) throw notRegular(shown, st);
    if (st.size > max) throw tooLarge(shown, st.size, max);
    // 2. Open without blocking (a FIFO swapped in since the lstat opens at once) and without
    //    following a link that was not followed above; then check the type of what was opened.
    fd = openSync(path, constants.O_RDONLY | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw notRegular(shown, opened);
    // 3. Read in chunks up to max + 1 bytes, whatever the size said.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buf = new Uint8Array(Math.min(CHUNK, max + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > max) throw tooLarge(shown, `more than ${max}`, max);
    }
    const stat = fstatSync(fd, { bigint: true });
    closeSync(fd);
    fd = undefined;
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      bytes.set(c, off);
      off += c.length;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    return { bytes, stat, snapshot: { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, hash } };
  } catch (e) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already failing */ }
    if (e instanceof UsageError) throw e;
    if (errCode(e) === 'ENOENT' && options.allowMissing) return undefined;
    if (errCode(e) === 'ELOOP' && !follow) throw new InputError(`${shown}: is a symbolic link, which Keysmith does not follow here${options.symlinkHint ? `; ${options.symlinkHint}` : ''}`);
    throw new InputError(`${shown}: ${reason(e)}`);
  }
}

function decode(path: string, bytes: Uint8Array, maxBytes: number | undefined): string {
  const decoded = decodeEnvBytes(bytes, { maxBytes: maxBytes ?? DEFAULT_MAX_ENV_BYTES });
  if (!decoded.ok) throw new InputError(`${path}: ${decoded.error.message}`);
  return decoded.text;
}

/** Reads a .env-style text file (UTF-8, BOM kept in the text). */
export function readEnvText(path: string, options: ReadOptions & { allowMissing: true }): string | undefined;
export function readEnvText(path: string, options?: ReadOptions): string;
export function readEnvText(path: string, options: ReadOptions = {}): string | undefined {
  const file = readRegularFile(path, options);
  return file === undefined ? undefined : decode(options.label ?? path, file.bytes, options.maxBytes);
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Computes the new content from the current one (undefined: the file does not exist yet).
 * Returns null (or the same text) when there is nothing to write. It may run more than once, on
 * newer content each time, when another program changes the file meanwhile; only the last run's
 * result is written, so keep what you report from the last call.
 */
export type WritePlanner = (current: string | undefined) => string | null;

export interface WriteOptions {
  /** Create the file when it does not exist (the planner then gets undefined). Default false. */
  create?: boolean;
  /** Exact mode of a file this creates (default 0600: .env files hold secrets). */
  newMode?: number;
  /** Largest file read, as for reading (default 5 MiB). */
  maxBytes?: number;
  /** Follow a symbolic link at `path` (default true: a path the user named). */
  followSymlinks?: boolean;
  /** Appended to the message when a link is refused. */
  symlinkHint?: string;
  /** The file's name in messages (default: `path`). */
  label?: string;
  /** How often to plan again when the file changed after it was read (default 4, so 5 plans). */
  retries?: number;
  /** How long to wait while another Keysmith process writes the same file (default 30 s). */
  lockTimeoutMs?: number;
  /**
   * Test seam: runs once the temporary file is complete, right before the file on disk is
   * compared with what was read. Another writer can act here; so can a signal.
   */
  beforeCommit?: (info: { target: string; temp: string; attempt: number }) => void | Promise<void>;
}

export interface WriteResult {
  /** False when the planner had nothing to change. */
  written: boolean;
  /** The file that was (or would have been) replaced: a symlink's target when `path` is a link. */
  target: string;
  /** How many times the planner ran. */
  plans: number;
}

const isRoot = (): boolean => typeof process.geteuid === 'function' && process.geteuid() === 0;

function modeString(mode: number | bigint): string {
  return '0' + (Number(mode) & 0o7777).toString(8).padStart(3, '0');
}

/**
 * Refuses a file the user cannot write. root passes every access() check, so for root the mode
 * bits decide: a file with no write bit at all (0444, 0400) is read-only for Keysmith too.
 */
function assertWritable(shown: string, target: string, st: { mode: number | bigint } | undefined): void {
  const dir = dirname(target);
  if (st !== undefined) {
    let writable: boolean;
    if (isRoot()) writable = (Number(st.mode) & 0o222) !== 0;
    else {
      try {
        accessSync(target, constants.W_OK);
        writable = true;
      } catch {
        writable = false;
      }
    }
    if (!writable) {
      throw new InputError(`${shown}: is read-only (mode ${modeString(st.mode)}); Keysmith never changes permissions, so nothing was written`);
    }
  }
  let dirOk: boolean;
  let dirMode = 0;
  try {
    dirMode = statSync(dir).mode;
    if (isRoot()) dirOk = (dirMode & 0o222) !== 0;
    else {
      accessSync(dir, constants.W_OK | constants.X_OK);
      dirOk = true;
    }
  } catch {
    dirOk = false;
  }
  if (!dirOk) {
    throw new InputError(`${shown}: its folder ${dir} is read-only${dirMode ? ` (mode ${modeString(dirMode)})` : ''}, so the file cannot be replaced safely; nothing was written`);
  }
}

/** Where the bytes go: the real file behind `path` (through a symlink when allowed). */
function resolveTarget(path: string, options: WriteOptions): { target: string; linked: boolean } {
  const shown = options.label ?? path;
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return { target: path, linked: false };
    throw new InputError(`${shown}: ${reason(e)}`);
  }
  if (!st.isSymbolicLink()) return { target: path, linked: false };
  if (options.followSymlinks === false) {
    throw new InputError(`${shown}: is a symbolic link, which Keysmith does not follow here${options.symlinkHint ? `; ${options.symlinkHint}` : ''}`);
  }
  try {
    return { target: realpathSync(path), linked: true };
  } catch (e) {
    if (errCode(e) === 'ENOENT') throw new InputError(`${shown}: is a symbolic link to a file that does not exist; nothing was written`);
    throw new InputError(`${shown}: ${reason(e)}`);
  }
}

function randomSuffix(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The temporary files and lock of one write: removed however the write ends. */
class Scratch {
  temp: string | undefined;
  lock: string | undefined;
  removeTemp(): void {
    if (this.temp === undefined) return;
    try { unlinkSync(this.temp); } catch { /* gone already */ }
    this.temp = undefined;
  }
  releaseLock(): void {
    if (this.lock === undefined) return;
    try { unlinkSync(this.lock); } catch { /* gone already */ }
    this.lock = undefined;
  }
  cleanup(): void {
    this.removeTemp();
    this.releaseLock();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Lets pending signal handlers run. */
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A lock older than this is stale whatever its pid says (pids get reused). */
const LOCK_STALE_MS = 120_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
}

/**
 * Takes `.NAME.keysmith.lock` beside the target (exclusive create, our pid inside). A lock whose
 * process is gone, or that is very old, is taken over.
 */
async function acquireLock(shown: string, target: string, scratch: Scratch, timeoutMs: number, interrupted: () => NodeJS.Signals | undefined): Promise<void> {
  const lock = join(dirname(target), `.${basename(target)}.keysmith.lock`);
  const deadline = Date.now() + timeoutMs;
  let holder = '';
  for (let round = 0; ; round++) {
    const sig = interrupted();
    if (sig) throw new InterruptedError(shown, sig);
    try {
      const fd = openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
      scratch.lock = lock;
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw new InputError(`${shown}: cannot create a lock file beside it (${reason(e)}); nothing was written`);
    }
    // Someone holds it: wait, unless they are gone.
    try {
      const st = lstatSync(lock);
      let pid = NaN;
      try {
        const f = readRegularFile(lock, { maxBytes: 64, followSymlinks: false });
        pid = Number.parseInt(new TextDecoder().decode(f.bytes), 10);
      } catch { /* unreadable or a link: judged by age only */ }
      holder = Number.isInteger(pid) && pid > 0 ? ` (pid ${pid})` : '';
      const age = Date.now() - st.mtimeMs;
      const stale = age > LOCK_STALE_MS || (Number.isInteger(pid) && pid > 0 ? !processAlive(pid) : age > 5_000);
      if (stale) {
        const again = lstatSync(lock);
        if (again.ino === st.ino) unlinkSync(lock);
        continue;
      }
    } catch (e) {
      if (errCode(e) === 'ENOENT') continue; // released meanwhile
    }
    if (Date.now() > deadline) {
      throw new InputError(`${shown}: another keysmith process${holder} is writing it (lock file ${lock}); nothing was written. Try again, or remove the lock file if no keysmith is running`);
    }
    await sleep(Math.min(10 + round * 5, 100) + (crypto.getRandomValues(new Uint8Array(1))[0]! % 16));
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    /* some file systems cannot fsync a folder; the rename is still atomic */
  } finally {
    if (fd !== undefined) try { closeSync(fd); } catch { /* ignore */ }
  }
}

/**
 * Creates the temporary file beside `target` with `bytes`, the owner, group and mode it must
 * end up with, and fsyncs it.
 */
function writeTemp(shown: string, target: string, bytes: Uint8Array, current: BigIntStats | undefined, newMode: number, scratch: Scratch): string {
  const dir = dirname(target);
  let fd: number;
  let temp: string;
  for (let i = 0; ; i++) {
    temp = join(dir, `.${basename(target)}.keysmith-${process.pid}-${randomSuffix()}.tmp`);
    try {
      fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
      scratch.temp = temp;
      break;
    } catch (e) {
      if (errCode(e) === 'EEXIST' && i < 8) continue;
      throw new InputError(`${shown}: cannot create a temporary file beside it (${reason(e)}); nothing was written`);
    }
  }
  try {
    writeAll(fd, bytes);
    if (current !== undefined) {
      const mine = fstatSync(fd);
      const uid = Number(current.uid);
      const gid = Number(current.gid);
      if (mine.uid !== uid || mine.gid !== gid) {
        try {
          fchownSync(fd, uid, gid);
        } catch (e) {
          throw new InputError(`${shown}: cannot keep its owner and group (uid ${uid}, gid ${gid}: ${reason(e)}), so nothing was written; run as its owner or as root`);
        }
      }
    }
    // After fchown, which clears set-id bits.
    fchmodSync(fd, current !== undefined ? Number(current.mode) & 0o7777 : newMode);
    fsyncSync(fd);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new InputError(`${shown}: cannot write (${reason(e)}); the file was left as it was`);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/** Re-reads the target: its snapshot, or null when it does not exist. */
function snapshotNow(target: string, maxBytes: number | undefined): FileSnapshot | null {
  try {
    const f = readRegularFile(target, { maxBytes, followSymlinks: false, allowMissing: true });
    return f === undefined ? null : f.snapshot;
  } catch {
    // Now a link, a FIFO, too large, unreadable: anything but what was read.
    return { dev: -1n, ino: -1n, size: -1n, mtimeNs: -1n, ctimeNs: -1n, hash: '' };
  }
}

function hardLinks(shown: string, nlink: number | bigint): InputError {
  return new InputError(`${shown}: has ${nlink} hard links; replacing it would leave the other names with the old content, so nothing was written (remove the other links, or edit it by hand)`);
}

/** The refusals that need no reading, made before anything (lock, temporary file) is created. */
function preflight(shown: string, target: string, options: WriteOptions): void {
  let st;
  try {
    st = statSync(target);
  } catch (e) {
    if (errCode(e) !== 'ENOENT') throw new InputError(`${shown}: ${reason(e)}`);
    if (!options.create) throw new InputError(`${shown}: no such file`);
  }
  if (st !== undefined) {
    if (!st.isFile()) throw notRegular(shown, st);
    if (st.nlink > 1) throw hardLinks(shown, st.nlink);
  }
  assertWritable(shown, target, st);
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Replaces the file at `path` with what `plan` makes of its current content, safely (see the
 * module comment). Throws InputError (exit 2) when it refuses or fails; the file is then as it
 * was and no temporary file is left. On SIGINT/SIGTERM/SIGHUP during the write it cleans up,
 * then re-raises the signal (so the process ends as interrupted) once no other handler wants it.
 */
export async function writeFileSafely(path: string, plan: WritePlanner, options: WriteOptions = {}): Promise<WriteResult> {
  const shown = options.label ?? path;
  const abs = resolve(path);
  const retries = options.retries ?? 4;
  const scratch = new Scratch();
  let caught: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    caught ??= sig;
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const interrupted = (): NodeJS.Signals | undefined => caught;
  const check = async (): Promise<void> => {
    await turn();
    if (caught) throw new InterruptedError(shown, caught);
  };
  let plans = 0;
  try {
    let target = resolveTarget(abs, options).target;
    preflight(shown, target, options);
    await acquireLock(shown, target, scratch, options.lockTimeoutMs ?? 30_000, interrupted);
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        await sleep(5 + attempt * 15);
        const again = resolveTarget(abs, options).target;
        if (again !== target) {
          // The link now points elsewhere: lock that file instead.
          scratch.releaseLock();
          target = again;
          await acquireLock(shown, target, scratch, options.lockTimeoutMs ?? 30_000, interrupted);
        }
      }
      await check();
      // Read and plan.
      const file = readRegularFile(target, { maxBytes: options.maxBytes, followSymlinks: false, allowMissing: true, label: shown });
      if (file === undefined && !options.create) throw new InputError(`${shown}: no such file`);
      if (file !== undefined && file.stat.nlink > 1n) {
        throw hardLinks(shown, file.stat.nlink);
      }
      assertWritable(shown, target, file?.stat);
      const current = file === undefined ? undefined : decode(shown, file.bytes, options.maxBytes);
      plans++;
      const next = plan(current);
      if (next === null || next === current) return { written: false, target, plans };

      // Write the replacement beside it.
      const temp = writeTemp(shown, target, encodeEnvText(next), file?.stat, options.newMode ?? 0o600, scratch);
      await options.beforeCommit?.({ target, temp, attempt });
      await check();

      // Still what was read? Then replace it; otherwise plan again on what is there now.
      // (The content check comes last, to keep the gap before the rename as short as it can be.)
      const sameLink = resolveTarget(abs, options).target === target;
      const now = snapshotNow(target, options.maxBytes);
      const unchanged = file === undefined ? now === null : now !== null && sameSnapshot(now, file.snapshot);
      if (!sameLink || !unchanged) {
        scratch.removeTemp();
        continue;
      }
      try {
        if (file === undefined) {
          // Create only if still absent: link() fails when a file appeared meanwhile.
          try {
            linkSync(temp, target);
            scratch.removeTemp();
          } catch (e) {
            if (errCode(e) === 'EEXIST') {
              scratch.removeTemp();
              continue;
            }
            renameSync(temp, target); // file systems without hard links
            scratch.temp = undefined;
          }
        } else {
          renameSync(temp, target);
          scratch.temp = undefined;
        }
      } catch (e) {
        throw new InputError(`${shown}: cannot replace it (${reason(e)}); the file was left as it was`);
      }
      fsyncDir(dirname(target));
      return { written: true, target, plans };
    }
    throw new InputError(`${shown}: changed while writing; nothing written (another program kept changing it; planned ${plans} times)`);
  } finally {
    scratch.cleanup();
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    if (caught !== undefined && process.listenerCount(caught) === 0) {
      // End as the signal would have ended us, now that nothing is left behind.
      process.kill(process.pid, caught);
    }
  }
}

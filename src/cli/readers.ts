/**
 * The readers of the .env files of a project folder for `keysmith check` (src/core/readers.ts):
 * its package.json, Python requirements, compose files and shell scripts, found by a bounded walk
 * (no symbolic links, no node_modules/.git/venvs) and read through the safe reader (regular
 * files only, size-capped).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { detectReaders, READER_FILE_MAX_BYTES, READER_IDS, READER_SKIP_DIRS, readerFileKind, type DetectedReader, type ProjectFile, type ReaderId } from '../core/readers.ts';
import { UsageError } from './args.ts';
import { readRegularFile } from './fsio.ts';

/** How deep below the project folder the walk looks, and how much it looks at. */
const MAX_DEPTH = 6;
const MAX_DIRS = 5000;
const MAX_FILES = 500;

/** `--readers a,b`: the ids (validated), or undefined when not given. */
export function parseReadersOption(raw: unknown): DetectedReader[] | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new UsageError('--readers needs a comma-separated list of readers');
  const ids: ReaderId[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(READER_IDS as readonly string[]).includes(part)) throw new UsageError(`--readers: unknown reader "${part}"; readers: ${READER_IDS.join(', ')}`);
    ids.push(part as ReaderId);
  }
  if (ids.length === 0) throw new UsageError(`--readers needs at least one of: ${READER_IDS.join(', ')}`);
  return READER_IDS.filter((id) => ids.includes(id)).map((id) => ({ id, because: '--readers' }));
}

/** The readers the files under `root` reveal (breadth first, so shallow files name the reason). */
export function detectReadersIn(root: string): DetectedReader[] {
  const files: ProjectFile[] = [];
  let queue: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];
  let dirs = 0;
  for (let depth = 0; depth <= MAX_DEPTH && queue.length > 0 && files.length < MAX_FILES; depth++) {
    const next: { abs: string; rel: string }[] = [];
    for (const dir of queue) {
      if (++dirs > MAX_DIRS || files.length >= MAX_FILES) break;
      let entries;
      try {
        entries = readdirSync(dir.abs, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const ent of entries) {
        const rel = dir.rel === '' ? ent.name : `${dir.rel}/${ent.name}`;
        if (ent.isDirectory()) {
          if (!READER_SKIP_DIRS.has(ent.name)) next.push({ abs: join(dir.abs, ent.name), rel });
        } else if (ent.isFile() && readerFileKind(rel) !== undefined) {
          try {
            const { bytes } = readRegularFile(join(dir.abs, ent.name), { maxBytes: READER_FILE_MAX_BYTES, followSymlinks: false });
            files.push({ path: rel, text: new TextDecoder().decode(bytes) });
          } catch {
            // unreadable, too large or not a regular file: it reveals nothing
          }
        }
      }
    }
    queue = next;
  }
  return detectReaders(files);
}

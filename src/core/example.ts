/**
 * `.env.example` sync: an example file that lists every key of `.env` with a value that shows its
 * kind but never its content.
 *
 * ## What `syncExample(source, example)` writes
 *
 * - **Keys**: every key of `.env` once, in `.env`'s order (where it first appears; the value is
 *   the one dotenv uses, the last). `__proto__` (which dotenv drops) is left out.
 * - **Keys the example already has** keep their example line exactly as it is: value, quoting,
 *   `export`, indentation and inline comment.
 * - **New keys** are written `KEY=<example value>` (see `./example/values.ts` for the value
 *   table), with `export ` when `.env` has it and `.env`'s inline comment.
 * - **Layout follows `.env`**, segment by segment. Each key owns its *block* (the comment lines
 *   directly above it, no blank line between) and its *gap* (the blank/comment lines between the
 *   previous key and that block). For each key of `.env`:
 *     - block: the example's block for the key if it has one, else `.env`'s;
 *     - gap: the example's gap before the key if it holds any comment (e.g. a section header
 *       written there by hand), else `.env`'s;
 *   The file header (free lines before the first key) and the trailer (after the last key) are
 *   the example's when they hold a comment, else `.env`'s. A comment left right above a key by
 *   these choices gets a blank line after it, so it stays a header and never becomes the key's
 *   block (this keeps sync idempotent).
 * - **Keys only in the example** (`extra`) stay, with their own block and gap, right after the
 *   nearest key above them in the example that `.env` also has (or at the top, after the header,
 *   when there is none). With `removeExtra` they are deleted with their block (`removed`); the
 *   free lines before them stay. Nothing is dropped without being reported.
 * - **Duplicates**: a key the example defines several times keeps the occurrence dotenv uses (the
 *   last); the others go, with their blocks (they had no effect).
 * - **Nothing from `.env` leaks** (the leak guard, `./leakguard.ts`, decides; see there):
 *   values are replaced by fakes unless provably not secret; lines of `.env` that dotenv cannot
 *   read are left out; commented-out assignments (`# API_KEY=…`) get example values; inline
 *   comments after secrets (or glued to a value by `#`) are never copied; comment lines and other
 *   inline comments are copied only when they hold nothing credential-like and no piece of a
 *   hidden value (withheld ones are counted in `withheldComments` and `skipped`); keys whose names
 *   look like key material (lines of an unquoted PEM block) are left out and counted in
 *   `hiddenKeys`. A last gate scans the whole result (runs can straddle a line break) and
 *   withholds what fails, by key (`withheld`).
 * - **Conventions**: line ending, BOM and final newline of the example when it exists and has
 *   them, else those of `.env`. Line breaks are written in one style (the file's dominant one).
 * - **Idempotent**: syncing the result again returns the same text with `changed: false`.
 * - The result is checked by parsing it back: it must read as exactly the planned keys and
 *   values. If moved example lines would read differently (an unclosed quote whose meaning
 *   depends on later lines, a line dotenv ignores), those lines are rewritten or left out.
 *
 * ## File names
 *
 * `exampleNameFor` maps every `.env` variant (`.env`, `.env.local`, `.env.production`,
 * `prod.env` …) to the one configured example name beside it (default `.env.example`): a project
 * has one template; example files themselves map to nothing.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { parseEnv } from './envdoc.ts';
import { isExampleEnvFileName } from './envfiles.ts';
import { hiddenKeys } from './leakguard.ts';

export { syncExample } from './example/sync.ts';
export type { SyncExampleOptions, SyncExampleResult } from './example/sync.ts';
export {
  GENERATE_TOKEN,
  KEEP_TOKEN,
  encodeExampleValue,
  exampleValue,
  parseExampleRules,
  secretPlaceholder,
} from './example/values.ts';
export type { ExampleRule, ExampleValue, ExampleValueKind, ExampleValueOptions } from './example/values.ts';

export interface KeyLine {
  key: string;
  /** 0-based editor line of the key's first definition, in its own file. */
  line: number;
}

export interface ExampleDrift {
  /** Keys of `.env` the example lacks (`.env` order, lines in `.env`). */
  missingInExample: KeyLine[];
  /** Keys of the example `.env` lacks (example order, lines in the example). */
  extraInExample: KeyLine[];
  /**
   * Keys of the example whose names look like key material (see src/core/leakguard.ts): never
   * listed by name; syncExample removes them. `.env`'s such keys are not compared at all.
   */
  hiddenInExample: number;
}

function firstLines(text: string, skipProto: boolean, hidden: Set<string>): Map<string, number> {
  const out = new Map<string, number>();
  const doc = parseEnv(text);
  const h = hiddenKeys(doc);
  for (const e of doc.entries) {
    if (skipProto && e.key === '__proto__') continue;
    if (h.entries.has(e.index)) {
      hidden.add(e.key);
      continue;
    }
    if (!out.has(e.key)) out.set(e.key, e.line);
  }
  return out;
}

/**
 * Which keys differ between `.env` and its example (the key sets `syncExample` reports as
 * `added` and `extra`/`removed`). An undefined example lacks every key.
 */
export function exampleDrift(sourceText: string, exampleText: string | undefined): ExampleDrift {
  const srcHidden = new Set<string>();
  const exHidden = new Set<string>();
  const src = firstLines(sourceText, true, srcHidden);
  const ex = exampleText === undefined ? new Map<string, number>() : firstLines(exampleText, false, exHidden);
  const missingInExample: KeyLine[] = [];
  const extraInExample: KeyLine[] = [];
  for (const [key, line] of src) if (!ex.has(key) && !exHidden.has(key)) missingInExample.push({ key, line });
  for (const [key, line] of ex) {
    if (srcHidden.has(key)) exHidden.add(key);
    else if (!src.has(key)) extraInExample.push({ key, line });
  }
  return { missingInExample, extraInExample, hiddenInExample: exHidden.size };
}

/**
 * The example file name for a `.env` file named `sourceBasename`: `configuredName` beside it for
 * every variant (`.env`, `.env.local`, `.env.production`, `app.env` …), or undefined when the
 * file is itself an example/template (`.env.example`, `.env.sample`, `.env.template`,
 * `example.env` …, or `configuredName`).
 */
export function exampleNameFor(sourceBasename: string, configuredName = '.env.example'): string | undefined {
  if (sourceBasename === configuredName || isExampleEnvFileName(sourceBasename)) return undefined;
  return configuredName;
}

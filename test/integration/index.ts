// Test entry point loaded by VS Code's extension host (extensionTestsPath = out/test/integration/index).
// Runs mocha (BDD: describe/it) over the compiled *.test.js files and writes a result JSON to
// $KEYSMITH_TEST_RESULTS. Environment (passed via the payload's extensionEnvironment):
//   KEYSMITH_TEST_FILES    JSON array of compiled test files (absolute, or relative to this folder);
//                          default: every *.test.js below this folder
//   KEYSMITH_TEST_RESULTS  where to write {passed, failed, pending, failures:[{title, message}]}
//   KEYSMITH_TEST_TIMEOUT  per-test timeout in ms (default 120000)
//   KEYSMITH_TEST_GREP     only run tests whose full title matches this regular expression
//   KEYSMITH_TEST_COLOR    "1" for coloured reporter output
import Mocha from 'mocha';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Failure { title: string; message: string; stack?: string }
interface Results { passed: number; failed: number; pending: number; durationMs: number; failures: Failure[] }

// Everything logged through `console` from here on (mocha's reporter, the tests, the extension)
// reaches the runner via codeAutomationLog mixed with the workbench's own log lines. A leading
// invisible marker (U+2063 or U+2064) lets the runner tell test output apart.
const MARK = '\u2063'; // prepended to a string first argument
const MARK_ARG = '\u2064'; // inserted as an extra first argument (util.format then adds a space)
// (The extension host defines console.log & co. as accessors whose setter ignores assignments.)
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method];
  const marked = (...args: unknown[]): void => {
    if (typeof args[0] === 'string') original(MARK + args[0], ...args.slice(1));
    else original(MARK_ARG, ...args);
  };
  Object.defineProperty(console, method, { value: marked, writable: true, configurable: true, enumerable: true });
}

function findTests(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.test.js')) files.push(path.join(entry.parentPath, entry.name));
  }
  return files.sort();
}

function writeResults(file: string | undefined, results: Results): void {
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}

export function run(): Promise<void> {
  const env = process.env;
  // mocha's reporters captured console.log when mocha was loaded (before the marking above).
  (Mocha.reporters.Base as unknown as { consoleLog: typeof console.log }).consoleLog = console.log;
  const mocha = new Mocha({
    ui: 'bdd',
    color: env.KEYSMITH_TEST_COLOR === '1',
    timeout: Number(env.KEYSMITH_TEST_TIMEOUT) || 120000, // generous: waits end on events, and a busy machine must not fail a test
    slow: 2000,
    ...(env.KEYSMITH_TEST_GREP ? { grep: new RegExp(env.KEYSMITH_TEST_GREP) } : {}),
  });
  const files = env.KEYSMITH_TEST_FILES
    ? (JSON.parse(env.KEYSMITH_TEST_FILES) as string[]).map((f) => path.resolve(__dirname, f))
    : findTests(__dirname);
  for (const f of files) mocha.addFile(f);

  const results: Results = { passed: 0, failed: 0, pending: 0, durationMs: 0, failures: [] };
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    try {
      if (files.length === 0) throw new Error(`no test files found (KEYSMITH_TEST_FILES=${env.KEYSMITH_TEST_FILES ?? 'unset'}, dir ${__dirname})`);
      const runner = mocha.run((failures) => {
        results.durationMs = Date.now() - started;
        writeResults(env.KEYSMITH_TEST_RESULTS, results);
        if (failures > 0 || results.failed > 0) reject(new Error(`${results.failed || failures} test(s) failed`));
        else resolve();
      });
      runner.on('pass', () => { results.passed++; });
      runner.on('pending', () => { results.pending++; });
      runner.on('fail', (test, err: Error) => {
        results.failed++;
        results.failures.push({ title: test.fullTitle(), message: String(err?.message ?? err), ...(err?.stack ? { stack: err.stack } : {}) });
      });
    } catch (err) {
      const e = err as Error;
      results.failed++;
      results.failures.push({ title: 'loading tests', message: String(e?.message ?? e), ...(e?.stack ? { stack: e.stack } : {}) });
      results.durationMs = Date.now() - started;
      writeResults(env.KEYSMITH_TEST_RESULTS, results);
      console.error(e);
      reject(e);
    }
  });
}

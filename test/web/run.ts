// `run()` of the web test bundle: VS Code's web worker extension host calls it after loading the
// bundle (extensionTestsPath). It first records where it runs (Where; the runner prints it and
// fails a run that is not in a web worker host), drops the shared tests listed in config.exclude,
// runs mocha and sends the results to the runner as one marked line (a worker cannot write files).
import { config } from './config.ts';
import { where, isWebWorker } from './where.ts';

interface Failure { title: string; message: string; stack?: string }
interface MochaTest { fullTitle(): string; title: string }
interface MochaSuite { tests: MochaTest[]; suites: MochaSuite[]; fullTitle(): string }

export const WHERE_LINE = 'KEYSMITH_WEB_WHERE ';
export const RESULTS_LINE = 'KEYSMITH_WEB_RESULTS ';

/** Removes excluded tests (by full title) from the loaded suites; returns their titles and reasons. */
function exclude(suite: MochaSuite, out: { title: string; why: string }[]): void {
  suite.tests = suite.tests.filter((t) => {
    const hit = config.exclude.find((e) => t.fullTitle().startsWith(e.title));
    if (hit) out.push({ title: t.fullTitle(), why: hit.why });
    return !hit;
  });
  for (const s of suite.suites) exclude(s, out);
  suite.suites = suite.suites.filter((s) => s.tests.length > 0 || s.suites.length > 0);
}

export function run(): Promise<void> {
  const mocha = (globalThis as unknown as { mocha: BrowserMocha & { suite: MochaSuite } }).mocha;
  const w = where();
  console.log(WHERE_LINE + JSON.stringify(w));
  const excluded: { title: string; why: string }[] = [];
  exclude(mocha.suite, excluded);
  for (const e of excluded) console.log(`excluded on the web: ${e.title} (${e.why})`);
  if (config.grep) mocha.grep(new RegExp(config.grep));

  const results = { passed: 0, failed: 0, pending: 0, excluded: excluded.length, durationMs: 0, where: w, failures: [] as Failure[] };
  const started = Date.now();
  const send = () => {
    results.durationMs = Date.now() - started;
    console.log(RESULTS_LINE + JSON.stringify(results));
  };
  return new Promise<void>((resolve, reject) => {
    if (!isWebWorker(w)) {
      results.failed++;
      results.failures.push({ title: 'web worker extension host', message: `not a web worker host: ${JSON.stringify(w)}` });
      send();
      reject(new Error('the tests are not running in a web worker extension host'));
      return;
    }
    const runner = mocha.run((failures: number) => {
      send();
      if (failures > 0 || results.failed > 0) reject(new Error(`${results.failed || failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => { results.passed++; });
    runner.on('pending', () => { results.pending++; });
    runner.on('fail', (test: MochaTest, err: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), message: String(err?.message ?? err), ...(err?.stack ? { stack: err.stack } : {}) });
    });
  });
}

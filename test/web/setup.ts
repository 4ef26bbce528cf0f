// First module of the web test bundle: loads mocha's browser build (the worker's `require` knows
// only `vscode`) and sets it up before any test file is evaluated. The bundle's entry imports this,
// then the test files, then ./run.ts (see test/host/build-web-tests.mjs).
import 'mocha/mocha.js';
import { config } from './config.ts';

// Console output of the tests reaches the runner through the workbench (codeAutomationLog), mixed
// with the workbench's own lines: a leading U+2063 marks ours, as in test/integration/index.ts.
export const MARK = '\u2063';
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console);
  const marked = (...args: unknown[]): void => {
    if (typeof args[0] === 'string') original(MARK + args[0], ...args.slice(1));
    else original(MARK, ...args);
  };
  Object.defineProperty(console, method, { value: marked, writable: true, configurable: true, enumerable: true });
}

const g = globalThis as unknown as { mocha: BrowserMocha; Mocha: { reporters: { Base: { consoleLog: typeof console.log } } } };
// mocha's reporters captured console.log when mocha.js was evaluated (before the marking above).
g.Mocha.reporters.Base.consoleLog = console.log;
// 'spec' prints to the console; mocha's default HTML reporter needs a DOM, which a worker lacks.
g.mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: config.timeoutMs, slow: 2000, color: false });

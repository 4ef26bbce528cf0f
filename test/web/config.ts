// Configuration of one web test run, fixed at bundle time by test/host/build-web-tests.mjs through
// esbuild's `define` (the web worker has no `process.env` to read it from).
export interface WebRunConfig {
  /** 'A': code-server, extension moved to the browser's web worker; 'B': @vscode/test-web, virtual workspace. */
  route: 'A' | 'B';
  run: string;
  extensionId: string;
  timeoutMs: number;
  grep?: string;
  /** Tests of the shared suites that cannot apply on the web, matched against full titles, with the reason. */
  exclude: { title: string; why: string }[];
}

declare const KEYSMITH_WEB_CONFIG: WebRunConfig;
export const config: WebRunConfig = KEYSMITH_WEB_CONFIG;

/** Which file names Keysmith treats as .env files: .env, .env.local, .env.production, prod.env, … */
const ENV_NAME = /^\.env(\..+)?$|.\.env$/i;
/** Example/template files that are meant to be committed. */
const EXAMPLE_NAME = /^\.env\.(example|sample|template)$|^(example|sample|template)\.env$/i;

export function isEnvFileName(basename: string): boolean {
  return ENV_NAME.test(basename);
}

export function isExampleEnvFileName(basename: string): boolean {
  return EXAMPLE_NAME.test(basename);
}

export function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

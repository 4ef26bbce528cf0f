// Stand-in for Node built-ins in the web test bundle. dotenv's parse() (used by the shared suites
// as an independent reader) needs none of them, but its module requires fs, path, os and url at
// load time. Anything that really calls into a built-in fails loudly: the web has no processes
// and no Node file system.
function missing(name: string): never {
  throw new Error(`${name} is not available in the web worker extension host`);
}
export const execFileSync = (): never => missing('child_process.execFileSync');
export const execFile = (): never => missing('child_process.execFile');
export const spawn = (): never => missing('child_process.spawn');
export const readFileSync = (): never => missing('fs.readFileSync');
export const existsSync = (): never => missing('fs.existsSync');
export default {};

// Shared by the benchmarks: the bundled core, timing, medians, and target lines.
import { cpus, loadavg } from 'node:os';

/** The core, bundled by bench/run.mjs (KEYSMITH_BENCH_CORE); run.mjs builds it when missing. */
export async function loadCore() {
  const path = process.env.KEYSMITH_BENCH_CORE;
  if (!path) throw new Error('run the benchmarks with `npm run bench` (bench/run.mjs bundles the core for every Node)');
  return import(path);
}

export const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** CPU time of this process in ms (user + system): steadier than wall time on a shared machine. */
export function cpuMs(fn) {
  const c = process.cpuUsage();
  const t = performance.now();
  const r = fn();
  const d = process.cpuUsage(c);
  return { cpu: (d.user + d.system) / 1000, wall: performance.now() - t, result: r };
}

export function machine() {
  const l = loadavg().map((x) => x.toFixed(1)).join(' ');
  return `node ${process.version}, ${cpus().length} cores, load average ${l}`;
}

/** One result line: what, the figure, the target, and whether it is met. */
export function line(label, figure, target, met) {
  const verdict = met === undefined ? '' : met ? 'met' : 'NOT MET';
  return `  ${label.padEnd(52)} ${figure.padStart(22)}   ${target ? `target ${target}`.padEnd(30) : ''.padEnd(30)} ${verdict}`;
}

// What the benchmarks use from Keysmith, bundled once by bench/run.mjs into plain JavaScript so that
// the same code runs on Node 20 (no TypeScript support) and Node 24.
export { getFormat, allFormats } from '../src/core/formats.ts';
export { parseEnv, effectiveValues, effectiveObject } from '../src/core/envdoc.ts';
export { analyzeEnv, DEFAULT_RULE_CONFIG } from '../src/core/rules.ts';
export { IncrementalAnalysis } from '../src/core/rules/incremental.ts';
export { MessageGate } from '../src/core/leakguard.ts';
export { seededRng } from '../test/unit/helpers/seeded.ts';

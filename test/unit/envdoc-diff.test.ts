/**
 * Differential tests: parseEnv against dotenv.parse (dotenv 18, default parser) on well over
 * 100,000 generated documents, each also checked for losslessness and range invariants
 * (see fixtures/envdoc/support.ts). Failures print a fast-check seed and a shrunk counterexample.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkDocument, corpus } from './fixtures/envdoc/support.ts';
import { doc, soup } from './fixtures/envdoc/gen.ts';

/** Runs per property; the total is printed so the 100k floor is visible in the output. */
const RUNS = {
  structured: 55_000,
  soup: 35_000,
  binary: 10_000,
  corpusLines: 10_000,
};

// Lines of the hand-written corpus, re-shuffled with arbitrary line breaks between them.
const corpusLines = [...corpus().values()].flatMap((t) => t.split(/\r\n|\r|\n/));
const reshuffled = fc
  .array(fc.tuple(fc.constantFrom(...corpusLines), fc.constantFrom('\n', '\r\n', '\r', '', '\u2028')), { maxLength: 15 })
  .map((parts) => parts.map(([l, e]) => l + e).join(''));

describe(`parseEnv agrees with dotenv.parse (${Object.values(RUNS).reduce((a, b) => a + b)} generated documents)`, () => {
  it(`structured documents biased toward tricky syntax (${RUNS.structured} runs)`, () => {
    fc.assert(fc.property(doc, (t) => void checkDocument(t)), { numRuns: RUNS.structured });
  });

  it(`token soup: quotes, escapes, '#', '=', export, every line break, BOM, unicode (${RUNS.soup} runs)`, () => {
    fc.assert(fc.property(soup, (t) => void checkDocument(t)), { numRuns: RUNS.soup });
  });

  it(`arbitrary UTF-16 strings, lone surrogates included (${RUNS.binary} runs)`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (t) => void checkDocument(t)), { numRuns: RUNS.binary });
  });

  it(`lines of the hand-written corpus, reshuffled with mixed line breaks (${RUNS.corpusLines} runs)`, () => {
    fc.assert(fc.property(reshuffled, (t) => void checkDocument(t)), { numRuns: RUNS.corpusLines });
  });
});

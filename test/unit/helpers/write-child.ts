// A child process for the SIGINT test: writes FILE with writeFileSafely and, once the temporary
// file is complete, says "READY <temp>" and waits for a signal (the parent sends SIGINT).
import { writeFileSafely } from '../../../src/cli/fsio.ts';

const file = process.argv[2]!;
await writeFileSafely(file, (text) => (text ?? '') + 'ADDED_BY_CHILD=1\n', {
  beforeCommit: async ({ temp }) => {
    // Signal listeners do not keep the event loop alive; this timer does, until the signal.
    const alive = setInterval(() => {}, 1000);
    const signalled = new Promise((r) => process.once('SIGINT', r));
    process.stdout.write(`READY ${temp}\n`);
    await signalled;
    clearInterval(alive);
  },
});
process.stdout.write('WROTE\n');

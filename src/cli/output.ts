/** stdout/stderr with back-pressure and a quiet end when the reader goes away (`| head`). */
export interface Sink {
  write(chunk: string): boolean;
  on(event: 'drain' | 'error', listener: (arg?: unknown) => void): unknown;
}

export class Output {
  private closed = false;
  private waiting: Array<() => void> = [];

  private readonly stdout: Sink;
  private readonly stderr: Pick<Sink, 'write'>;

  constructor(stdout: Sink, stderr: Pick<Sink, 'write'>) {
    this.stdout = stdout;
    this.stderr = stderr;
    stdout.on('drain', () => this.wake());
    stdout.on('error', (e) => {
      // The reader went away (EPIPE) or the stream broke: stop writing, quietly.
      void e;
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const resolve of w) resolve();
  }

  /** Writes text; resolves false once the reader has gone away, so callers can stop. */
  async text(chunk: string): Promise<boolean> {
    if (this.closed) return false;
    if (!this.stdout.write(chunk)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return !this.closed;
  }

  /**
   * A last check on every line printed (the leak guard's message gate, see src/core/leakguard.ts):
   * it returns the line to print instead.
   */
  gate: ((line: string) => string) | undefined;

  line(s: string): Promise<boolean> {
    return this.text((this.gate ? this.gate(s) : s) + '\n');
  }

  error(s: string): void {
    this.stderr.write((this.gate ? this.gate(s) : s) + '\n');
  }
}

import { lastAtOrBefore } from '../lines.ts';

/**
 * The text of a document kept up to date edit by edit without building the whole string again:
 * chunks of a few KiB, so that an edit rebuilds one chunk (a keystroke in a 4 MB file used to copy
 * all 4 MB, about 17 ms). `slice` reads any range; `toString` joins the chunks once per version,
 * for the callers that need the whole text.
 */
export class Rope {
  /** Chunks are split when an edit makes one longer than twice this (tests lower it). */
  static chunkSize = 8192;
  private chunks: string[];
  /** Offset of each chunk in the text. */
  private starts: number[];
  private flat: string | undefined;
  length: number;

  constructor(text: string) {
    this.chunks = [];
    this.starts = [];
    this.length = text.length;
    this.flat = text;
    this.push(text, 0);
  }

  /** Appends `text` (which begins at `offset`) as chunks of at most chunkSize. */
  private push(text: string, offset: number): void {
    const size = Rope.chunkSize;
    if (text.length === 0 && this.chunks.length > 0) return;
    for (let i = 0; i === 0 || i < text.length; i += size) {
      this.chunks.push(text.slice(i, i + size));
      this.starts.push(offset + i);
    }
  }

  /** Index of the chunk holding `offset` (the last chunk for the text's end). */
  private chunkAt(offset: number): number {
    return lastAtOrBefore(this.starts, offset);
  }

  /** The text of `[start, end)` (clamped to the text). */
  slice(start: number, end: number = this.length): string {
    start = Math.max(0, start);
    end = Math.min(this.length, end);
    if (end <= start) return '';
    if (this.flat !== undefined) return this.flat.slice(start, end);
    let i = this.chunkAt(start);
    const s0 = this.starts[i]!;
    const c0 = this.chunks[i]!;
    if (end <= s0 + c0.length) return c0.slice(start - s0, end - s0);
    let out = c0.slice(start - s0);
    for (i++; i < this.chunks.length; i++) {
      const s = this.starts[i]!;
      const c = this.chunks[i]!;
      if (end <= s + c.length) return out + c.slice(0, end - s);
      out += c;
    }
    return out;
  }

  /** Replaces `[start, end)` by `insert`. */
  edit(start: number, end: number, insert: string): void {
    const a = this.chunkAt(start);
    const b = end > start ? this.chunkAt(end - 1) : a;
    const sa = this.starts[a]!;
    const sb = this.starts[b]!;
    const merged = this.chunks[a]!.slice(0, start - sa) + insert + this.chunks[b]!.slice(end - sb);
    const delta = insert.length - (end - start);
    const tailChunks = this.chunks.slice(b + 1);
    const tailStarts = this.starts.slice(b + 1);
    this.chunks.length = a;
    this.starts.length = a;
    if (merged.length > 2 * Rope.chunkSize) this.push(merged, sa);
    else if (merged.length > 0 || (a === 0 && tailChunks.length === 0)) {
      this.chunks.push(merged);
      this.starts.push(sa);
    }
    for (let i = 0; i < tailChunks.length; i++) {
      this.chunks.push(tailChunks[i]!);
      this.starts.push(tailStarts[i]! + delta);
    }
    this.length += delta;
    this.flat = undefined;
  }

  /** The whole text (built once per version). */
  toString(): string {
    if (this.flat === undefined) {
      this.flat = this.chunks.join('');
      // Reading slices of the flat string is as cheap as of the chunks, and it is already built.
    }
    return this.flat;
  }
}

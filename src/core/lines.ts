/** Offset → (line, character) as editors count lines: CRLF, CR and LF each end a line. */
export class LineIndex {
  private readonly starts: number[];
  constructor(text: string) {
    this.starts = lineStarts(text);
  }

  position(offset: number): { line: number; character: number } {
    const line = lastAtOrBefore(this.starts, offset);
    return { line, character: offset - this.starts[line]! };
  }
}

/** In ascending `starts` (the first at most `offset`): the index of the last one at or before `offset`. */
export function lastAtOrBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Offset of each line's start, lines counted as editors count them (CRLF, CR and LF each end one). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

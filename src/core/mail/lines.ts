/**
 * Line bookkeeping for one input document, and the LineMap shapes that carry
 * decoded text back to it.
 *
 * Lines end at LF only (CRs before the LF are not part of the line's text);
 * that is how `git mailsplit` counts them and how editors number CRLF files.
 */
import type { LineMap } from '../types.js';

/** Start offsets of every line of a text, computed once (linear). */
export class LineIndex {
  readonly text: string;
  /** starts[i] = offset where line i (0-based) begins. */
  private starts: Int32Array;
  readonly count: number;

  constructor(text: string) {
    this.text = text;
    let cap = 1024;
    let starts = new Int32Array(cap);
    let n = 0;
    starts[n++] = 0;
    let pos = text.indexOf('\n');
    while (pos !== -1) {
      if (n === cap) {
        cap *= 2;
        const grown = new Int32Array(cap);
        grown.set(starts);
        starts = grown;
      }
      starts[n++] = pos + 1;
      pos = text.indexOf('\n', pos + 1);
    }
    // A text ending in LF has no further line after it.
    if (n > 1 && starts[n - 1] === text.length) n--;
    if (text.length === 0) n = 0;
    this.starts = starts;
    this.count = n;
  }

  /** Offset where line i (0-based) starts. */
  start(i: number): number {
    return i >= this.count ? this.text.length : this.starts[i];
  }

  /** Offset just past line i's text (before its CR LF / LF). */
  end(i: number): number {
    let e = i + 1 >= this.count ? this.text.length : this.starts[i + 1];
    if (e > this.starts[i] && this.text.charCodeAt(e - 1) === 10) e--;
    while (e > this.starts[i] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  /** Text of line i (0-based), without its line end. */
  line(i: number): string {
    return this.text.slice(this.starts[i], this.end(i));
  }
}

/**
 * A text's lines exactly as `text.split('\n')` gives them (a text ending in
 * LF has an empty last line; CRs stay), kept as start offsets into the one
 * text: 4 bytes a line, where an array of line strings costs some 30 and
 * a 20 MB diff has 600,000 lines (issue 13).  A line is sliced only when
 * asked for; is(), startsWith() and charAt() look without slicing, so a
 * scan over every line makes no garbage.
 *
 * range() and cutCR() are views on the same offsets (no copy).
 */
export class SplitLines {
  readonly text: string;
  readonly length: number;
  /** starts[first + i]: offset where line i begins; it ends one before starts[first + i + 1]. */
  private starts: Int32Array;
  private first: number;
  /** One CR before each line's end is not part of the line (the diff reader's view). */
  private crCut: boolean;

  /** The lines of `text`; the other arguments make views (range, cutCR). */
  constructor(text: string, view?: { starts: Int32Array; first: number; length: number; crCut: boolean }) {
    this.text = text;
    if (view) {
      this.length = view.length;
      this.starts = view.starts;
      this.first = view.first;
      this.crCut = view.crCut;
      return;
    }
    let n = 1;
    for (let pos = text.indexOf('\n'); pos !== -1; pos = text.indexOf('\n', pos + 1)) n++;
    const starts = new Int32Array(n);
    let k = 1;
    for (let pos = text.indexOf('\n'); pos !== -1; pos = text.indexOf('\n', pos + 1)) starts[k++] = pos + 1;
    this.length = n;
    this.starts = starts;
    this.first = 0;
    this.crCut = false;
  }

  /** Lines [from, to) as lines of their own (a view, no copy). */
  range(from: number, to: number): SplitLines {
    return new SplitLines(this.text, { starts: this.starts, first: this.first + from, length: Math.max(0, to - from), crCut: this.crCut });
  }

  /** The same lines, with one CR cut from the end of each (a view, no copy). */
  cutCR(): SplitLines {
    return new SplitLines(this.text, { starts: this.starts, first: this.first, length: this.length, crCut: true });
  }

  /** Offset where line i begins. */
  start(i: number): number {
    return this.starts[this.first + i];
  }

  /** Offset just past line i's text (before its LF, and its CR when cut). */
  end(i: number): number {
    const k = this.first + i;
    let e = k + 1 < this.starts.length ? this.starts[k + 1] - 1 : this.text.length;
    if (this.crCut && e > this.starts[k] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  /** Line i (0 <= i < length) without its LF. */
  line(i: number): string {
    return this.text.slice(this.start(i), this.end(i));
  }

  /** Whether line i is exactly `s`. */
  is(i: number, s: string): boolean {
    const at = this.start(i);
    return this.end(i) - at === s.length && this.text.startsWith(s, at);
  }

  /** Whether line i starts with `prefix`. */
  startsWith(i: number, prefix: string): boolean {
    const at = this.start(i);
    return this.end(i) - at >= prefix.length && this.text.startsWith(prefix, at);
  }

  /** Character k of line i, '' past its end. */
  charAt(i: number, k: number): string {
    const at = this.start(i) + k;
    return at < this.end(i) ? this.text[at] : '';
  }

  /** Lines [from, to) as strings: `text.split('\n').slice(from, to)`. */
  slice(from: number, to: number = this.length): string[] {
    const out: string[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.line(i));
    return out;
  }

  /**
   * `lines.slice(from, to).join('\n') + '\n'` for from < to: a slice of the
   * text (a view, not a copy) unless `to` is the end, where the LF is added.
   */
  joinWithLF(from: number, to: number): string {
    if (from >= to) return '\n';
    if (to < this.length) return this.text.slice(this.start(from), this.start(to));
    return this.text.slice(this.start(from), this.end(this.length - 1)) + '\n';
  }
}

/**
 * The lines of a text whose every line ends in LF (a message body), one
 * after the other: a reader that stops early never splits the rest.
 */
export function* eachLine(text: string): Generator<string> {
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    yield text.slice(pos, nl);
    pos = nl + 1;
  }
}

/** Body line i is input line `first + i`, starting at column 1 (or a shifted one). */
export class OffsetLineMap implements LineMap {
  readonly length: number;
  private first: number;
  /** Lines (0-based, body side) whose text starts further right, e.g. after a removed `>`. */
  private shifted: Map<number, number> | null;

  constructor(first: number, length: number, shifted: Map<number, number> | null = null) {
    this.first = first;
    this.length = length;
    this.shifted = shifted && shifted.size > 0 ? shifted : null;
  }
  line(i: number): number {
    return this.first + clampIndex(i, this.length);
  }
  column(i: number): number {
    return this.shifted?.get(i) ?? 1;
  }
  exact(_i: number): boolean {
    return true;
  }
}

function clampIndex(i: number, length: number): number {
  if (i < 0) return 0;
  if (i >= length) return Math.max(0, length - 1);
  return i;
}

/** Growable builder for per-line maps of decoded text. */
export class LineMapBuilder {
  private lines: number[] = [];
  private cols: number[] = [];
  private exacts: boolean[] = [];

  get length(): number {
    return this.lines.length;
  }

  push(line: number, column: number, exact: boolean): void {
    this.lines.push(line);
    this.cols.push(column);
    this.exacts.push(exact);
  }

  /** Appends every line of another map. */
  append(map: LineMap): void {
    for (let i = 0; i < map.length; i++) this.push(map.line(i), map.column(i), map.exact(i));
  }

  build(): LineMap {
    return new TableLineMap(
      Int32Array.from(this.lines),
      Int32Array.from(this.cols),
      Uint8Array.from(this.exacts, (e) => (e ? 1 : 0)),
    );
  }
}

/** One entry per line: used when decoding moved lines around. */
export class TableLineMap implements LineMap {
  readonly length: number;
  constructor(
    private lines: Int32Array,
    private cols: Int32Array,
    private exacts: Uint8Array,
  ) {
    this.length = lines.length;
  }
  line(i: number): number {
    return this.length === 0 ? 1 : this.lines[clampIndex(i, this.length)];
  }
  column(i: number): number {
    return this.length === 0 ? 1 : this.cols[clampIndex(i, this.length)];
  }
  exact(i: number): boolean {
    return i >= 0 && i < this.length && this.exacts[i] === 1;
  }
}

/** Every line maps to the same input position, none exactly (recovered text). */
export class PointLineMap implements LineMap {
  constructor(
    readonly length: number,
    private at: number,
    private columns: number[] | null = null,
  ) {}
  line(_i: number): number {
    return this.at;
  }
  column(i: number): number {
    return this.columns?.[clampIndex(i, this.length)] ?? 1;
  }
  exact(_i: number): boolean {
    return false;
  }
}

export const EMPTY_MAP: LineMap = new OffsetLineMap(1, 0);

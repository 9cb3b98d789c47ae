/**
 * Pre- and post-images of hunks, and the line map both ways between image
 * lines and the patch document the reviewer has open.
 *
 * The pre-image of a hunk is its context and `-` lines (the file before the
 * patch), the post-image its context and `+` lines.  Each image line keeps
 * the index of its diff line, so a position found while parsing an image
 * maps back through the diff's LineMap to the input line and column.
 */
import type { LineMap, SourcePos } from '../types.js';
import type { DiffFile, Hunk, LineKind } from './types.js';

export type ImageSide = 'pre' | 'post';

export interface ImageLine {
  text: string;
  /** `-` / `+` for changed lines, ` ` for context. */
  change: LineKind;
  /** Index of the line in the diff text. */
  diffLine: number;
  /** Line number in the old (pre) or new (post) file, as the @@ header counts. */
  fileLine: number;
  /** Index of the hunk within its file. */
  hunk: number;
}

export interface HunkImage {
  hunk: Hunk;
  index: number;
  pre: ImageLine[];
  post: ImageLine[];
}

/** Images of every hunk of a file. */
export function hunkImages(file: DiffFile): HunkImage[] {
  return file.hunks.map((hunk, index) => {
    const pre: ImageLine[] = [];
    const post: ImageLine[] = [];
    for (const l of hunk.lines) {
      if (l.kind !== '+') pre.push({ text: l.text, change: l.kind, diffLine: l.diffLine, fileLine: l.oldLine, hunk: index });
      if (l.kind !== '-') post.push({ text: l.text, change: l.kind, diffLine: l.diffLine, fileLine: l.newLine, hunk: index });
    }
    return { hunk, index, pre, post };
  });
}

/**
 * A LineMap for a diff that starts at line `start` of a text mapped by
 * `bodyMap` (a patch's diff inside its message body).
 */
export function offsetMap(bodyMap: LineMap, start: number): LineMap {
  return {
    length: Math.max(0, bodyMap.length - start),
    line: (i) => bodyMap.line(start + i),
    column: (i) => bodyMap.column(start + i),
    exact: (i) => bodyMap.exact(start + i),
  };
}

/** The identity map of a text read on its own (line i is input line i+1). */
export function identityMap(length: number): LineMap {
  return { length, line: (i) => i + 1, column: () => 1, exact: () => true };
}

/**
 * Where column `col` (0-based, in the line's content after its +/-/space
 * marker) of diff line `diffLine` sits in the input document.
 */
export function docPos(file: string, map: LineMap, diffLine: number, col: number): SourcePos {
  // Past either end of the map (a hunk that ends short, at the end of the
  // text): the nearest mapped line.  Never the diff's own line number, which
  // is no line of the input when the body was decoded (base64, QP) or cut.
  if (diffLine < 0 || diffLine >= map.length) {
    if (map.length === 0) return { file, line: 1, column: 1 };
    const k = diffLine < 0 ? 0 : map.length - 1;
    return { file, line: map.line(k), column: map.column(k) };
  }
  return { file, line: map.line(diffLine), column: map.column(diffLine) + 1 + col };
}

/** Image lines found at a document line, for going from an editor line back to the images. */
export class ImageIndex {
  private readonly byDocLine = new Map<number, { image: ImageSide; line: ImageLine }[]>();

  constructor(images: HunkImage[], map: LineMap) {
    for (const h of images) {
      for (const side of ['pre', 'post'] as const) {
        for (const line of h[side]) {
          if (line.diffLine >= map.length) continue;
          const at = map.line(line.diffLine);
          const list = this.byDocLine.get(at);
          if (list) list.push({ image: side, line });
          else this.byDocLine.set(at, [{ image: side, line }]);
        }
      }
    }
  }

  /** Image lines (pre and/or post) shown at input line `docLine`. */
  at(docLine: number): { image: ImageSide; line: ImageLine }[] {
    return this.byDocLine.get(docLine) ?? [];
  }
}

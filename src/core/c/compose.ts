/**
 * Turns the image fragments of one file (one side: pre or post) into a text
 * tree-sitter can parse, and remembers where each of its rows came from.
 *
 * Hunks start anywhere: in the middle of a function, of a nested block, of a
 * comment.  A hunk that starts inside a function (kernel style: its first
 * code line is indented, or is the closing `}`) is wrapped in a synthetic
 * function `__patchlens_fragment_N` with as many `{` as its nesting needs;
 * a hunk that starts inside a comment gets a `/*` first.  Consecutive hunks
 * of the same function are joined into one body (`{`/`}` rows between them
 * even out the nesting).  Synthetic rows map to no image line.
 */
import type { ImageLine } from '../diff/images.js';

export const FRAGMENT_PREFIX = '__patchlens_fragment_';
export const AGGREGATE_PREFIX = '__patchlens_aggregate_';

/** A wrapper the composer made: a function (or struct) whose start is not in the hunks. */
export interface Wrapper {
  index: number;
  kind: 'function' | 'aggregate';
  /** Name taken from the `@@` context, or null when it names no function. */
  name: string | null;
  /** The context was cut short (interdiffs cut it at a fixed width). */
  nameUncertain: boolean;
  /** The `@@` context text. */
  header: string;
  hunks: number[];
}

export interface Composed {
  text: string;
  /** Image line of each row of `text`, or null for a synthetic row. */
  rows: (ImageLine | null)[];
  wrappers: Wrapper[];
}

interface LineScan {
  /** Net `{` minus `}` on the line, outside comments, strings and preprocessor lines. */
  delta: number;
  /** Lowest running depth on the line, relative to its start. */
  low: number;
  inCommentAfter: boolean;
  /** Whether the line holds code outside comments (not only whitespace). */
  code: boolean;
  preproc: boolean;
  continues: boolean;
}

/** Scans one line of C for braces and comment state; strings and char literals are skipped. */
function scanLine(line: string, inComment: boolean, inPreproc: boolean): LineScan {
  let depth = 0;
  let low = 0;
  let code = false;
  let k = 0;
  const n = line.length;
  const preproc = inPreproc || (!inComment && /^\s*#/.test(line));
  while (k < n) {
    const c = line[k]!;
    if (inComment) {
      const end = line.indexOf('*/', k);
      if (end < 0) {
        k = n;
        break;
      }
      inComment = false;
      k = end + 2;
      continue;
    }
    if (c === '/' && line[k + 1] === '*') {
      inComment = true;
      k += 2;
      continue;
    }
    if (c === '/' && line[k + 1] === '/') break;
    if (c === '"' || c === "'") {
      k++;
      while (k < n && line[k] !== c) k += line[k] === '\\' ? 2 : 1;
      k++;
      code = true;
      continue;
    }
    if (c !== ' ' && c !== '\t') code = true;
    if (!preproc) {
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth < low) low = depth;
      }
    }
    k++;
  }
  return { delta: depth, low, inCommentAfter: inComment, code, preproc, continues: preproc && line.endsWith('\\') };
}

/** Whether a hunk's first lines are the inside of a comment (`*/` before any `/*`). */
function startsInComment(lines: ImageLine[]): boolean {
  for (const l of lines) {
    const open = l.text.indexOf('/*');
    const close = l.text.indexOf('*/');
    if (close >= 0 && (open < 0 || close < open)) return true;
    if (open >= 0) return false;
    if (l.text.trim() !== '') return /^\s*\*/.test(l.text);
  }
  return false;
}

/** Nesting depth suggested by kernel-style indentation (tabs, or 8 spaces in mangled quotes). */
function indentDepth(text: string): number {
  let tabs = 0;
  let spaces = 0;
  for (const c of text) {
    if (c === '\t') tabs++;
    else if (c === ' ') spaces++;
    else break;
  }
  return tabs + Math.floor(spaces / 8);
}

/** The function a `@@` context names: the identifier before its first `(`. */
export function contextFunction(context: string): { name: string | null; uncertain: boolean; aggregate: boolean } {
  const c = context.trim();
  if (c === '') return { name: null, uncertain: false, aggregate: false };
  if (/^(?:(?:static|const|typedef)\s+)*(?:struct|union|enum)\s+\w+\s*\{?\s*$/.test(c) || /=\s*\{\s*$/.test(c)) {
    return { name: null, uncertain: false, aggregate: true };
  }
  const call = /([A-Za-z_]\w*)\s*\(/.exec(c);
  if (call) {
    // A prototype or a macro statement (`EXPORT_SYMBOL(foo);`) is no enclosing function.
    if (/;\s*$/.test(c)) return { name: null, uncertain: false, aggregate: false };
    return { name: call[1]!, uncertain: false, aggregate: false };
  }
  // No `(`: the header was cut (interdiffs cut it at a fixed width).
  const words = c.match(/[A-Za-z_]\w*/g);
  const last = words ? words[words.length - 1]! : null;
  return { name: last, uncertain: true, aggregate: false };
}

/** Name of a function whose definition starts on a column-0 line (`name(` on it). */
function definitionName(text: string): string | null {
  if (/^\s/.test(text) || text.startsWith('#') || text.startsWith('/') || text.startsWith('*')) return null;
  const m = /([A-Za-z_]\w*)\s*\(/.exec(text);
  return m ? m[1]! : null;
}

/**
 * Composes the parse text of one image side of a file from its hunks'
 * lines (`hunks[i]` is the i-th hunk's image, `contexts[i]` its @@ context).
 */
export function compose(hunks: ImageLine[][], contexts: string[]): Composed {
  const out: string[] = [];
  const rows: (ImageLine | null)[] = [];
  const wrappers: Wrapper[] = [];
  const synthetic = (text: string): void => {
    out.push(text);
    rows.push(null);
  };

  /** Depth of braces open at the end of what was emitted so far. */
  let depth = 0;
  /** Name of the function open at the end of the text (depth > 0). */
  let openName: string | null = null;
  /**
   * The open function's name line is a changed line: a rename or a new
   * function.  The @@ context of the next hunk names the old function (git
   * takes it from the pre-image), so it cannot be compared by name.
   */
  let openChanged = false;
  let openWrapper: Wrapper | null = null;
  let inComment = false;

  const closeAll = (): void => {
    if (inComment || depth > 0) synthetic((inComment ? '*/ ' : '') + '}'.repeat(Math.max(0, depth)) + (openWrapper?.kind === 'aggregate' ? ';' : ''));
    depth = 0;
    inComment = false;
    openName = null;
    openChanged = false;
    openWrapper = null;
  };

  for (let h = 0; h < hunks.length; h++) {
    const lines = hunks[h]!;
    if (lines.length === 0) continue;
    const ctx = contextFunction(contexts[h] ?? '');
    const commentFirst = startsInComment(lines);

    // First pass over the hunk: nesting it needs, and whether it starts inside a body.
    let rel = 0;
    let low = 0;
    let closeRow = -1;
    let firstCode: ImageLine | null = null;
    let c = commentFirst;
    let pre = false;
    for (let r = 0; r < lines.length; r++) {
      const text = lines[r]!.text;
      const wasComment = c;
      const s = scanLine(text, c, pre);
      if (s.code && !s.preproc && !firstCode && !(wasComment && !/\*\//.test(text))) firstCode = lines[r]!;
      if (rel + s.low < low) low = rel + s.low;
      rel += s.delta;
      if (closeRow < 0 && /^\}/.test(text) && rel <= low) closeRow = r;
      c = s.inCommentAfter;
      pre = s.continues;
    }
    const inside = firstCode !== null && (/^\s/.test(firstCode.text) || /^\}/.test(firstCode.text));
    let need = 0;
    if (inside) {
      const byBraces = closeRow >= 0 ? Math.max(1, -low) : -low + 1;
      const byIndent = indentDepth(firstCode!.text) + (/^\s*\}/.test(firstCode!.text) ? 1 : 0);
      need = Math.max(byBraces, closeRow >= 0 ? byBraces : byIndent, 1);
    }

    const joins =
      inside &&
      depth > 0 &&
      (ctx.name === null || openName === null || openChanged || ctx.name === openName || (ctx.uncertain && openName.startsWith(ctx.name)));
    if (joins) {
      // Same function as the text still open: even out the nesting and go on.
      if (inComment) {
        synthetic('*/');
        inComment = false;
      }
      if (depth > need) synthetic('}'.repeat(depth - need));
      else if (depth < need) synthetic('{'.repeat(need - depth));
      depth = need;
      if (openWrapper) openWrapper.hunks.push(h);
      if (commentFirst) {
        synthetic('/*');
        inComment = true;
      }
    } else {
      closeAll();
      if (inside) {
        const w: Wrapper = {
          index: wrappers.length,
          kind: ctx.aggregate ? 'aggregate' : 'function',
          name: ctx.name,
          nameUncertain: ctx.uncertain,
          header: contexts[h] ?? '',
          hunks: [h],
        };
        wrappers.push(w);
        const head = w.kind === 'aggregate' ? `struct ${AGGREGATE_PREFIX}${w.index} ` : `void ${FRAGMENT_PREFIX}${w.index}(void) `;
        synthetic(head + '{'.repeat(need) + (commentFirst ? ' /*' : ''));
        depth = need;
        openWrapper = w;
        openName = ctx.name;
        openChanged = false;
      } else if (commentFirst) {
        synthetic('/*');
      }
      inComment = commentFirst;
    }

    // Emit the hunk's rows, following depth so a closed wrapper is no longer "open".
    let preLine = false;
    for (const l of lines) {
      out.push(l.text);
      rows.push(l);
      const s = scanLine(l.text, inComment, preLine);
      if (depth === 0 && s.delta > 0 && !s.preproc) {
        // A definition opens at the top level: remember its name for joining.
        openWrapper = null;
      }
      if (depth === 0 && !inComment) {
        const name = definitionName(l.text);
        if (name) {
          openName = name;
          openChanged = l.change !== ' ';
        }
      }
      depth += s.delta;
      if (depth <= 0) {
        if (depth < 0) {
          // More closed than opened: a guess was wrong; keep the text balanced.
          rows.pop();
          out.pop();
          out.push(l.text.replace(/\}/g, (m) => (depth++ < 0 ? ' ' : m)));
          rows.push(l);
          depth = 0;
        }
        openWrapper = null;
      }
      inComment = s.inCommentAfter;
      preLine = s.continues;
    }
    if (depth === 0) openName = null;
  }
  closeAll();
  return { text: out.join('\n') + '\n', rows, wrappers };
}

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
/** The condition of a block a hidden line opened (see compose's joins). */
export const HIDDEN_CONDITION = '__patchlens_hidden';

export type Kind = 'function' | 'aggregate' | 'initializer';

/** A wrapper the composer made: a function (or struct) whose start is not in the hunks. */
export interface Wrapper {
  index: number;
  kind: Kind;
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
  /** The same for parentheses. */
  pdelta: number;
  plow: number;
  inCommentAfter: boolean;
  /** Whether the line holds code outside comments (not only whitespace). */
  code: boolean;
  preproc: boolean;
  continues: boolean;
  /** Offset of the line's last code character, -1 if none (see tailOf). */
  lastCode: number;
}

const SLASH = 47, STAR = 42, DQUOTE = 34, SQUOTE = 39, BACKSLASH = 92, SPACE = 32, TAB = 9;
const LBRACE = 123, RBRACE = 125, LPAREN = 40, RPAREN = 41;

/** Scans one line of C for braces, parentheses and comment state; strings and char literals are skipped. */
function scanLine(line: string, inComment: boolean, inPreproc: boolean): LineScan {
  let depth = 0;
  let low = 0;
  let pdepth = 0;
  let plow = 0;
  let code = false;
  let k = 0;
  let lastCode = -1;
  const n = line.length;
  const preproc = inPreproc || (!inComment && /^\s*#/.test(line));
  // Character codes, not one-character strings: this runs over every image line.
  while (k < n) {
    const c = line.charCodeAt(k);
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
    if (c === SLASH) {
      const next = line.charCodeAt(k + 1);
      if (next === STAR) {
        inComment = true;
        k += 2;
        continue;
      }
      if (next === SLASH) break;
    }
    if (c === DQUOTE || c === SQUOTE) {
      k++;
      while (k < n && line.charCodeAt(k) !== c) k += line.charCodeAt(k) === BACKSLASH ? 2 : 1;
      lastCode = k;
      k++;
      code = true;
      continue;
    }
    if (c !== SPACE && c !== TAB) {
      code = true;
      lastCode = k;
    }
    if (!preproc) {
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        depth--;
        if (depth < low) low = depth;
      } else if (c === LPAREN) pdepth++;
      else if (c === RPAREN) {
        pdepth--;
        if (pdepth < plow) plow = pdepth;
      }
    }
    k++;
  }
  return {
    delta: depth, low, pdelta: pdepth, plow, inCommentAfter: inComment, code, preproc,
    continues: preproc && line.endsWith('\\'),
    lastCode,
  };
}

/**
 * The code of a line up to its last code character, trimmed (a trailing
 * comment cut off): made only where it is looked at, not for every line.
 */
function tailOf(line: string, s: LineScan): string {
  return s.lastCode >= 0 ? line.slice(0, s.lastCode + 1).trim() : '';
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

/** The function (or struct, or initializer) a `@@` context names. */
export function contextFunction(context: string): { name: string | null; uncertain: boolean; kind: Kind } {
  const c = context.trim();
  if (c === '') return { name: null, uncertain: false, kind: 'function' };
  if (opensInitializer(c)) return { name: null, uncertain: false, kind: 'initializer' };
  if (/^(?:(?:static|const|typedef)\s+)*(?:struct|union|enum)\s+\w+$/.test(withoutOpenBrace(c))) {
    return { name: null, uncertain: false, kind: 'aggregate' };
  }
  const call = firstCallName(c);
  if (call) {
    // A prototype or a macro statement (`EXPORT_SYMBOL(foo);`) is no enclosing function.
    if (/;\s*$/.test(c)) return { name: null, uncertain: false, kind: 'function' };
    return { name: call, uncertain: false, kind: 'function' };
  }
  // No `(`: the header was cut (interdiffs cut it at a fixed width).
  const words = c.match(/[A-Za-z_]\w*/g);
  const last = words ? words[words.length - 1]! : null;
  return { name: last, uncertain: true, kind: 'function' };
}

/** What a definition opening at the top level is, from its first line(s). */
function kindOfOpening(text: string): Kind {
  if (opensInitializer(text)) return 'initializer';
  if (!text.includes('(') && /\b(?:struct|union|enum)\b/.test(text)) return 'aggregate';
  return 'function';
}

/** Name of a function whose definition starts on a column-0 line (`name(` on it). */
function definitionName(text: string): string | null {
  if (/^\s/.test(text) || text.startsWith('#') || text.startsWith('/') || text.startsWith('*')) return null;
  return firstCallName(text);
}

/*
 * Linear-time forms of three regexes that were quadratic on long lines
 * (issue 13: a 50k-character line took 20 s): `=\s*\{?\s*$` tried every split
 * of a whitespace run between its two `\s*`, and `([A-Za-z_]\w*)\s*\(`
 * scanned a long word again from each of its letters.
 */

/** The text without trailing whitespace and one trailing `{` (and the whitespace before it). */
function withoutOpenBrace(text: string): string {
  const t = text.trimEnd();
  return t.endsWith('{') ? t.slice(0, -1).trimEnd() : t;
}

/** `... =`, `... = {`: the text ends opening an initializer (was /=\s*\{?\s*$/). */
function opensInitializer(text: string): boolean {
  return withoutOpenBrace(text).endsWith('=');
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * The first `name(` (spaces allowed before the parenthesis): what
 * /([A-Za-z_]\w*)\s*\(/ finds, in one pass.  A match can only end at the end of
 * a word, so each word is looked at once: from its first letter or `_`.
 */
function firstCallName(text: string): string | null {
  const n = text.length;
  let k = 0;
  while (k < n) {
    if (!isWordChar(text.charCodeAt(k))) {
      k++;
      continue;
    }
    const start = k;
    while (k < n && isWordChar(text.charCodeAt(k))) k++;
    let first = start;
    while (first < k && text.charCodeAt(first) <= 57) first++; // digits cannot start a name
    let j = k;
    while (j < n && /\s/.test(text[j]!)) j++;
    if (first < k && text.charCodeAt(j) === 40 /* ( */) return text.slice(first, k);
  }
  return null;
}

/** Prefix of a synthetic call that closes a statement cut at a hunk's start. */
export const CONTINUATION = '__patchlens_cont';
/** Name of the synthetic define that holds a macro body cut at a hunk's start. */
export const MACRO_CONTINUATION = '__PATCHLENS_MACRO_CONT';

/**
 * Composes the parse text of one image side of a file from its hunks'
 * lines (`hunks[i]` is the i-th hunk's image, `contexts[i]` its @@ context).
 */
export function compose(hunks: ImageLine[][], contexts: string[], oldNames: Map<string, string> = new Map()): Composed {
  const out: string[] = [];
  const rows: (ImageLine | null)[] = [];
  const wrappers: Wrapper[] = [];
  const synthetic = (text: string): void => {
    out.push(text);
    rows.push(null);
  };

  /** Depth of braces open at the end of what was emitted so far. */
  let depth = 0;
  /** One entry per open brace: true when it opened a `do { ... } while` body. */
  let braces: boolean[] = [];
  /** Synthetic text that closes the innermost `n` braces (`} while (0);` for a do body). */
  const closers = (n: number): string => {
    let t = '';
    for (let k = 0; k < n && braces.length; k++) t += braces.pop() ? '} while (0);' : '}';
    return t;
  };
  /** Name and kind of the definition open at the end of the text (depth > 0). */
  let openName: string | null = null;
  let openKind: Kind | null = null;
  /**
   * The open function's name line is a changed line: a rename or a new
   * function.  The @@ context of the next hunk names the old function (git
   * takes it from the pre-image), so it cannot be compared by name.
   */
  let openChanged = false;
  let openWrapper: Wrapper | null = null;
  let inComment = false;
  /** `#if`s open at the end of the text. */
  let ppOpen = 0;

  const closeAll = (): void => {
    if (inComment) {
      synthetic('*/');
      inComment = false;
    }
    for (; ppOpen > 0; ppOpen--) synthetic('#endif');
    if (depth > 0) synthetic(closers(depth) + (openKind !== 'function' && openKind !== null ? ';' : ''));
    depth = 0;
    braces = [];
    inComment = false;
    openName = null;
    openKind = null;
    openChanged = false;
    openWrapper = null;
  };

  for (let h = 0; h < hunks.length; h++) {
    const lines = hunks[h]!;
    if (lines.length === 0) continue;
    const ctx = contextFunction(contexts[h] ?? '');
    const commentFirst = startsInComment(lines);
    // A hunk that starts inside a multi-line #define: its first lines end in `\`.
    const firstText = lines.find((l) => l.text.trim() !== '')?.text ?? '';
    const macroFirst = !commentFirst && !/^\s*#/.test(firstText) && /\\\s*$/.test(firstText);

    // First pass over the hunk: nesting it needs, and whether it starts inside a body.
    let rel = 0;
    let low = 0;
    let prel = 0;
    let plow = 0;
    let contEnd = -1;
    let closeRow = -1;
    // #if nesting: `#endif`/`#else` without their `#if` in the hunk, and `#if` left open.
    let ppRel = 0;
    let ppLow = 0;
    /** Brace depth (relative to the hunk's start) where the unmatched `#endif`/`#else` sits. */
    let ppLowBraces = 0;
    /** Rows of `#else`/`#elif`/`#endif` whose `#if` is above the hunk. */
    const unmatchedPp = new Map<number, 'else' | 'endif'>();
    let c = commentFirst;
    let pre = macroFirst;
    const codeRows: number[] = [];
    /** First-pass scans, reused below when the emission starts a line in the same state. */
    const scans: { s: LineScan; comment: boolean; pre: boolean }[] = [];
    for (let r = 0; r < lines.length; r++) {
      const text = lines[r]!.text;
      const wasComment = c;
      const s = scanLine(text, c, pre);
      scans.push({ s, comment: c, pre });
      if (s.code && !s.preproc && !(wasComment && !/\*\//.test(text))) codeRows.push(r);
      if (rel + s.low < low) low = rel + s.low;
      rel += s.delta;
      if (prel + s.plow < plow) {
        plow = prel + s.plow;
        contEnd = r;
      }
      prel += s.pdelta;
      if (closeRow < 0 && /^\}/.test(text) && rel <= low) closeRow = r;
      if (!wasComment && !pre) {
        const d = /^\s*#\s*(if|endif|el)/.exec(text);
        if (d?.[1] === 'if') ppRel++;
        else if (d?.[1] === 'endif') {
          if (--ppRel < 0) unmatchedPp.set(r, 'endif');
          if (ppRel < ppLow) {
            ppLow = ppRel;
            ppLowBraces = rel;
          }
        } else if (d?.[1] === 'el') {
          if (ppRel - 1 < 0) unmatchedPp.set(r, 'else');
          if (ppRel - 1 < ppLow) {
            ppLow = ppRel - 1;
            ppLowBraces = rel;
          }
        }
      }
      c = s.inCommentAfter;
      pre = s.continues;
    }
    // The statement cut at the start ends at contEnd; judge nesting from the line after it.
    const firstCode = codeRows.length ? lines[codeRows[0]!]! : null;
    const afterCont = plow < 0 ? (codeRows.find((r) => r > contEnd) ?? -1) : codeRows[0] ?? -1;
    const judge = afterCont >= 0 ? lines[afterCont]! : firstCode;
    const topLevelSignature = plow < 0 && judge !== null && /^\{/.test(judge.text);
    // The hunk starts at the body's `{`: the signature is the line above it,
    // which git put in the @@ context.  A synthetic signature with that name
    // lets the body parse as the function it is.
    const bodyFirst = plow >= 0 && judge !== null && /^\{/.test(judge.text) && ctx.kind === 'function' && ctx.name !== null;
    const inside = judge !== null && !topLevelSignature && (/^\s/.test(judge.text) || /^\}/.test(judge.text));
    let need = 0;
    if (inside) {
      const byBraces = closeRow >= 0 ? Math.max(1, -low) : -low + 1;
      const byIndent = indentDepth(judge!.text) + (/^\s*\}/.test(judge!.text) ? 1 : 0);
      need = Math.max(byBraces, closeRow >= 0 ? byBraces : byIndent, 1);
    }
    const cont = plow < 0 ? (topLevelSignature ? `int ${ctx.name ?? CONTINUATION}(` : `${CONTINUATION}(`) + '('.repeat(-plow - 1) : bodyFirst ? `int ${ctx.name}(void)` : '';

    const joins =
      inside &&
      depth > 0 &&
      ctx.kind === openKind &&
      (ctx.name === null ||
        openName === null ||
        sameName(ctx.name, openName, ctx.uncertain) ||
        (openChanged && sameName(ctx.name, oldNames.get(openName) ?? '', ctx.uncertain)));
    if (joins) {
      // Same definition as the text still open: even out the nesting and go on.
      if (inComment) {
        synthetic('*/');
        inComment = false;
      }
      // `#if`s the last hunk left open (it ended on `#else`) that this hunk does not close:
      // the hidden code between the hunks did, else the rest of the body would sit in their branch.
      for (; ppOpen > -ppLow; ppOpen--) synthetic('#endif');
      if (depth > need) synthetic(closers(depth - need));
      else if (depth < need) {
        // Code the hunks do not show opened these blocks: in a function body
        // most likely an if or a loop, so a path may skip them (a `goto` inside
        // one does not end the path that follows).
        synthetic((openKind === 'function' ? `if (${HIDDEN_CONDITION}) {` : '{').repeat(need - depth));
        while (braces.length < need) braces.push(false);
      }
      depth = need;
      if (openWrapper) openWrapper.hunks.push(h);
      if (commentFirst || cont || macroFirst) synthetic((macroFirst ? `#define ${MACRO_CONTINUATION} \\` : '') + cont + (commentFirst ? '/*' : ''));
      inComment = commentFirst;
    } else {
      closeAll();
      // `}` then `#endif` (a function closed inside an `#ifdef` branch): the `#if`
      // the hunk does not show sits outside the wrapper, not inside its body.
      if (inside && ppLow < 0 && ppLowBraces <= -need) for (; ppOpen < -ppLow; ppOpen++) synthetic('#if 1');
      if (inside) {
        const w: Wrapper = {
          index: wrappers.length,
          kind: ctx.kind,
          name: ctx.kind === 'function' ? ctx.name : null,
          nameUncertain: ctx.uncertain,
          header: contexts[h] ?? '',
          hunks: [h],
        };
        wrappers.push(w);
        const head =
          w.kind === 'aggregate' ? `${/^\s*(?:typedef\s+)?enum\b/.test(w.header) ? 'enum' : 'struct'} ${AGGREGATE_PREFIX}${w.index} ` :
          w.kind === 'initializer' ? `int ${AGGREGATE_PREFIX}${w.index}[] = ` :
          `void ${FRAGMENT_PREFIX}${w.index}(void) `;
        synthetic(head + '{'.repeat(need) + (commentFirst ? ' /*' : '') + (cont ? ' ' + cont : ''));
        if (macroFirst) synthetic(`#define ${MACRO_CONTINUATION} \\`);
        depth = need;
        braces = new Array<boolean>(need).fill(false);
        openWrapper = w;
        openName = w.name;
        openKind = w.kind;
        openChanged = false;
      } else if (commentFirst || cont || macroFirst) {
        synthetic((macroFirst ? `#define ${MACRO_CONTINUATION} \\` : '') + cont + (commentFirst ? '/*' : ''));
      }
      // The hunk starts inside the signature (`unsigned long end)` then `{`): the
      // name line is not in the text, so no later row names the function.  The
      // @@ context does; without it, any next hunk would join this body.
      if ((topLevelSignature || bodyFirst) && ctx.kind === 'function' && ctx.name !== null) {
        openName = ctx.name;
        openChanged = false;
      }
      inComment = commentFirst;
    }

    // A hunk that goes on with the open function, closes it and then meets the `#else`/`#endif`
    // of an `#if` around the whole function (`} #else <stub> #endif`): an `#if 1` here would sit
    // inside the body.  The directives, and an `#else` branch up to its `#endif`, are read as
    // blank rows instead.
    const neutralize = joins && ppLow < 0 && ppLowBraces <= -need;
    if (neutralize) ppOpen += ppRel - ppLow;
    else {
      for (; ppOpen < -ppLow; ppOpen++) synthetic('#if 1');
      ppOpen += ppRel;
    }
    let elseNeutralized = false;

    // Emit the hunk's rows, following depth so a closed wrapper is no longer "open".
    let preLine = macroFirst;
    let pdepth = -plow;
    /** The hunk's last line of code (not preprocessor) and its scan. */
    let lastCodeLine: string | null = null;
    let lastCodeScan: LineScan | null = null;
    let lastPre = false;
    let pendingHead: string | null = null;
    for (let r = 0; r < lines.length; r++) {
      const l = lines[r]!;
      const pp = neutralize ? unmatchedPp.get(r) : undefined;
      if (pp === 'else') elseNeutralized = true;
      // The other branch (`#else` stub of the same function) is left out: tree-sitter parses both
      // branches of an `#if`, and two definitions of one name would pair the wrong pre and post.
      out.push(elseNeutralized || pp === 'endif' ? '' : l.text);
      if (pp === 'endif') elseNeutralized = false;
      rows.push(l);
      const wasComment = inComment;
      const cached = scans[r]!;
      const s = cached.comment === inComment && cached.pre === preLine ? cached.s : scanLine(l.text, inComment, preLine);
      if (depth === 0 && !wasComment && !s.preproc) {
        const name = definitionName(l.text);
        if (name) {
          openName = name;
          openChanged = l.change !== ' ';
        }
        if (s.code && !/^\s*\}/.test(l.text)) pendingHead = (pendingHead && !/[;}]\s*$/.test(pendingHead) ? pendingHead + ' ' : '') + tailOf(l.text, s);
      }
      if (depth === 0 && s.delta > 0 && !s.preproc) {
        openWrapper = null;
        openKind = kindOfOpening(pendingHead ?? l.text);
      }
      if (depth === 0 && s.delta === 0 && /;\s*$/.test(tailOf(l.text, s))) pendingHead = null;
      depth += s.delta;
      pdepth += s.pdelta;
      if (!s.preproc) {
        if (s.delta < 0) braces.length = Math.max(0, braces.length + s.delta);
        else if (s.delta > 0) {
          for (let k = 1; k < s.delta; k++) braces.push(false);
          braces.push(/\bdo\s*\{\s*$/.test(tailOf(l.text, s)));
        }
      }
      if (s.code && !s.preproc) {
        lastCodeLine = l.text;
        lastCodeScan = s;
      }
      lastPre = s.continues;
      if (depth <= 0) {
        if (depth < 0) {
          // More closed than opened: a guess was wrong; keep the text balanced.
          let extra = -depth;
          const fixed = l.text.replace(/\}/g, (m) => (extra-- > 0 ? ' ' : m));
          out[out.length - 1] = fixed;
          depth = 0;
        }
        openWrapper = null;
        if (s.delta < 0) pendingHead = null;
      }
      inComment = s.inCommentAfter;
      preLine = s.continues;
    }
    // A statement cut at the hunk's end: close it so the next rows parse.
    const closer = lastCodeLine !== null && lastCodeScan !== null ?
      statementCloser(tailOf(lastCodeLine, lastCodeScan), lastCodeLine.trim(), pdepth, depth === 0 ? null : openKind) : '';
    if (lastPre) synthetic('');
    if (closer && !inComment) synthetic(closer);
    if (depth === 0) {
      openName = null;
      openKind = null;
    }
  }
  closeAll();
  return { text: out.join('\n') + '\n', rows, wrappers };
}

function sameName(context: string, name: string, cut: boolean): boolean {
  return context === name || (cut && name.startsWith(context));
}

/**
 * Functions renamed by a patch, new name -> old name: the definition lines
 * removed and added in the same hunk, paired in order.  The @@ context of a
 * later hunk names the old function, because git takes it from the pre-image.
 */
export function renamedDefinitions(hunkLines: { kind: string; text: string }[][]): Map<string, string> {
  const out = new Map<string, string>();
  for (const lines of hunkLines) {
    const removed: string[] = [];
    const added: string[] = [];
    for (const l of lines) {
      const name = definitionName(l.text);
      if (!name || !/\(/.test(l.text) || /;\s*$/.test(l.text)) continue;
      if (l.kind === '-') removed.push(name);
      else if (l.kind === '+') added.push(name);
    }
    for (let k = 0; k < Math.min(removed.length, added.length); k++) if (removed[k] !== added[k]) out.set(added[k]!, removed[k]!);
  }
  return out;
}

/** Text that ends a statement the hunk cut (`0);`, `;`), or '' when it ended cleanly. */
function statementCloser(tail: string, head: string, pdepth: number, kind: Kind | null): string {
  if (tail === '') return '';
  // At top level (kind null) the cut statement is a signature (`queue_pages_range(struct mm_struct *mm,`):
  // without its `;` the next definition would parse as its K&R parameter list and body.
  if (pdepth > 0) return '0' + ')'.repeat(pdepth) + (kind === 'function' || kind === null ? ';' : '');
  // A top-level signature the hunk ends on, its body not shown (`static void f(struct x *x)`):
  // without a `;` the next definition would parse as its K&R parameter list and body.
  if (kind === null) return /\)\s*$/.test(tail) && /^[A-Za-z_][\w\s*]*\(/.test(head) ? ';' : '';
  if (kind !== 'function') return '';
  if (/(?:&&|\|\||[-+*/%&|^=?<>!~,(])$/.test(tail)) return '0;';
  if (/^(?:\}\s*)?(?:else\b|(?:if|for|while|switch)\s*\(|\w*for_each\w*\s*\()/.test(head) && /(?:\)|\belse)$/.test(tail)) return ';';
  return '';
}

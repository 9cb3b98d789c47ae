/**
 * C facts for a patch: what the C looked like before and after it, per
 * function, mapped to the line and column of the patch document.
 *
 * API
 *
 *   extractPatchFacts(input, options?): PatchFacts
 *     input.file   name of the input document (goes into every SourcePos)
 *     input.diff   the diff text (from its first `diff --git` / `---` / `@@` line)
 *     input.map    LineMap of the diff text to the document: diff line i is
 *                  document line map.line(i), column map.column(i).  For a
 *                  patch's diff use offsetMap(message.bodyMap, diffBodyLine);
 *                  for a quoted diff, its own map.
 *     options.tree path of a Linux source tree: kernel-tree mode (each file
 *                  is patched in memory, whole functions are analysed, and
 *                  defines resolve through the tree's headers).
 *
 *   Facts (src/core/c/facts.ts): one FunctionFacts per function per image
 *   (pre = before the patch, post = after), defines, comments outside
 *   functions, skipped files with the reason, parse statistics, hunks that
 *   did not apply to the tree, and diff problems.  Never throws: a file
 *   that cannot be analysed is skipped with its reason.
 *
 *   patchFacts(patch, options?)    the same for a series Patch (its diff,
 *                                  mapped through its message's bodyMap)
 *   quotedFacts(message, options?) one PatchFacts per quote depth of the
 *                                  diffs a reply quotes (pieces joined)
 *
 * The tree-sitter parser is created on first use and kept (parser.ts).
 */
import type { LineMap, Problem, SourcePos } from '../types.js';
import type { CommentFact, DefineFact, FunctionFacts, Image, PatchFacts } from './facts.js';
import { readDiff } from '../diff/read.js';
import type { DiffFile } from '../diff/types.js';
import { docPos, hunkImages, offsetMap, type ImageLine } from '../diff/images.js';
import { joinQuoted } from '../diff/recover.js';
import { compose, renamedDefinitions } from './compose.js';
import { neutralize } from './neutralize.js';
import { withParsedC } from './parser.js';
import { lightTree, type SNode } from './syntax.js';
import { extract, type RawDefine } from './extract.js';
import { evaluate } from './defines.js';
import { applyToTree, treeDefines, type TreeFile } from './tree.js';
import { treeReader, type TreeFs, type TreeReader } from './treefs.js';
import { appendLabelBodies, locate, treeFileFunctions } from './locate.js';

export { offsetMap, identityMap } from '../diff/images.js';

/** Facts of a series patch's own diff (`Patch` of src/core/series/types.ts). */
export function patchFacts(
  patch: { diff: string; diffBodyLine: number; message: { file: string; bodyMap: LineMap } },
  options: FactsOptions = {},
): PatchFacts {
  return extractPatchFacts({ file: patch.message.file, diff: patch.diff, map: offsetMap(patch.message.bodyMap, patch.diffBodyLine) }, options);
}

/** Facts of the diffs a message quotes, one per quote depth (`MailMessage.quotedDiffs`). */
export function quotedFacts(
  message: { file: string; quotedDiffs: { text: string; map: LineMap; depth: number }[] },
  options: FactsOptions = {},
): { depth: number; facts: PatchFacts }[] {
  return joinQuoted(message.quotedDiffs).map((d) => ({ depth: d.depth, facts: extractPatchFacts({ file: message.file, diff: d.text, map: d.map }, options) }));
}
export type { PatchFacts, FunctionFacts } from './facts.js';

export interface FactsInput {
  file: string;
  diff: string;
  map: LineMap;
}

export interface FactsOptions {
  /** Linux source tree for kernel-tree mode. */
  tree?: string;
  /** The file-system layer tree reads go through (tests inject one that fails on escape). */
  treeFs?: TreeFs;
}

const C_FILE = /\.[ch]$/;

/** Per-image analysis of one file, before defines are evaluated. */
interface ImageResult {
  functions: FunctionFacts[];
  spans: [number, number][];
  comments: CommentFact[];
  defines: RawDefine[];
  /** Hunk indices with an error node over one of their changed lines. */
  badHunks: Set<number>;
  errors: SourcePos[];
}

export function extractPatchFacts(input: FactsInput, options: FactsOptions = {}): PatchFacts {
  const facts: PatchFacts = { functions: [], defines: [], comments: [], skipped: [], parse: { hunks: 0, hunksWithErrors: 0, errors: [] }, problems: [] };
  let parsed;
  try {
    parsed = readDiff(input.diff);
  } catch (e) {
    facts.problems!.push({ file: input.file, line: 1, column: 1, kind: 'damaged-diff', message: String(e) });
    return facts;
  }
  for (const p of parsed.problems) {
    const pos = docPos(input.file, input.map, p.line, -1);
    facts.problems!.push({ ...pos, kind: p.kind, message: p.message } satisfies Problem);
  }
  const rawDefines: RawEntry[] = [];
  const includes = new Set<string>();
  const tree = options.tree ? treeReader(options.tree, options.treeFs) : null;
  for (const file of parsed.files) {
    const path = file.newPath ?? file.oldPath ?? '';
    if (file.binary) {
      facts.skipped.push({ path, reason: 'binary patch' });
      continue;
    }
    if (path !== '' && !C_FILE.test(path)) {
      facts.skipped.push({ path, reason: 'not a C file' });
      continue;
    }
    if (file.hunks.length === 0) {
      facts.skipped.push({ path, reason: `no hunks (${file.status})` });
      continue;
    }
    try {
      analyzeFile(input, file, path, tree, facts, rawDefines, includes);
    } catch (e) {
      if (e instanceof TooDeep) {
        // Said at the line where the nesting passes the bound, not as a failure of the whole diff.
        facts.skipped.push({ path, reason: `not analysed: ${e.message}` });
        facts.problems!.push({ ...e.pos, kind: 'c-too-deep', message: `${path} was not checked: ${e.message}` });
      } else facts.skipped.push({ path, reason: `analysis failed: ${(e as Error).message}` });
    }
  }
  try {
    facts.defines = resolveDefines(rawDefines, tree, [...includes]);
  } catch (e) {
    facts.problems!.push({ file: input.file, line: input.map.length ? input.map.line(0) : 1, column: 1, kind: 'defines', message: `defines not evaluated: ${(e as Error).message}` });
  }
  // Paths from mail that would leave the tree: refused, and said at the diff's start.
  for (const r of tree?.refused ?? []) {
    facts.problems!.push({ file: input.file, line: input.map.length ? input.map.line(0) : 1, column: 1, kind: 'tree-path',
      message: `kernel tree: refused to read '${r.path}': ${r.reason}` });
  }
  return facts;
}

function analyzeFile(
  input: FactsInput,
  file: DiffFile,
  path: string,
  treeRead: TreeReader | null,
  facts: PatchFacts,
  rawDefines: RawEntry[],
  includes: Set<string>,
): void {
  const images = hunkImages(file);
  const bad = new Set<number>();
  let tree: TreeFile | null = null;
  if (treeRead) {
    tree = applyToTree(treeRead, file, input.file, input.map);
    if (tree.notApplied.length) (facts.notApplied ??= []).push(...tree.notApplied.map((n) => ({ ...n, path })));
    else if (tree.ok) (facts.applied ??= []).push(path);
    // Headers the file includes resolve its flags too (one level).
    for (const m of tree.pre.text.matchAll(/^#\s*include\s*<([\w/.-]+\.h)>/gm)) includes.add('include/' + m[1]!);
  }
  for (const image of ['pre', 'post'] as const) {
    if (image === 'pre' && file.status === 'added') continue;
    if (image === 'post' && file.status === 'deleted') continue;
    const r = tree?.ok ? analyzeWhole(input, tree, image, path) : analyzeFragments(input, file, images, image, path);
    facts.functions.push(...r.functions);
    for (const c of r.comments) if (image === 'post' || c.change === '-') facts.comments.push(c);
    for (const d of r.defines) rawDefines.push({ d, image, path, report: d.pos.file === input.file });
    for (const h of r.badHunks) bad.add(h);
    facts.parse!.errors.push(...r.errors);
  }
  facts.parse!.hunks += file.hunks.length;
  facts.parse!.hunksWithErrors += bad.size;
  if (treeRead && tree && !tree.ok && file.status !== 'added') locateInTree(treeRead, file, path, tree, facts);
}

/** The patch did not apply to this file: find its functions in the tree anyway (c/locate.ts). */
function locateInTree(treeRead: TreeReader, file: DiffFile, path: string, tree: TreeFile, facts: PatchFacts): void {
  const shown = facts.functions.filter((f) => f.image === 'post' && f.path === path && !f.hasStart);
  const rel = file.oldPath ?? path;
  if (shown.length > 0 && treeRead.check(rel) === null) {
    const treeFns = treeFileFunctions(treeRead, rel, (diff, name, map) => extractPatchFacts({ file: name, diff, map }).functions);
    for (const fn of shown) {
      const t = locate(fn, treeFns);
      if (!t) continue;
      const labels = appendLabelBodies(fn, t);
      const called = new Set(fn.calls.map((c) => c.name));
      const callees = treeFns.filter((c) => c !== t && c.name !== fn.name && called.has(c.name));
      (facts.located ??= []).push({ name: fn.name, path, tree: t, callees, labels });
    }
  }
  // Of the hunks that did not apply, those whose function was found.
  const names = new Set((facts.located ?? []).filter((l) => l.path === path).map((l) => l.name));
  for (const n of tree.notApplied) {
    const name = /(\w+)\s*\(/.exec(file.hunks[n.hunk]?.context ?? '')?.[1];
    if (name && names.has(name)) facts.locatedHunks = (facts.locatedHunks ?? 0) + 1;
  }
}

/** Parses one image from the hunks alone (no tree). */
function analyzeFragments(input: FactsInput, file: DiffFile, images: ReturnType<typeof hunkImages>, image: Image, path: string): ImageResult {
  const composed = compose(
    images.map((h) => h[image]),
    images.map((h) => h.hunk.context),
    image === 'post' ? renamedDefinitions(file.hunks.map((h) => h.lines)) : new Map(),
  );
  const locate = (row: number, col: number): SourcePos => {
    const origin = composed.rows[row];
    if (!origin) return { file: input.file, line: file.hunks[0] ? input.map.line(Math.min(file.hunks[0].headerLine, input.map.length - 1)) : 1, column: 1 };
    return docPos(input.file, input.map, origin.diffLine, col);
  };
  return parseImage(composed.text, composed.rows, composed.wrappers, locate, image, path, (row) => composed.rows[row]?.hunk ?? -1);
}

/** Parses one whole patched (or unpatched) tree file. */
function analyzeWhole(input: FactsInput, tree: TreeFile, image: Image, path: string): ImageResult {
  const side = image === 'pre' ? tree.pre : tree.post;
  const locate = (row: number, col: number): SourcePos => {
    const origin = side.rows[row];
    if (origin && origin.diffLine >= 0) return docPos(input.file, input.map, origin.diffLine, col);
    // Lines the patch does not show: the tree file's own line (in both images).
    return { file: tree.treePath, line: origin ? origin.fileLine : row + 1, column: col + 1 };
  };
  const r = parseImage(side.text, side.rows, [], locate, image, path, (row) => side.rows[row]?.hunk ?? -1);
  // Whole files: report only functions with a line of the patch in them.
  const shown = (span: [number, number]): boolean => {
    for (let row = span[0]; row <= span[1]; row++) if ((side.rows[row]?.diffLine ?? -1) >= 0) return true;
    return false;
  };
  r.functions = r.functions.filter((_f, k) => shown(r.spans[k]!));
  r.comments = r.comments.filter((c) => c.pos.file === input.file);
  // All defines of the file feed evaluation; only those on patch lines are reported.
  return r;
}

/**
 * How deep the syntax tree may nest before analysis stops.  The extractor
 * walks statements recursively; C nested 800 blocks deep overflowed its
 * stack (issue 13).  512 tree levels (about 250 nested blocks, or an
 * expression chain of that depth) is far beyond real kernel code.
 */
const MAX_TREE_DEPTH = 512;

/**
 * How much C one image may hold: a 20 MB hunk took 72 s and 1.7 GB to
 * analyse (issue 13).  2 MB is larger than any .c file of Linux 6.12 (the
 * largest, drivers/gpu/drm/amd/display/dc/dml/dcn20/display_mode_vba_20.c,
 * is ~250 KB); generated register headers that are larger are left out.
 */
const MAX_C_CHARS = 2_000_000;

/** Analysis stopped at a stated bound: reported at the line where it was passed. */
class TooDeep extends Error {
  constructor(
    readonly pos: SourcePos,
    message = `C nested more than ${MAX_TREE_DEPTH} levels deep (at line LINE); not analysed`,
  ) {
    super(message.replace('LINE', String(pos.line)));
  }
}

/** The first node (in document order) below MAX_TREE_DEPTH levels; found without recursion. */
function firstTooDeep(root: SNode): SNode | null {
  const stack: [SNode, number][] = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) return node;
    for (let k = node.kids.length - 1; k >= 0; k--) stack.push([node.kids[k]!, depth + 1]);
  }
  return null;
}

/** The document position of a text offset (row and column counted in the text). */
function locateOffset(text: string, offset: number, locate: (row: number, col: number) => SourcePos): SourcePos {
  let row = 0;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    row++;
    lineStart = nl + 1;
  }
  return locate(row, offset - lineStart);
}

function parseImage(
  text: string,
  rows: (ImageLine | null)[],
  wrappers: Parameters<typeof extract>[0]['wrappers'],
  locate: (row: number, col: number) => SourcePos,
  image: Image,
  path: string,
  hunkOfRow: (row: number) => number,
): ImageResult {
  if (text.length > MAX_C_CHARS) {
    throw new TooDeep(locateOffset(text, MAX_C_CHARS, locate), `the C of ${image === 'pre' ? 'the old' : 'the new'} image runs past ${MAX_C_CHARS / 1_000_000} MB (at line LINE)`);
  }
  const n = neutralize(text);
  const root = withParsedC(n.text, (tree) => lightTree(tree, n.text));
  const deep = firstTooDeep(root);
  if (deep) throw new TooDeep(locateOffset(n.text, deep.start, locate));
  // An ImageLine is a RowOrigin (its change is the row's): no copy per row.
  const out = extract({ src: text, root, rows, locate, loops: n.loops, scopes: n.scopes, wrappers, image, path });
  const badHunks = new Set<number>();
  const errors: SourcePos[] = [];
  for (const e of out.errors) {
    let counted = false;
    for (let r = e.startRow; r <= e.endRow && r < rows.length; r++) {
      const o = rows[r];
      if (o && o.change !== ' ') {
        const h = hunkOfRow(r);
        if (h >= 0) badHunks.add(h);
        counted = true;
      }
    }
    if (counted) errors.push(e.pos);
  }
  return { functions: out.functions, spans: out.spans, comments: out.comments, defines: out.defines, badHunks, errors };
}

/**
 * One DefineFact per define line: context and `+` defines from the post
 * image, `-` defines from the pre image.  Values resolve through the defines
 * of the same image first, then through the kernel tree's headers.
 */
interface RawEntry {
  d: RawDefine;
  image: Image;
  path: string;
  /** On a line of the patch (kernel-tree mode also sees the rest of the file). */
  report: boolean;
}

function resolveDefines(raw: RawEntry[], tree: TreeReader | null, includes: string[]): DefineFact[] {
  const table: Record<Image, Map<string, string>> = { pre: new Map(), post: new Map() };
  // Patch lines win over the rest of the file, which wins over the headers.
  for (const { d, image, report } of raw) if (!d.functionLike && (report || !table[image].has(d.name))) table[image].set(d.name, d.text);
  const fromTree = tree ? treeDefines(tree, includes) : null;
  const out: DefineFact[] = [];
  for (const { d, image, path, report } of raw) {
    if (!report) continue;
    if (image === 'pre' ? d.change !== '-' : d.change === '-') continue;
    const lookup = (name: string): string | null => table[image].get(name) ?? fromTree?.(name) ?? null;
    out.push({
      name: d.name,
      text: d.text,
      value: d.functionLike ? null : evaluate(d.text, lookup),
      pos: d.pos,
      change: d.change,
      path,
    });
  }
  return out;
}

/**
 * A light copy of a tree-sitter tree: named nodes only, with their type and
 * text offsets.  Every property of a tree-sitter node or cursor is a call
 * into native code; one cursor pass that reads as few as it can (a type id,
 * then start and end for named nodes only) is several times cheaper than
 * walking SyntaxNode objects, and the extractor then walks plain objects.
 */
import type { CTree } from './parser.js';

export interface SNode {
  type: string;
  /** Offsets (UTF-16 code units) into the parsed text. */
  start: number;
  end: number;
  kids: SNode[];
  /**
   * A node tree-sitter inserted to recover (`MISSING ";"`).
   * (Leaves, and plain argument lists, share one frozen empty `kids`.)
   */
  missing?: boolean;
}

/** Shared by every leaf: leaves never get children. */
export const NO_KIDS: SNode[] = [];

/**
 * Per grammar symbol, read once per process: its name, whether it is a named
 * node, and how the copy treats it (so a node costs one array read, not set
 * look-ups by name).
 */
interface SymbolInfo {
  type: string;
  named: boolean;
  /** A word: its end is found by scanning the text. */
  word: boolean;
  /** Its insides are not copied (see OPAQUE). */
  opaque: boolean;
  /** Its children are tokens only (see TOKENS_ONLY). */
  tokensOnly: boolean;
  argumentList: boolean;
  parameterList: boolean;
}
const symbols: (SymbolInfo | undefined)[] = [];

/** Leaves as far as the extractor cares: their insides are not copied. */
const OPAQUE = new Set(['string_literal', 'char_literal', 'concatenated_string', 'system_lib_string', 'comment', 'number_literal']);

/**
 * Nodes whose children are all anonymous tokens (`static`, `break ;`), by
 * tree-sitter-c's node-types.json: nothing to copy, so they are not entered
 * (each token would cost native calls).  Only in trees without errors: a
 * MISSING `;` inside one is copied otherwise.  (`type_qualifier` is not one:
 * it may hold an `alignas_qualifier`.)
 */
const TOKENS_ONLY = new Set([
  'storage_class_specifier', 'break_statement', 'continue_statement', 'preproc_arg', 'preproc_directive', 'gnu_asm_qualifier',
]);

/** Leaves whose end is found by scanning the text (a word), saving a native call each. */
const WORDS = new Set(['identifier', 'field_identifier', 'type_identifier', 'statement_identifier', 'primitive_type', 'true', 'false', 'null', 'number_literal']);

function wordEnd(text: string, start: number): number {
  let k = start;
  for (; k < text.length; k++) {
    const c = text.charCodeAt(k);
    // [A-Za-z0-9_.] (a dot for number literals such as 1.5)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46)) break;
  }
  return k;
}

function plainArgs(text: string, start: number, end: number): boolean {
  for (let k = start + 1; k < end - 1; k++) {
    const c = text.charCodeAt(k);
    // ( = { " ' /  : a call, cast, assignment, block, string or comment inside
    if (c === 40 || c === 61 || c === 123 || c === 34 || c === 39 || c === 47) return false;
  }
  return true;
}

/** Copies the named (and missing) nodes of a tree parsed from `text`. */
export function lightTree(tree: CTree, text: string): SNode {
  const cursor = tree.walk();
  // Error recovery is rare; only then are MISSING tokens looked for.
  const hasError = tree.rootNode.hasError;
  const root: SNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, kids: [] };
  if (!cursor.gotoFirstChild()) return root;
  const stack: SNode[] = [root];
  for (;;) {
    const parent = stack[stack.length - 1]!;
    const id = cursor.nodeTypeId;
    let sym = symbols[id];
    if (!sym) {
      const type = cursor.nodeType;
      sym = {
        type, named: cursor.nodeIsNamed, word: WORDS.has(type), opaque: OPAQUE.has(type), tokensOnly: TOKENS_ONLY.has(type),
        argumentList: type === 'argument_list', parameterList: type === 'parameter_list',
      };
      symbols[id] = sym;
    }
    let node: SNode | null = null;
    const missing = hasError && cursor.nodeIsMissing;
    if (sym.named || missing) {
      const start = cursor.startIndex;
      const word = !missing && sym.word;
      const leaf = word || sym.opaque || (!hasError && sym.tokensOnly);
      node = { type: sym.type, start, end: word ? wordEnd(text, start) : cursor.endIndex, kids: leaf ? NO_KIDS : [] };
      if (missing) node.missing = true;
      parent.kids.push(node);
      // An argument list with no call, assignment or block inside is kept as text
      // (its arguments are split by the extractor): most lists are that plain.
      if (!hasError && sym.argumentList && plainArgs(text, start, node.end)) node.kids = NO_KIDS;
      // Parameter lists: the extractor reads names and bodies, never the parameters.
      else if (!hasError && sym.parameterList) node.kids = NO_KIDS;
    }
    if (node && node.kids !== NO_KIDS && cursor.gotoFirstChild()) {
      stack.push(node);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      stack.pop();
      if (stack.length === 0) return root;
    }
  }
}

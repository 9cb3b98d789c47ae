/**
 * A light copy of a tree-sitter tree: named nodes only, with their type and
 * text offsets.  Walking tree-sitter's own nodes crosses into native code for
 * every property; one cursor pass that copies what the extractor needs is
 * several times cheaper than walking SyntaxNode objects.
 */
import type ParserType from 'tree-sitter';

export interface SNode {
  type: string;
  /** Offsets (UTF-16 code units) into the parsed text. */
  start: number;
  end: number;
  kids: SNode[];
  /** A node tree-sitter inserted to recover (`MISSING ";"`). */
  missing?: boolean;
}

/** Copies the named (and missing) nodes of a tree. */
export function lightTree(tree: ParserType.Tree): SNode {
  const cursor = tree.walk();
  const root: SNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, kids: [] };
  if (!cursor.gotoFirstChild()) return root;
  const stack: SNode[] = [root];
  for (;;) {
    const parent = stack[stack.length - 1]!;
    let node: SNode | null = null;
    const missing = cursor.nodeIsMissing;
    if (cursor.nodeIsNamed || missing) {
      node = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, kids: [] };
      if (missing) node.missing = true;
      parent.kids.push(node);
    }
    if (node && cursor.gotoFirstChild()) {
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

/**
 * The C facts the lock checks consume, one set per function per image.
 * Produced by src/core/c from the hunks of src/core/diff; every position is
 * already mapped back to the input document (file, line, column).
 */
import type { Problem, SourcePos } from '../types.js';
import type { LocatedFunction } from './locate.js';

export type Image = 'pre' | 'post';

/** A node of the control-flow shape around calls, in source order. */
export type FlowItem =
  | { kind: 'call'; call: CallFact }
  | { kind: 'if'; pos: SourcePos; condition: string; conditionCalls: CallFact[]; then: FlowItem[]; else: FlowItem[] | null }
  | { kind: 'loop'; pos: SourcePos; header: string; body: FlowItem[] }
  | { kind: 'return'; pos: SourcePos; value: string; calls: CallFact[] }
  | { kind: 'goto'; pos: SourcePos; label: string }
  | { kind: 'label'; pos: SourcePos; label: string }
  | { kind: 'assign'; assign: AssignFact }
  | { kind: 'break' | 'continue'; pos: SourcePos };

export interface CallFact {
  name: string;
  args: string[];
  pos: SourcePos;
  /** Line was added (+), removed (-) or context ( ) in the patch. */
  change: '+' | '-' | ' ';
  /** Call sits inside the condition of an if / while / return expression. */
  inCondition: boolean;
  /** The call's result is used (assigned, tested, returned), not discarded. */
  resultUsed: boolean;
}

export interface AssignFact {
  /** Left-hand side text, e.g. `vma->vm_flags`. */
  target: string;
  /** Struct field written, e.g. `vm_flags`, when the target is a field access. */
  field: string | null;
  /** Operator: `=`, `|=`, `&=` ... */
  op: string;
  value: string;
  pos: SourcePos;
  change: '+' | '-' | ' ';
}

export interface DefineFact {
  name: string;
  /** The replacement text as written. */
  text: string;
  /** Evaluated constant value, when it is a constant expression of known defines. */
  value: bigint | null;
  pos: SourcePos;
  change: '+' | '-' | ' ';
  /** File of the kernel tree. */
  path: string;
}

export interface CommentFact {
  text: string;
  /** Identifiers the comment names (`foo()`, `foo`, `struct foo`). */
  identifiers: string[];
  pos: SourcePos;
  change: '+' | '-' | ' ';
}

export interface FunctionFacts {
  name: string;
  /** Kernel-tree file. */
  path: string;
  image: Image;
  /** Whether the definition's start is inside the hunk (else: from the @@ header). */
  hasStart: boolean;
  /** Whether the function is entirely new (all + lines) / entirely removed. */
  added: boolean;
  removed: boolean;
  pos: SourcePos;
  flow: FlowItem[];
  /** Flat list of calls in source order (same objects as in `flow`). */
  calls: CallFact[];
  assigns: AssignFact[];
  identifiers: string[];
  comments: CommentFact[];
  /** ERROR / MISSING nodes of tree-sitter over changed lines. */
  parseErrors: SourcePos[];
  /** Change of the line that names the function (hasStart only): a `-`/`+` name line is a removed/added definition, e.g. a rename. */
  change?: '+' | '-' | ' ';
  /** The `@@` context the name was taken from (hasStart false). */
  header?: string;
  /** The name comes from an `@@` context that was cut short: it may be a prefix. */
  nameUncertain?: boolean;
}

/** Facts for one patch. */
export interface PatchFacts {
  functions: FunctionFacts[];
  defines: DefineFact[];
  /** Comments outside any function. */
  comments: CommentFact[];
  /** Files skipped (non-C, binary), with the reason. */
  skipped: { path: string; reason: string }[];
  /** How well the C parsed: hunks of C files, and those with an ERROR/MISSING node over a changed line. */
  parse?: { hunks: number; hunksWithErrors: number; errors: SourcePos[] };
  /** Kernel-tree mode: files (tree paths) the patch applied to, analysed whole. */
  applied?: string[];
  /** Kernel-tree mode, patch not applied: hunk functions found in the tree by name and context (c/locate.ts). */
  located?: LocatedFunction[];
  /** Kernel-tree mode: of the hunks that did not apply, how many had their function located. */
  locatedHunks?: number;
  /** Kernel-tree mode: hunks that did not apply to the tree's file, and where. */
  notApplied?: { path: string; hunk: number; pos: SourcePos; reason: string }[];
  /** Problems reading the diff (damaged hunks, wrapped @@ lines), at their input line. */
  problems?: Problem[];
}

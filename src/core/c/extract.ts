/**
 * Facts from one parsed image text: functions with their calls in source
 * order, the control-flow shape around them, field assignments, identifiers
 * and comments; #defines; and the parse errors over changed lines.
 *
 * Positions come out already mapped to the input document through `locate`.
 */
import type { SourcePos } from '../types.js';
import type {
  AssignFact, CallFact, CommentFact, FlowItem, FunctionFacts, Image,
} from './facts.js';
import { NO_KIDS, type SNode } from './syntax.js';
import { commentIdentifiers } from './comments.js';
import { AGGREGATE_PREFIX, CONTINUATION, FRAGMENT_PREFIX, MACRO_CONTINUATION, type Wrapper } from './compose.js';

export type Change = '+' | '-' | ' ';

/** Where a row of the parsed text came from. */
export interface RowOrigin {
  change: Change;
}

export interface ExtractInput {
  /** The parsed text before neutralizing (sliced for facts' text). */
  src: string;
  root: SNode;
  rows: (RowOrigin | null)[];
  /** Maps a row and column of the parsed text to the input document. */
  locate(row: number, col: number): SourcePos;
  loops: Set<number>;
  scopes: Set<number>;
  wrappers: Wrapper[];
  image: Image;
  /** Kernel-tree path of the file. */
  path: string;
}

export interface RawDefine {
  name: string;
  text: string;
  functionLike: boolean;
  pos: SourcePos;
  change: Change;
}

export interface ExtractOutput {
  functions: FunctionFacts[];
  /** Rows (first, last) of the parsed text each function spans, parallel to `functions`. */
  spans: [number, number][];
  comments: CommentFact[];
  defines: RawDefine[];
  /** ERROR / MISSING nodes: their row span. */
  errors: { startRow: number; endRow: number; pos: SourcePos }[];
}

const FUNCTION_LIKE = new Set(['function_definition']);
const WORD = /\b[A-Za-z_]\w*/g;
const C_WORDS = new Set(['sizeof', 'struct', 'union', 'enum', 'const', 'unsigned', 'signed', 'int', 'long', 'short', 'char', 'void', 'volatile']);

/** The kids of a statement without its comments (the parts are found by position). */
function codeKids(n: SNode): SNode[] {
  for (const k of n.kids) if (k.type === 'comment') return n.kids.filter((x) => x.type !== 'comment');
  return n.kids;
}

/** Splits plain argument text (no calls, strings or comments) at its top-level commas. */
function splitArgs(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let k = 0; k < inner.length; k++) {
    const c = inner[k];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(from, k));
      from = k + 1;
    }
  }
  out.push(inner.slice(from));
  const args = out.map((a) => a.replace(/\s+/g, ' ').trim());
  return args.length === 1 && args[0] === '' ? [] : args;
}

export function extract(input: ExtractInput): ExtractOutput {
  const { src, root, rows } = input;
  const lineStarts: number[] = [0];
  for (let k = src.indexOf('\n'); k >= 0; k = src.indexOf('\n', k + 1)) lineStarts.push(k + 1);
  const rowOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  /** Position of an offset; a synthetic row moves to the next real one. */
  const posOf = (offset: number): SourcePos => {
    let row = rowOf(offset);
    let col = offset - lineStarts[row]!;
    while (row < rows.length - 1 && rows[row] === null) {
      row++;
      col = 0;
    }
    return input.locate(row, col);
  };
  const changeAt = (offset: number): Change => rows[rowOf(offset)]?.change ?? ' ';
  const text = (n: SNode): string => src.slice(n.start, n.end);
  const flat = (n: SNode): string => text(n).replace(/\s+/g, ' ').trim();
  /** The change of a multi-row span: `+`/`-` if any row changed, else context. */
  const spanChange = (n: SNode): Change => {
    const a = rowOf(n.start);
    const b = rowOf(Math.max(n.start, n.end - 1));
    for (let r = a; r <= b; r++) {
      const c = rows[r]?.change;
      if (c === '+' || c === '-') return c;
    }
    return ' ';
  };

  const out: ExtractOutput = { functions: [], spans: [], comments: [], defines: [], errors: [] };
  const functionNodes: SNode[] = [];
  const comments: SNode[] = [];

  // One pass over everything: functions, comments, defines, errors.
  // Two parallel stacks (node, inside a function): no record per node.
  const stack: SNode[] = [root];
  const inFns: boolean[] = [false];
  while (stack.length) {
    const n = stack.pop()!;
    const inFn = inFns.pop()!;
    const t = n.type;
    if (t === 'ERROR' || n.missing) {
      const pos = posOf(n.start);
      out.errors.push({ startRow: rowOf(n.start), endRow: rowOf(Math.max(n.start, n.end - 1)), pos });
    }
    if (t === 'comment') {
      comments.push(n);
      continue;
    }
    if ((t === 'preproc_def' || t === 'preproc_function_def') && n.kids[0]?.type === 'identifier') {
      const value = n.kids.find((k) => k.type === 'preproc_arg');
      const name = text(n.kids[0]);
      if (name !== MACRO_CONTINUATION) out.defines.push({
        name,
        text: value ? text(value).replace(/\\\n\s*/g, ' ').trim() : '',
        functionLike: t === 'preproc_function_def',
        pos: posOf(n.kids[0].start),
        change: changeAt(n.start),
      });
    }
    let childInFn = inFn;
    if (FUNCTION_LIKE.has(t) && !inFn) {
      functionNodes.push(n);
      childInFn = true;
    }
    for (let k = n.kids.length - 1; k >= 0; k--) {
      stack.push(n.kids[k]!);
      inFns.push(childInFn);
    }
  }
  comments.sort((a, b) => a.start - b.start);
  functionNodes.sort((a, b) => a.start - b.start);

  const commentFact = (n: SNode): CommentFact => {
    const body = text(n);
    return { text: body, identifiers: commentIdentifiers(body), pos: posOf(n.start), change: spanChange(n) };
  };

  let ci = 0;
  for (const fn of functionNodes) {
    while (ci < comments.length && comments[ci]!.start < fn.start) out.comments.push(commentFact(comments[ci++]!));
    const facts = functionFacts(fn);
    while (ci < comments.length && comments[ci]!.start < fn.end) {
      const c = commentFact(comments[ci++]!);
      facts?.comments.push(c);
    }
    if (facts) {
      facts.parseErrors = out.errors
        .filter((e) => {
          const a = rowOf(fn.start);
          const b = rowOf(fn.end);
          if (e.endRow < a || e.startRow > b) return false;
          for (let r = Math.max(a, e.startRow); r <= Math.min(b, e.endRow); r++) {
            const c = rows[r]?.change;
            if (c === '+' || c === '-') return true;
          }
          return false;
        })
        .map((e) => e.pos);
      out.functions.push(facts);
      out.spans.push([rowOf(fn.start), rowOf(Math.max(fn.start, fn.end - 1))]);
    }
  }
  while (ci < comments.length) out.comments.push(commentFact(comments[ci++]!));
  return out;

  function functionName(fn: SNode): string | null {
    // The declarator is the node before the body; its function_declarator holds the name.
    const search: SNode[] = fn.kids.filter((k) => k.type !== 'compound_statement');
    while (search.length) {
      const n = search.shift()!;
      if (n.type === 'function_declarator') {
        const id = n.kids.find((k) => k.type === 'identifier');
        if (id) return text(id);
      }
      if (n.type.endsWith('declarator')) search.push(...n.kids);
    }
    return null;
  }

  function functionFacts(fn: SNode): FunctionFacts | null {
    const raw = functionName(fn);
    if (raw === null) return null;
    if (raw.startsWith(AGGREGATE_PREFIX)) return null;
    let name = raw;
    let hasStart = true;
    let wrapper: Wrapper | null = null;
    if (raw.startsWith(FRAGMENT_PREFIX)) {
      wrapper = input.wrappers[Number(raw.slice(FRAGMENT_PREFIX.length))] ?? null;
      name = wrapper?.name ?? '';
      hasStart = false;
    }
    const body = fn.kids.find((k) => k.type === 'compound_statement');
    // A whole function added (post image) or removed (pre image): every real row changed.
    const a = rowOf(fn.start);
    const b = rowOf(Math.max(fn.start, fn.end - 1));
    let all = true;
    let any = false;
    for (let r = a; r <= b; r++) {
      const o = rows[r];
      if (!o) continue;
      any = true;
      if (o.change === ' ') all = false;
    }
    const whole = hasStart && any && all;
    const namePos = hasStart ? findNameNode(fn, raw) : null;
    const facts: FunctionFacts = {
      name,
      path: input.path,
      image: input.image,
      hasStart,
      added: whole && input.image === 'post',
      removed: whole && input.image === 'pre',
      pos: namePos ? posOf(namePos.start) : posOf(body ? body.start : fn.start),
      flow: [],
      calls: [],
      assigns: [],
      identifiers: [],
      comments: [],
      parseErrors: [],
    };
    if (namePos) facts.change = changeAt(namePos.start);
    if (wrapper) {
      facts.header = wrapper.header;
      if (wrapper.nameUncertain) facts.nameUncertain = true;
    }
    if (body) {
      for (const k of body.kids) stmt(k, facts.flow, facts);
      // Nesting the composer added (`{{`) shows up as compound statements: flattened by stmt().
    }
    facts.identifiers = identifiers(body ?? fn);
    return facts;
  }

  function findNameNode(fn: SNode, name: string): SNode | null {
    const stack2: SNode[] = fn.kids.filter((k) => k.type !== 'compound_statement');
    while (stack2.length) {
      const n = stack2.shift()!;
      if (n.type === 'identifier' && text(n) === name) return n;
      stack2.push(...n.kids);
    }
    return null;
  }

  /**
   * Identifiers of a subtree, each once, in source order.  The walk is
   * pre-order (kids pushed last first), and siblings never overlap, so the
   * first sight of a name is its first place in the text: no sort needed.
   */
  function identifiers(n: SNode): string[] {
    const seen = new Set<string>();
    const st: SNode[] = [n];
    const order: string[] = [];
    while (st.length) {
      const x = st.pop()!;
      if (x.type === 'argument_list' && x.kids === NO_KIDS) {
        // A plain argument list kept as text: its words are identifiers.
        for (const m of src.slice(x.start, x.end).matchAll(WORD)) {
          if (!seen.has(m[0]) && !C_WORDS.has(m[0])) {
            seen.add(m[0]);
            order.push(m[0]);
          }
        }
        continue;
      }
      if (x.type === 'identifier' || x.type === 'field_identifier' || x.type === 'type_identifier') {
        const v = text(x);
        if (!seen.has(v) && !v.startsWith('__patchlens') && v !== MACRO_CONTINUATION) {
          seen.add(v);
          order.push(v);
        }
      }
      for (let k = x.kids.length - 1; k >= 0; k--) st.push(x.kids[k]!);
    }
    return order;
  }

  /** Flow of one statement, appended to `out`. */
  function stmt(n: SNode, flow: FlowItem[], f: FunctionFacts): void {
    switch (n.type) {
      case 'compound_statement':
        for (const k of n.kids) stmt(k, flow, f);
        return;
      case 'comment':
        return;
      case 'expression_statement':
        for (const k of n.kids) expr(k, flow, f, false, true, true);
        return;
      case 'declaration':
        for (const k of n.kids) {
          if (k.type === 'init_declarator') {
            const value = k.kids[k.kids.length - 1];
            if (value && k.kids.length > 1) expr(value, flow, f, false, false, false);
          }
        }
        return;
      case 'if_statement': {
        // A comment may sit between the parts (`if (!x) /* why */ goto out;`): it is a kid too.
        const parts = codeKids(n);
        const cond = parts[0];
        const then = parts[1];
        const alt = n.kids.find((k) => k.type === 'else_clause');
        if (!cond || !then) break;
        const scoped = input.scopes.has(n.start);
        const conditionCalls: CallFact[] = [];
        const thenFlow: FlowItem[] = [];
        const item: FlowItem = {
          kind: 'if',
          pos: posOf(n.start),
          condition: scoped ? flat({ ...cond, start: n.start, kids: [] }) : flat(cond).replace(/^\((.*)\)$/s, '$1'),
          conditionCalls,
          then: thenFlow,
          else: null,
        };
        if (scoped) {
          // scoped_guard(lock, args) { body }: the guard is a call taking the lock for the body.
          const call: CallFact = {
            name: src.slice(n.start, cond.start).trim(),
            args: argsOf(cond),
            pos: posOf(n.start),
            change: changeAt(n.start),
            inCondition: true,
            resultUsed: false,
          };
          conditionCalls.push(call);
          f.calls.push(call);
        } else {
          collectCalls(cond, conditionCalls, f, true);
        }
        flow.push(item);
        stmt(then, thenFlow, f);
        if (alt) {
          const elseFlow: FlowItem[] = [];
          for (const k of alt.kids) stmt(k, elseFlow, f);
          item.else = elseFlow;
        }
        return;
      }
      case 'while_statement':
      case 'for_statement':
      case 'do_statement': {
        const parts = codeKids(n);
        const body = n.type === 'do_statement' ? parts[0] : parts[parts.length - 1];
        const isMacro = input.loops.has(n.start);
        let header: string;
        if (n.type === 'do_statement') header = 'do while ' + flat(parts[1] ?? n);
        else header = src.slice(n.start, body ? body.start : n.end).replace(/\s+/g, ' ').trim();
        if (!isMacro) {
          for (const k of n.kids) {
            if (k === body || k.type === 'comment') continue;
            if (n.type !== 'do_statement') expr(k, flow, f, true, false, false);
          }
        }
        const loopBody: FlowItem[] = [];
        flow.push({ kind: 'loop', pos: posOf(n.start), header, body: loopBody });
        if (body) stmt(body, loopBody, f);
        if (n.type === 'do_statement' && parts[1]) expr(parts[1], loopBody, f, true, false, false);
        return;
      }
      case 'return_statement': {
        const calls: CallFact[] = [];
        const value = n.kids.find((k) => k.type !== 'comment');
        if (value) collectCalls(value, calls, f, true);
        flow.push({ kind: 'return', pos: posOf(n.start), value: value ? flat(value) : '', calls });
        return;
      }
      case 'goto_statement':
        flow.push({ kind: 'goto', pos: posOf(n.start), label: codeKids(n)[0] ? text(codeKids(n)[0]!) : '' });
        return;
      case 'labeled_statement': {
        const label = n.kids[0];
        flow.push({ kind: 'label', pos: posOf(n.start), label: label ? text(label) : '' });
        for (const k of n.kids.slice(1)) stmt(k, flow, f);
        return;
      }
      case 'break_statement':
      case 'continue_statement':
        flow.push({ kind: n.type === 'break_statement' ? 'break' : 'continue', pos: posOf(n.start) });
        return;
      case 'switch_statement': {
        const parts = codeKids(n);
        const cond = parts[0];
        const body = parts[1];
        const conditionCalls: CallFact[] = [];
        if (cond) collectCalls(cond, conditionCalls, f, true);
        const thenFlow: FlowItem[] = [];
        flow.push({ kind: 'if', pos: posOf(n.start), condition: 'switch ' + (cond ? flat(cond) : ''), conditionCalls, then: thenFlow, else: null });
        if (body) stmt(body, thenFlow, f);
        return;
      }
      case 'case_statement': {
        const isDefault = src.startsWith('default', n.start);
        const value = isDefault ? null : n.kids[0];
        flow.push({ kind: 'label', pos: posOf(n.start), label: isDefault ? 'default' : 'case ' + (value ? flat(value) : '') });
        for (const k of n.kids) if (k !== value) stmt(k, flow, f);
        return;
      }
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'preproc_else': {
        const firstLine = src.slice(n.start, src.indexOf('\n', n.start) >>> 0).trim();
        const thenFlow: FlowItem[] = [];
        const item: FlowItem = { kind: 'if', pos: posOf(n.start), condition: firstLine, conditionCalls: [], then: thenFlow, else: null };
        flow.push(item);
        const skip = n.type === 'preproc_else' ? 0 : 1; // the condition / macro name
        let alt: SNode | null = null;
        n.kids.forEach((k, i) => {
          if (i < skip) return;
          if (k.type === 'preproc_else' || k.type === 'preproc_elif' || k.type === 'preproc_elifdef') alt = k;
          else stmt(k, thenFlow, f);
        });
        if (alt) {
          const elseFlow: FlowItem[] = [];
          stmt(alt, elseFlow, f);
          item.else = elseFlow;
        }
        return;
      }
      case 'function_definition':
        return; // nested definition (a wrong guess of the composer): reported on its own
      default:
        break;
    }
    if (n.type === 'ERROR' || n.type.startsWith('preproc')) {
      for (const k of n.kids) stmt(k, flow, f);
      return;
    }
    if (n.type.endsWith('_statement') || n.type.endsWith('_declaration') || n.type.endsWith('_definition') || n.type.endsWith('_specifier')) {
      for (const k of n.kids) stmt(k, flow, f);
      return;
    }
    expr(n, flow, f, false, true, true);
  }

  function argsOf(list: SNode): string[] {
    if (list.kids === NO_KIDS && list.type === 'argument_list') return splitArgs(src.slice(list.start + 1, list.end - 1));
    return list.kids.filter((k) => k.type !== 'comment').map(flat);
  }

  /**
   * Calls and assignments in an expression, in source order, appended to
   * `flow` (call and assign items) and to the function's flat lists.
   */
  function expr(n: SNode, flow: FlowItem[], f: FunctionFacts, inCondition: boolean, discarded: boolean, statement: boolean): void {
    if (n.type === 'assignment_expression') {
      const left = n.kids[0];
      const right = n.kids[n.kids.length - 1];
      if (left && right && left !== right) {
        expr(left, flow, f, inCondition, false, false);
        expr(right, flow, f, inCondition, false, false);
        const op = src.slice(left.end, right.start).trim();
        const field = left.type === 'field_expression' ? left.kids.filter((k) => k.type === 'field_identifier').pop() : undefined;
        // ACCESS_PRIVATE(vma, __vm_flags) |= flags is vma->__vm_flags |= flags (include/linux/compiler_types.h).
        const priv = field ? null : /^ACCESS_PRIVATE\(\s*([\w>.-]+)\s*,\s*(\w+)\s*\)$/.exec(flat(left));
        const assign: AssignFact = {
          target: priv ? `${priv[1]}->${priv[2]}` : flat(left),
          field: field ? text(field) : priv ? priv[2] : null,
          op,
          value: flat(right),
          pos: posOf(left.start),
          change: changeAt(left.start),
        };
        f.assigns.push(assign);
        flow.push({ kind: 'assign', assign });
        return;
      }
    }
    if (n.type === 'call_expression') {
      const call = callFact(n, inCondition, !discarded);
      if (call && call.name === CONTINUATION) {
        // The composer's stand-in for the start of a statement cut by the hunk.
        for (const k of n.kids.slice(1)) expr(k, flow, f, inCondition, false, false);
        return;
      }
      if (call) {
        f.calls.push(call);
        flow.push({ kind: 'call', call });
        const fnNode = n.kids[0];
        const inner = fnNode?.type === 'call_expression' ? fnNode : null;
        if (inner) for (const k of inner.kids.slice(1)) expr(k, flow, f, inCondition, false, false);
        for (const k of n.kids.slice(1)) expr(k, flow, f, inCondition, false, false);
        return;
      }
    }
    if (n.type === 'cast_expression' && /^\(\s*void\s*\)/.test(src.slice(n.start, n.end))) {
      for (const k of n.kids) expr(k, flow, f, inCondition, true, statement);
      return;
    }
    const passDiscard = n.type === 'comma_expression' || n.type === 'parenthesized_expression';
    for (const k of n.kids) {
      if (k.type === 'comment') continue;
      expr(k, flow, f, inCondition, passDiscard ? discarded : false, false);
    }
  }

  /** Calls of a condition or return value, into `into` as well as the function's list. */
  function collectCalls(n: SNode, into: CallFact[], f: FunctionFacts, inCondition: boolean): void {
    const scratch: FlowItem[] = [];
    expr(n, scratch, f, inCondition, false, false);
    for (const it of scratch) if (it.kind === 'call') into.push(it.call);
  }

  function callFact(n: SNode, inCondition: boolean, resultUsed: boolean): CallFact | null {
    let fnNode = n.kids[0];
    let argLists = n.kids.slice(1).filter((k) => k.type === 'argument_list');
    // guard(mutex)(&lock): one call, named by the inner function.
    if (fnNode?.type === 'call_expression') {
      argLists = [...fnNode.kids.slice(1).filter((k) => k.type === 'argument_list'), ...argLists];
      fnNode = fnNode.kids[0];
    }
    if (!fnNode) return null;
    const args: string[] = [];
    for (const l of argLists) args.push(...argsOf(l));
    return {
      name: flat(fnNode),
      args,
      pos: posOf(n.start),
      change: changeAt(n.start),
      inCondition,
      resultUsed,
    };
  }
}

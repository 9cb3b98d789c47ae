/**
 * Kernel macros that derail a C grammar, rewritten before parsing so that
 * tree-sitter sees plain C.  Every rewrite keeps the text's length and line
 * breaks (words become spaces, loop macros become `while`), so positions in
 * the parse tree are positions in the original text, and the original text
 * can be sliced with the tree's indices.
 *
 *   __must_check, __always_inline, __init ...   -> spaces
 *   __acquires(x), __releases(x), __free(kfree) -> spaces
 *   list_for_each_entry(a, b, c) { ... }        -> while              (a, b, c) { ... }
 *   scoped_guard(mutex, &m) { ... }             -> if          (mutex, &m) { ... }
 *   DEFINE_GUARD(name, struct mm_struct *, ...) -> spaces (a top-level macro whose
 *                                                  arguments are types, not values)
 */

/** Annotations that are plain words: dropped. */
const WORD_ANNOTATIONS = [
  '__must_check', '__always_inline', 'noinline', '__noinline', 'noinline_for_stack', '__init', '__exit', '__initdata',
  '__initconst', '__meminit', '__ref', '__cold', '__hot', '__maybe_unused', '__always_unused', '__used', '__rcu',
  '__user', '__iomem', '__percpu', '__force', '__read_mostly', '__ro_after_init', 'asmlinkage', 'notrace', '__weak',
  '__noreturn', '__latent_entropy', '__randomize_layout', '__packed', '__nocfi', '__bitwise', '__private', '__kernel',
  '__safe', '__nocast', '__cacheline_aligned', '__cacheline_aligned_in_smp', '____cacheline_aligned',
  '____cacheline_aligned_in_smp', '__data_racy', '__visible', '__sched', '__lockfunc', '__pure', '__attribute_const__',
  '__flatten', '__no_sanitize_address', 'noinstr', '__fastpath_inline', '__rust_helper', '__must_hold_shared',
  '__no_context_analysis', '__always_unused', '__mmu_notifier_invalidate_range',
];
/** Annotations with an argument list: dropped with it. */
const CALL_ANNOTATIONS = [
  '__acquires', '__releases', '__must_hold', '__cond_acquires', '__cond_releases', '__acquire_shared', '__release_shared',
  '__cond_acquires_shared', '__printf', '__scanf', '__aligned', '__section', '__free', '__counted_by', '__guarded_by',
  '__pt_guarded_by', '__assume_aligned', '__alloc_size', '__malloc', '__diagnose_as', '__nonstring_array',
  '__must_hold_shared', '__acquires_shared', '__releases_shared',
];

const WORD_RE = new RegExp(`\\b(?:${WORD_ANNOTATIONS.join('|')})\\b`, 'g');
const CALL_RE = new RegExp(`\\b(?:${CALL_ANNOTATIONS.join('|')})\\s*\\(`, 'g');
/** Iterator macros: `list_for_each_entry(`, `for_each_vma(`, `xa_for_each(`, `mas_for_each(` ... */
const LOOP_RE = /\b\w*for_each\w*(?=\s*\()/g;
const SCOPE_RE = /\bscoped_(?:cond_)?guard(?=\s*\()/g;
/** A macro invocation alone at the top level (column 0). */
const TOP_MACRO_RE = /^[A-Z_][A-Z0-9_]*\(/gm;
const NEXT_CODE = /\S/g;
/** `struct foo` as a whole macro argument (followed by `,` or `)`). */
const TYPE_ARG_RE = /([(,][ \t]*)(struct|union|enum)([ \t]+\w+[ \t]*[,)])/g;
/** Arguments that are types: C cannot parse them as an expression list. */
const TYPE_ARGS = /\b(?:struct|union|enum|unsigned|signed|const|int|long|short|char|void|bool|u8|u16|u32|u64|size_t)\b|\*\s*[,)]/;

export interface Neutralized {
  text: string;
  /** Start offsets of loop macros rewritten to `while`, to name them back. */
  loops: Set<number>;
  /** Start offsets of `scoped_guard` rewritten to `if`. */
  scopes: Set<number>;
}

function spaces(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** Argument lists longer than this are not macro annotations: give up (keeps the pass linear). */
const MAX_ARGS = 4096;

/** End (exclusive) of the parenthesised list opening at `open`. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  const limit = Math.min(text.length, open + MAX_ARGS);
  for (let k = open; k < limit; k++) {
    const c = text[k];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k + 1;
  }
  return limit;
}

/**
 * A macro used as a statement head: first on its line, not in a `#define`,
 * and its argument list is followed by a statement, not by `;`.
 */
function isStatementMacro(text: string, at: number, len: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (text.slice(lineStart, at).trim() !== '') return false;
  const end = closeParen(text, text.indexOf('(', at + len));
  let k = end;
  while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
  return k < text.length && text[k] !== ';' && text[k] !== ')' && text[k] !== ',';
}

/** Blanks top-level macro invocations with type arguments (DEFINE_GUARD, DEFINE_LOCK_GUARD_1 ...). */
function blankTypeMacros(text: string): string {
  const parts: string[] = [];
  let last = 0;
  TOP_MACRO_RE.lastIndex = 0;
  for (let m = TOP_MACRO_RE.exec(text); m; m = TOP_MACRO_RE.exec(text)) {
    const open = m.index + m[0].length - 1;
    const end = closeParen(text, open);
    if (text[end - 1] !== ')') continue;
    const eol = text.indexOf('\n', end);
    const rest = text.slice(end, eol < 0 ? text.length : eol);
    if (!/^\s*;?\s*$/.test(rest)) continue;
    NEXT_CODE.lastIndex = eol < 0 ? text.length : eol + 1;
    const next = NEXT_CODE.exec(text);
    if (next && next[0] === '{') continue; // a function-defining macro (SYSCALL_DEFINE3 ...)
    if (!TYPE_ARGS.test(text.slice(open, end))) continue;
    parts.push(text.slice(last, m.index), spaces(text.slice(m.index, end)));
    last = end;
    TOP_MACRO_RE.lastIndex = end;
  }
  return parts.length ? parts.join('') + text.slice(last) : text;
}

export function neutralize(text: string): Neutralized {
  const loops = new Set<number>();
  const scopes = new Set<number>();
  let out = text.replace(WORD_RE, (m) => ' '.repeat(m.length));
  if (out.includes('__')) {
    // Calls first located in `out` (positions unchanged by the word pass).
    const parts: string[] = [];
    let last = 0;
    CALL_RE.lastIndex = 0;
    for (let m = CALL_RE.exec(out); m; m = CALL_RE.exec(out)) {
      const open = m.index + m[0].length - 1;
      const end = closeParen(out, open);
      if (out[end - 1] !== ')') continue;
      parts.push(out.slice(last, m.index), spaces(out.slice(m.index, end)));
      last = end;
      CALL_RE.lastIndex = end;
    }
    if (parts.length) out = parts.join('') + out.slice(last);
  }
  // container_of(p, struct foo, member), list_entry(..., struct foo, ...): a type as an argument.
  if (/[(,]\s*(?:struct|union|enum)\s/.test(out)) {
    out = out.replace(TYPE_ARG_RE, (_m, lead: string, kw: string, rest: string) => lead + ' '.repeat(kw.length) + rest);
  }
  TOP_MACRO_RE.lastIndex = 0;
  if (TOP_MACRO_RE.test(out)) out = blankTypeMacros(out);
  const src = out;
  // Both passes only where their word is: most texts have neither (a regex of `\w*` at every word start is not free).
  if (out.includes('for_each')) out = out.replace(LOOP_RE, (m: string, offset: number) => {
    if (m.length < 5 || !isStatementMacro(src, offset, m.length)) return m;
    loops.add(offset);
    return 'while' + ' '.repeat(m.length - 5);
  });
  if (out.includes('scoped_')) out = out.replace(SCOPE_RE, (m: string, offset: number) => {
    if (!isStatementMacro(src, offset, m.length)) return m;
    scopes.add(offset);
    return 'if' + ' '.repeat(m.length - 2);
  });
  return { text: out, loops, scopes };
}

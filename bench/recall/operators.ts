/**
 * Mutation operators: each plants one kind of locking bug into the code a
 * patch adds (its `+` lines), or adds new `+` lines next to them, and names
 * the rules a reviewer would expect for it.  A context line next to the
 * patch's changes may also be turned into a `-`/`+` pair, which is how a
 * patch that changes that line would read.
 *
 * An operator only fires where the bug is visible in the hunk: a weakened
 * lock needs a write-side operation after it, a dropped vma_start_write() a
 * later change of that VMA, and so on.  The line where the bug shows (that
 * change) is kept as a witness, beside the line the mutation touched.
 */
import { code, indentOf, type Edit, type OutLine, type PatchText } from './patchlines.js';

export interface Site {
  /** Source line the mutation is anchored at (for names and sorting). */
  line: number;
  edit: Edit;
  /** Source lines where the bug shows, besides the touched ones. */
  witnesses: number[];
  what: string;
  /**
   * The kind of the site (which lock, which sleeping call): sampling takes
   * kinds in turn, so one frequent pattern does not fill an operator's cap.
   */
  variant?: string;
}

export interface Operator {
  id: string;
  /** Rules a reviewer would expect. */
  rules: string[];
  description: string;
  sites(p: PatchText, pick: () => number): Site[];
}

// ---- helpers over a hunk ----

/** Post-image lines (`+` and context) of the same hunk after `i`, up to the end of the function (`}` in column 0). */
function after(p: PatchText, i: number, max = 40): number[] {
  const h = p.hunks[p.hunkOf[i]!]!;
  const out: number[] = [];
  for (let j = i + 1; j <= h.end && out.length < max; j++) {
    if (p.kind[j] === '-' || p.kind[j] === null) continue;
    if (/^\}/.test(code(p.lines[j]!))) break;
    out.push(j);
  }
  return out;
}

/** Post-image lines of the same hunk before `i`, nearest first, back to the function's start. */
function before(p: PatchText, i: number, max = 80): number[] {
  const h = p.hunks[p.hunkOf[i]!]!;
  const out: number[] = [];
  for (let j = i - 1; j > h.header && out.length < max; j--) {
    if (p.kind[j] === '-' || p.kind[j] === null) continue;
    if (/^\}/.test(code(p.lines[j]!)) || /^\{/.test(code(p.lines[j]!))) break;
    out.push(j);
  }
  return out;
}

/** A line the mutator may change: a `+` line, or a context line within 3 lines of a change. */
function editable(p: PatchText, i: number): boolean {
  if (p.kind[i] === '+') return true;
  if (p.kind[i] !== ' ') return false;
  const h = p.hunkOf[i]!;
  for (let d = -3; d <= 3; d++) {
    const j = i + d;
    if (p.hunkOf[j] === h && (p.kind[j] === '+' || p.kind[j] === '-')) return true;
  }
  return false;
}

/** Replaces line i's code: a `+` line is rewritten, a context line becomes `-old` `+new`. */
function replaceLine(p: PatchText, i: number, newCode: string): OutLine[] {
  const line = p.lines[i]!;
  if (p.kind[i] === '+') return [{ text: `+${newCode}`, touched: true }];
  return [{ text: `-${code(line)}` }, { text: `+${newCode}`, touched: true }];
}

/** Line i kept, then new `+` lines after it. */
function insertAfter(p: PatchText, i: number, codes: string[]): OutLine[] {
  return [{ text: p.lines[i]! }, ...codes.map((c) => ({ text: `+${c}`, touched: true }))];
}

function insertBefore(p: PatchText, i: number, codes: string[]): OutLine[] {
  return [...codes.map((c) => ({ text: `+${c}`, touched: true })), { text: p.lines[i]! }];
}

/** The post-image line before i is a brace-less `if`/`else`/`for`/`while`: line i is its whole body. */
function bodyOfBracelessControl(p: PatchText, i: number): boolean {
  const prev = before(p, i, 1)[0];
  return prev !== undefined && bracelessControl(code(p.lines[prev]!));
}

/** A line's code without a trailing comment. */
const withoutComment = (c: string): string => c.replace(/\/\*.*?\*\/\s*$|\/\/.*$/, '').trimEnd();

/** `if (...)`, `else`, `for (...)` or `while (...)` whose body is the next statement (no `{`, a trailing comment aside). */
function bracelessControl(c: string): boolean {
  const bare = withoutComment(c);
  return /^\s*(\}\s*)?(if|else|for|while)\b/.test(bare) && !/[;{]$/.test(bare);
}

/** A local declaration (`struct x *p;`, `int err = 0;`, `spinlock_t *ptl;`), as far as one line shows. */
function declaration(c: string): boolean {
  return /^\s*((struct|union|enum|const|static|unsigned|signed|int|long|short|char|bool|void|\w+_t)\b[\w\s*,\[\]]*(=.*)?;|[\w\s*]+\s\**\w+;)\s*$/.test(c);
}

/** A whole statement on one line (parentheses balanced, ends with `;`). */
function statement(c: string): boolean {
  const t = c.trim();
  if (!t.endsWith(';')) return false;
  let depth = 0;
  for (const ch of t) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A line's code, trimmed and in backquotes, for a mutant's description. */
const quote = (p: PatchText, i: number): string => `\`${code(p.lines[i]!).trim()}\``;

/** `name1|name2|...` as a regex alternation (names may hold `\\w*`). */
const alt = (names: string[]): string => names.join('|');

/** VMA fields that need the VMA write lock to change (fact sheet §1.4). */
const VMA_FIELDS = ['vm_start', 'vm_end', 'vm_pgoff', 'vm_flags', 'anon_vma', 'vm_file', 'vm_ops', 'vm_policy'];
/** An assignment, not a comparison. */
const ASSIGN = '(=[^=]|\\|=|&=)';

/** Helpers that need the mmap lock or a VMA held for writing (fact sheet §1, §6). */
const WRITE_SIDE_CALLS = [
  'vm_flags_(set|clear|mod|reset)', 'vma_start_write', 'vma_iter_store\\w*', 'vma_link', 'mas_store\\w*', 'vma_merge\\w*',
  '__split_vma', 'split_vma', 'vma_expand', 'vma_shrink', 'vma_complete', 'remove_vma', 'do_vmi_munmap', 'do_vmi_align_munmap',
  'vma_set_page_prot', 'vma_replace_policy', 'mmap_region', 'do_brk_flags', 'vma_prepare',
];
const WRITE_SIDE = new RegExp(
  `\\b(${alt(WRITE_SIDE_CALLS)})\\s*\\(` +
    `|->(${alt([...VMA_FIELDS, 'vm_lock_seq'])})\\s*${ASSIGN}` +
    `|ACCESS_PRIVATE\\([^)]*__vm_flags\\)\\s*${ASSIGN}`,
);

/** Helpers that modify, merge, remove or store the VMA they are given (any argument). */
const MODIFYING_CALLS = [
  'vm_flags_(set|clear|mod|reset)', 'vma_set_range', 'vma_set_page_prot', 'vma_expand', 'vma_shrink', '__split_vma', 'split_vma',
  'expand_upwards', 'expand_downwards', 'dup_anon_vma', 'anon_vma_clone', 'cleanup_vma_from_mm', 'vma_replace_policy',
  'init_vma_prep', 'init_multi_vma_prep', 'vma_adjust_trans_huge', 'vma_iter_store\\w*', 'mas_store\\w*', 'vma_link',
  'remove_vma', 'delete_vma\\w*', 'vma_complete', 'unlink_anon_vmas',
];

/**
 * Changes of VMA `v` that need it write-locked: a field written, or `v` given
 * to a helper that modifies, merges, removes or stores a VMA (fact sheet §1.4,
 * §6), or queued for removal or adjustment in vma_merge()'s locals.
 */
function modifiesVma(c: string, v: string): boolean {
  const V = esc(v);
  return new RegExp(
    `\\b(${alt(MODIFYING_CALLS)})\\s*\\([^;]*\\b${V}\\s*[,)]` +
      `|\\b${V}->(${alt(VMA_FIELDS)})\\s*${ASSIGN}` +
      `|\\b(remove|remove2|adjust|vp\\.insert)\\s*=\\s*${V}\\s*;`,
  ).test(c);
}

// ---- the operators ----

const WEAKEN: [RegExp, string, RegExp | null, string | null][] = [
  [/\bmmap_write_lock\(/, 'mmap_read_lock(', /\bmmap_write_unlock\(/, 'mmap_read_unlock('],
  [/\bmmap_write_lock_killable\(/, 'mmap_read_lock_killable(', /\bmmap_write_unlock\(/, 'mmap_read_unlock('],
  [/\bmmap_write_trylock\(/, 'mmap_read_trylock(', /\bmmap_write_unlock\(/, 'mmap_read_unlock('],
  [/\bmmap_assert_write_locked\(/, 'mmap_assert_locked(', null, null],
  [/\bvma_assert_write_locked\(/, 'vma_assert_locked(', null, null],
  [/\bi_mmap_lock_write\(/, 'i_mmap_lock_read(', /\bi_mmap_unlock_write\(/, 'i_mmap_unlock_read('],
  [/\banon_vma_lock_write\(/, 'anon_vma_lock_read(', /\banon_vma_unlock_write\(/, 'anon_vma_unlock_read('],
  [/\bi_mmap_assert_write_locked\(/, 'i_mmap_assert_locked(', null, null],
];

const I_MMAP_WRITE_SIDE = new RegExp(`\\b(${alt([
  'vma_interval_tree_(insert|remove)\\w*', '__vma_link_file', '__remove_shared_vm_struct', 'flush_dcache_mmap_lock',
  'vma_link_file', 'unlink_file_vma\\w*',
])})\\s*\\(`);
const ANON_WRITE_SIDE = /\b(anon_vma_interval_tree_(insert|remove)|anon_vma_chain_link|unlink_anon_vmas)\s*\(|->anon_vma\s*=[^=]/;

export const weakenLockMode: Operator = {
  id: 'weaken lock/assert mode (write -> read)',
  rules: ['LOCK-REQUIRES', 'LOCK-ASSERT-MISMATCH'],
  description:
    'mmap_write_lock -> mmap_read_lock (and its unlock), mmap_assert_write_locked -> mmap_assert_locked, ' +
    'vma/i_mmap/anon_vma likewise, before a write-side operation',
  sites(p) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (!editable(p, i)) continue;
      const c = code(p.lines[i]!);
      for (const [lock, weak, unlock, weakUnlock] of WEAKEN) {
        if (!lock.test(c)) continue;
        const needs = lock.source.includes('i_mmap') ? I_MMAP_WRITE_SIDE : lock.source.includes('anon_vma') ? ANON_WRITE_SIDE : WRITE_SIDE;
        const rest = after(p, i);
        const witness = rest.find((j) => needs.test(code(p.lines[j]!)) && !(unlock && unlock.test(code(p.lines[j]!))));
        if (witness === undefined) continue;
        const edit: Edit = new Map([[i, replaceLine(p, i, c.replace(lock, weak))]]);
        // The matching unlock is weakened too, so the lock stays balanced: only the mode is wrong.
        if (unlock) {
          for (const j of rest) {
            if (!unlock.test(code(p.lines[j]!))) continue;
            if (!editable(p, j)) break;
            edit.set(j, replaceLine(p, j, code(p.lines[j]!).replace(unlock, weakUnlock!)));
          }
        }
        const what = `${c.trim()} weakened to ${weak}) before ${quote(p, witness)}`;
        out.push({ line: i, edit, witnesses: [witness], variant: weak, what });
        break;
      }
    }
    return out;
  },
};

const VMA_START_WRITE = /^\s*vma_start_write\((\w+(?:->\w+)*)\);\s*$/;

export const dropVmaStartWrite: Operator = {
  id: 'vma_start_write() dropped before a VMA change',
  rules: ['LOCK-REQUIRES', 'VMA-INSERT-UNLOCKED'],
  description: 'an added vma_start_write(v) removed where the hunk then modifies or stores v',
  sites(p) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (p.kind[i] !== '+') continue;
      const m = VMA_START_WRITE.exec(code(p.lines[i]!));
      if (!m) continue;
      const v = m[1]!;
      const witness = after(p, i).find((j) => modifiesVma(code(p.lines[j]!), v));
      if (witness === undefined) continue;
      const edit: Edit = new Map([[i, []]]);
      // `if (v)` guarding only this call goes with it.
      const prev = i - 1;
      if (p.kind[prev] === '+' && /^\s*if \(.*\)\s*$/.test(code(p.lines[prev]!))) edit.set(prev, []);
      out.push({ line: i, edit, witnesses: [witness], what: `vma_start_write(${v}) dropped before \`${code(p.lines[witness]!).trim()}\`` });
    }
    return out;
  },
};

/** Acquisitions of a spinlock, a page-table lock or RCU, as a whole statement. */
const SPINNING = [
  'spin_lock', 'spin_lock_irq', 'spin_lock_irqsave', 'spin_lock_bh', 'read_lock', 'write_lock', 'rcu_read_lock', 'raw_spin_lock',
  'xa_lock', 'xa_lock_irq',
];
const ATOMIC_ACQUIRE = new RegExp(
  `^\\s*((\\w+(->\\w+)*\\s*=\\s*)?(${alt(['pte_offset_map_lock', 'pmd_lock', 'pud_lock', 'huge_pte_lock', 'pte_offset_map'])})\\s*\\(` +
    `|(${alt(SPINNING)})\\s*\\()`,
);

const SLEEPERS: string[][] = [
  ['cond_resched();'],
  ['might_sleep();'],
  ['kfree(kmalloc(PAGE_SIZE, GFP_KERNEL));'],
  ['mutex_lock(&patchlens_mutex);', 'mutex_unlock(&patchlens_mutex);'],
  ['down_read(&patchlens_rwsem);', 'up_read(&patchlens_rwsem);'],
  ['schedule();'],
  ['patchlens_left = copy_from_user(&patchlens_arg, patchlens_uptr, sizeof(patchlens_arg));'],
];

/**
 * Where to insert after an assignment `x = f(...)`: past a following test of
 * `!x` (a one-statement body, or a braced block closed within 8 lines), so
 * the new line runs on the path where x is valid.
 */
function pastFailureTest(p: PatchText, i: number): number {
  const lhs = /^\s*(\w+(?:->\w+)*)\s*=/.exec(code(p.lines[i]!));
  if (!lhs) return i;
  const next = after(p, i, 12).filter((j) => code(p.lines[j]!).trim() !== '');
  const test = next[0];
  if (test === undefined) return i;
  const t = withoutComment(code(p.lines[test]!));
  if (!new RegExp(`^\\s*if \\((unlikely\\()?!${esc(lhs[1]!)}\\b`).test(t)) return i;
  if (/\)\s*$/.test(t) && next[1] !== undefined && statement(code(p.lines[next[1]]!))) return next[1];
  if (/\{\s*$/.test(t)) {
    const close = new RegExp(`^${indentOf(p.lines[test]!)}\\}\\s*$`);
    const end = next.slice(1, 9).find((j) => close.test(code(p.lines[j]!)));
    if (end !== undefined) return end;
  }
  return i;
}

/** An acquisition line the mutator may insert next to: a whole statement, and a `+` line or a neighbour of one. */
function atomicAcquisitions(p: PatchText): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.lines.length; i++) {
    if (p.kind[i] !== '+' && p.kind[i] !== ' ') continue;
    const c = code(p.lines[i]!);
    if (!ATOMIC_ACQUIRE.test(c) || !statement(c) || bodyOfBracelessControl(p, i)) continue;
    const next = after(p, i, 1)[0];
    if (p.kind[i] !== '+' && !(next !== undefined && p.kind[next] === '+' && next === i + 1)) continue;
    out.push(i);
  }
  return out;
}

export const sleepUnderSpinlock: Operator = {
  id: 'may-sleep call under a ptl/spinlock/RCU',
  rules: ['LOCK-SLEEP-ATOMIC'],
  description:
    'cond_resched(), might_sleep(), GFP_KERNEL allocation, mutex_lock, down_read, schedule() or copy_from_user() ' +
    'added right after a spinlock, ptl or RCU acquisition, or right before an added release of one the hunk shows taken',
  sites(p, pick) {
    const sleeperAt = (i: number, anchor: number, where: 'after' | 'before'): Site => {
      const sleeper = SLEEPERS[pick() % SLEEPERS.length]!;
      const lines = sleeper.map((s) => indentOf(p.lines[anchor]!) + s);
      const kind = /^\w+/.exec(sleeper[0]!)![0];
      return {
        line: i,
        edit: new Map([[i, where === 'after' ? insertAfter(p, i, lines) : insertBefore(p, i, lines)]]),
        witnesses: [],
        variant: `${kind} ${where}`,
        what: `\`${sleeper[0]}\` ${where} ${quote(p, anchor)}`,
      };
    };
    // Right after the acquisition (past its failure test: on the path where it succeeded) ...
    const afterAcquire = atomicAcquisitions(p).map((i) => sleeperAt(pastFailureTest(p, i), i, 'after'));
    // ... and at the end of the critical section, right before an added release whose acquisition the hunk shows.
    const beforeRelease = atomicReleases(p).map((i) => sleeperAt(i, i, 'before'));
    return [...afterAcquire, ...beforeRelease];
  },
};

/** Releases of a spinlock, ptl or RCU. */
const ATOMIC_RELEASE = new RegExp(
  `^\\s*(${alt(['spin_unlock\\w*', 'raw_spin_unlock\\w*', 'read_unlock', 'write_unlock', 'xa_unlock\\w*', 'pte_unmap_unlock', 'pte_unmap', 'rcu_read_unlock'])})\\s*\\(`,
);

/**
 * Added release statements whose lock the hunk shows taken: going back from
 * the release, an acquisition comes before any other release.
 */
function atomicReleases(p: PatchText): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.lines.length; i++) {
    const c = code(p.lines[i]!);
    if (p.kind[i] !== '+' || !ATOMIC_RELEASE.test(c) || !statement(c) || bodyOfBracelessControl(p, i)) continue;
    for (const j of before(p, i)) {
      const b = code(p.lines[j]!);
      if (ATOMIC_RELEASE.test(b)) break;
      if (ATOMIC_ACQUIRE.test(b)) { out.push(i); break; }
    }
  }
  return out;
}

/** Releases, as a whole statement. */
const UNLOCK_CALLS = [
  'spin_unlock\\w*', 'raw_spin_unlock\\w*', 'read_unlock', 'write_unlock', 'xa_unlock\\w*', 'mutex_unlock', 'up_(read|write)',
  'mmap_(read|write)_unlock', 'pte_unmap_unlock', 'i_mmap_unlock_(read|write)', 'anon_vma_unlock_(read|write)', 'rcu_read_unlock',
  'vma_end_read', 'folio_unlock',
];
const UNLOCK = new RegExp(`^\\s*(${alt(UNLOCK_CALLS)})\\s*\\(.*\\);\\s*$`);

export const dropUnlockBeforeExit: Operator = {
  id: 'unlock dropped before return/goto',
  rules: ['LOCK-UNBALANCED'],
  description: 'an added unlock right before a return or goto removed',
  sites(p) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (p.kind[i] !== '+' || !UNLOCK.test(code(p.lines[i]!))) continue;
      const next = after(p, i, 3).find((j) => code(p.lines[j]!).trim() !== '');
      if (next === undefined || !/^\s*(return\b|goto\s+\w+;)/.test(code(p.lines[next]!))) continue;
      // An unlock that is the whole body of an `if` would leave the if without one.
      if (bodyOfBracelessControl(p, i)) continue;
      const variant = /\w+/.exec(code(p.lines[i]!))![0];
      out.push({ line: i, edit: new Map([[i, []]]), witnesses: [next], variant, what: `${quote(p, i)} dropped before ${quote(p, next)}` });
    }
    return out;
  },
};

const CHECKED = /^(\s*)if \((!?)((\w+)_(killable|trylock)(_\w+)?\((.*)\))\)\s*(\{?)\s*$/;

export const ignoreKillableResult: Operator = {
  id: '_killable/_trylock result ignored',
  rules: ['LOCK-KILLABLE-UNCHECKED'],
  description: '`if (x_killable(..)) return ..;` or `if (!x_trylock(..)) ..` becomes the bare call',
  sites(p) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (p.kind[i] !== '+') continue;
      const m = CHECKED.exec(code(p.lines[i]!));
      // Only the failure branch is dropped: `if (x_killable())` and `if (!x_trylock())`.
      if (!m || (m[5] === 'killable') !== (m[2] === '')) continue;
      const body: number[] = [];
      if (m[8] === '{') {
        let ok = false;
        for (let j = i + 1; j <= i + 6 && p.kind[j] === '+'; j++) {
          body.push(j);
          if (new RegExp(`^${m[1]}\\}\\s*$`).test(code(p.lines[j]!))) { ok = true; break; }
        }
        if (!ok) continue;
      } else {
        if (p.kind[i + 1] !== '+' || !statement(code(p.lines[i + 1]!))) continue;
        body.push(i + 1);
      }
      const edit: Edit = new Map([[i, [{ text: `+${m[1]}${m[3]};`, touched: true }]]]);
      for (const j of body) edit.set(j, []);
      out.push({ line: i, edit, witnesses: [], variant: `${m[4]}_${m[5]}`, what: `result of ${m[4]}_${m[5]}${m[6] ?? ''}() ignored` });
    }
    return out;
  },
};

export const invertIMmapOrder: Operator = {
  id: 'lock order: i_mmap/anon_vma taken before vma_start_write()',
  rules: ['LOCK-ORDER'],
  description: 'i_mmap_lock_write(v->vm_file->f_mapping) or anon_vma_lock_write(v->anon_vma) wrapped around a vma_start_write(v)',
  sites(p, pick) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (!editable(p, i)) continue;
      const m = VMA_START_WRITE.exec(code(p.lines[i]!));
      if (!m) continue;
      const v = m[1]!;
      const pair = pick() % 2 === 0
        ? [`i_mmap_lock_write(${v}->vm_file->f_mapping);`, `i_mmap_unlock_write(${v}->vm_file->f_mapping);`]
        : [`anon_vma_lock_write(${v}->anon_vma);`, `anon_vma_unlock_write(${v}->anon_vma);`];
      // When the call is a context line, the new lines go around it as `+` lines.  A call that is
      // the whole body of an `if` keeps it: the lock goes before the `if`, the unlock after the call.
      const guard = bodyOfBracelessControl(p, i) ? before(p, i, 1)[0]! : i;
      if (guard !== i && !editable(p, guard)) continue;
      const gind = indentOf(p.lines[guard]!);
      const edit: Edit = new Map();
      edit.set(guard, [{ text: `+${gind}${pair[0]}`, touched: true }, { text: p.lines[guard]!, touched: true }]);
      const tail: OutLine[] = [{ text: p.lines[i]!, touched: true }, { text: `+${gind}${pair[1]}`, touched: true }];
      if (guard === i) edit.set(i, [edit.get(i)![0]!, ...tail]);
      else edit.set(i, tail);
      out.push({ line: i, edit, witnesses: [], variant: /^\w+/.exec(pair[0]!)![0], what: `\`${pair[0]}\` taken before vma_start_write(${v})` });
    }
    return out;
  },
};

/** The mm a hunk has at hand: `vma->vm_mm`, `mm`, else `current->mm`. */
function mmOf(p: PatchText, i: number): string {
  const near = before(p, i).map((j) => code(p.lines[j]!)).join('\n') + code(p.lines[i]!);
  if (/\bmm\b/.test(near)) return 'mm';
  const vma = /\b(vma|vmf->vma)\b/.exec(near);
  if (vma) return `${vma[1]}->vm_mm`;
  return 'current->mm';
}

export const mmapLockInsidePtl: Operator = {
  id: 'lock order: mmap_lock taken inside a ptl',
  rules: ['LOCK-ORDER', 'LOCK-SLEEP-ATOMIC'],
  description:
    'mmap_read_lock()/mmap_read_unlock() added right after a page-table lock or spinlock is taken, or right before ' +
    'an added release of one the hunk shows taken',
  sites(p) {
    const rcuOnly = (i: number) => /rcu_read_(un)?lock|pte_offset_map\(|pte_unmap\(/.test(code(p.lines[i]!));
    const pair = (i: number, anchor: number, where: 'after' | 'before'): Site => {
      const ind = indentOf(p.lines[anchor]!);
      const mm = mmOf(p, anchor);
      const lines = [`${ind}mmap_read_lock(${mm});`, `${ind}mmap_read_unlock(${mm});`];
      return {
        line: i,
        edit: new Map([[i, where === 'after' ? insertAfter(p, i, lines) : insertBefore(p, i, lines)]]),
        witnesses: [],
        variant: `${/(\w+)\s*\(/.exec(code(p.lines[anchor]!))![1]} ${where}`,
        what: `mmap_read_lock(${mm}) ${where} ${quote(p, anchor)}`,
      };
    };
    return [
      ...atomicAcquisitions(p).filter((i) => !rcuOnly(i)).map((i) => pair(pastFailureTest(p, i), i, 'after')),
      ...atomicReleases(p).filter((i) => !rcuOnly(i)).map((i) => pair(i, i, 'before')),
    ];
  },
};

/** Bits the model gives one flag only (include/linux/mm.h, v6.12): a new flag there collides. */
const TAKEN_BITS: [string, number][] = [
  ['VM_WRITE', 1], ['VM_SHARED', 3], ['VM_MAYWRITE', 5], ['VM_PFNMAP', 10], ['VM_LOCKED', 13],
  ['VM_IO', 14], ['VM_DONTCOPY', 17], ['VM_ACCOUNT', 20], ['VM_HUGETLB', 22],
];
const NEW_FLAGS = ['VM_PATCHLENS_PINNED', 'VM_PATCHLENS_NOMERGE', 'VM_PATCHLENS_SEALED', 'VM_PATCHLENS_GUARDED'];
const FORMS = [(b: number) => `BIT(${b})`, (b: number) => `0x${(1 << b).toString(16).padStart(8, '0')}`, (b: number) => `(1UL << ${b})`];

export const flagBitCollision: Operator = {
  id: 'new VM_* flag on a taken bit',
  rules: ['FLAG-BIT-COLLISION'],
  description: 'a `#define VM_NEW` on a bit another VM_* flag has, added at file scope next to the patch\'s added lines of a header',
  sites(p, pick) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (p.kind[i] !== '+') continue;
      const h = p.hunks[p.hunkOf[i]!]!;
      if (!/^include\/linux\/mm\w*\.h$/.test(h.path)) continue;
      const c = code(p.lines[i]!);
      // File scope: after a function's closing brace or a preprocessor line of its own.
      if (!/^(\}\s*$|#(define|include|endif)\b)/.test(c) || /\\\s*$/.test(c)) continue;
      const [taken, bit] = TAKEN_BITS[pick() % TAKEN_BITS.length]!;
      const name = NEW_FLAGS[pick() % NEW_FLAGS.length]!;
      const value = FORMS[pick() % FORMS.length]!(bit);
      out.push({
        line: i,
        edit: new Map([[i, insertAfter(p, i, ['', `#define ${name}\t${value}`])]]),
        witnesses: [],
        variant: value.replace(/\d+/g, 'n'), what: `#define ${name} ${value} (the bit of ${taken})`,
      });
    }
    return out;
  },
};

/** A VMA that is attached to the tree: found by lookup or iteration. */
const LOOKUPS = [
  'find_vma', 'vma_lookup', 'vma_next', 'vma_prev', 'vma_find', 'find_vma_prev', 'find_vma_intersection', 'vma_iter_load',
  'vma_iter_next_range', 'lock_vma_under_rcu',
];
const ATTACHED = new RegExp(
  `^\\s*(?:(?:struct vm_area_struct\\s*\\*\\s*)?(\\w+)\\s*=\\s*(?:${alt(LOOKUPS)})\\s*\\(.*\\);` +
    `|(?:for_each_vma|for_each_vma_range)\\s*\\(\\s*\\w+\\s*,\\s*(\\w+)\\b.*\\{)\\s*$`,
);
const FIELD_WRITES = [
  (v: string) => `${v}->vm_pgoff = 0;`,
  (v: string) => `${v}->vm_end = ${v}->vm_start + PAGE_SIZE;`,
  (v: string) => `${v}->vm_start = ${v}->vm_end - PAGE_SIZE;`,
  (v: string) => `${v}->anon_vma = NULL;`,
  (v: string) => `${v}->vm_file = NULL;`,
  (v: string) => `${v}->vm_ops = &vma_dummy_vm_ops;`,
  (v: string) => `${v}->vm_policy = NULL;`,
  (v: string) => `${v}->vm_flags |= VM_LOCKED;`,
];

export const vmaFieldUnlocked: Operator = {
  id: 'VMA field written without its lock',
  rules: ['LOCK-REQUIRES'],
  description:
    'vm_start/vm_end/vm_pgoff/vm_flags/anon_vma/vm_file/vm_ops/vm_policy written, with no vma_start_write() before ' +
    'it in the hunk, of a looked-up or iterated VMA or of a VMA parameter of a function that changes the tree',
  sites(p, pick) {
    const out: Site[] = [];
    // Not write-locked on the way to line i (line i included).
    const unlockedBefore = (i: number, v: string) => {
      // A killable lock whose test comes later counts as taken: a write before the test is a subtler bug.
      // vm_flags_set/clear/mod() write-lock the VMA and vm_flags_reset() asserts it (include/linux/mm.h, v6.12).
      const locked = new RegExp(
        `\\b(vma_start_write|vma_start_write_killable|vma_assert_write_locked|vm_flags_(set|clear|mod|reset))\\(${esc(v)}\\b`,
      );
      return ![i, ...before(p, i)].some((j) => locked.test(code(p.lines[j]!)));
    };
    const writeAfter = (i: number, at: number, ind: string, v: string, why: string): Site => {
      const write = FIELD_WRITES[pick() % FIELD_WRITES.length]!(v);
      const edit: Edit = new Map([[at, insertAfter(p, at, [ind + write])]]);
      return { line: i, edit, witnesses: [], variant: /->(\w+)/.exec(write)![1], what: `\`${write}\` ${why}` };
    };
    // A VMA found by lookup or iteration: written right after it is found (past its NULL test).
    for (let i = 0; i < p.lines.length; i++) {
      if (!(p.kind[i] === '+' || p.kind[i] === ' ')) continue;
      const m = ATTACHED.exec(code(p.lines[i]!));
      if (!m) continue;
      const v = (m[1] ?? m[2])!;
      if (p.kind[i] !== '+' && p.kind[i + 1] !== '+') continue;
      if (!unlockedBefore(i, v)) continue;
      const loop = /\{\s*$/.test(code(p.lines[i]!));
      const at = loop ? i : pastFailureTest(p, i);
      const ind = loop ? `${indentOf(p.lines[i]!)}\t` : indentOf(p.lines[i]!);
      out.push(writeAfter(i, at, ind, v, `after ${quote(p, i)}`));
    }
    // A VMA parameter of a function that changes the tree: written after the hunk's first added statement of the body.
    for (const h of p.hunks) {
      const fn = new RegExp(`\\b(${alt(TREE_MODIFIERS)})\\s*\\(`).exec(h.tail);
      // A parameter, not the function's own name (`struct vm_area_struct *vma_merge(...)`).
      const param = /struct vm_area_struct \*(\w+)\s*(,|\)|$)/.exec(h.tail);
      if (!fn || !param) continue;
      // A VMA the function allocates, or a parameter it reassigns, is not the caller's attached one.
      const v = param[1]!;
      const body = p.lines.slice(h.header + 1, h.end + 1).map(code).join('\n');
      if (new RegExp(`\\b(vm_flags_init|vma_init)\\(${esc(v)}\\b|\\b${esc(v)}\\s*=[^=]|vm_area_(alloc|dup)\\(`).test(body)) continue;
      for (let i = h.header + 1; i <= h.end; i++) {
        const c = code(p.lines[i]!);
        // The header names the function only up to the first function boundary in the hunk.
        if (/^[{}]/.test(c)) break;
        // A helper that changes the tree may write-lock the VMA itself (vma_expand() does): stop there.
        if (new RegExp(`\\b(${alt([...MODIFYING_CALLS, ...TREE_MODIFIERS])})\\s*\\(`).test(c)) break;
        if (p.kind[i] !== '+' || !/^\t\S/.test(c) || !statement(c) || declaration(c) || /^\s*(return|goto)\b/.test(c)) continue;
        if (bodyOfBracelessControl(p, i) || !unlockedBefore(i, v)) break;
        out.push(writeAfter(i, i, '\t', v, `in ${fn[1]}() after ${quote(p, i)}`));
        break;
      }
    }
    return out;
  },
};

/** Functions that change the VMA tree or a VMA in it: their VMA parameters are attached (fact sheet §6). */
const TREE_MODIFIERS = [
  'vma_merge\\w*', 'vma_modify\\w*', 'do_brk_flags', 'expand_downwards', 'expand_upwards', 'vma_shrink', 'vma_expand',
  '__split_vma', 'split_vma', 'mlock_fixup', 'mprotect_fixup', 'madvise_update_vma', 'relocate_vma_down', 'move_vma',
  'dup_anon_vma', 'vma_replace_policy',
];

/** Unlock -> the assertion that the lock is held (now it is not). */
const ASSERT_OF: [RegExp, (arg: string) => string][] = [
  [/^mmap_(read|write)_unlock\((.+)\);$/, (a) => `mmap_assert_locked(${a});`],
  [/^i_mmap_unlock_write\((.+)\);$/, (a) => `i_mmap_assert_write_locked(${a});`],
  [/^i_mmap_unlock_read\((.+)\);$/, (a) => `i_mmap_assert_locked(${a});`],
  [/^vma_end_read\((.+)\);$/, (a) => `vma_assert_locked(${a});`],
  [/^spin_unlock\((.+)\);$/, (a) => `lockdep_assert_held(${a});`],
  [/^pte_unmap_unlock\(.+,\s*(\w+(?:->\w+)*)\);$/, (a) => `lockdep_assert_held(${a});`],
];
/** Read acquisition -> an assertion of the write mode (the function holds it for read). */
const WRITE_ASSERT_OF: [RegExp, (arg: string) => string][] = [
  [/^mmap_read_lock\((.+)\);$/, (a) => `mmap_assert_write_locked(${a});`],
  [/^i_mmap_lock_read\((.+)\);$/, (a) => `i_mmap_assert_write_locked(${a});`],
];

export const assertWrongLock: Operator = {
  id: 'assertion on the wrong lock or mode',
  rules: ['LOCK-ASSERT-MISMATCH'],
  description: 'an assertion that a lock is held right after it is released, or of its write mode right after it is taken for read',
  sites(p) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (!(p.kind[i] === '+' || (p.kind[i] === ' ' && p.kind[i + 1] === '+'))) continue;
      const c = code(p.lines[i]!).trim();
      if (bodyOfBracelessControl(p, i)) continue;
      for (const [re, make] of [...ASSERT_OF, ...WRITE_ASSERT_OF]) {
        const m = re.exec(c);
        if (!m) continue;
        const assertion = make(m[m.length - 1]!);
        const edit: Edit = new Map([[i, insertAfter(p, i, [indentOf(p.lines[i]!) + assertion])]]);
        out.push({ line: i, edit, witnesses: [], variant: /^\w+/.exec(assertion)![0], what: `\`${assertion}\` after \`${c}\`` });
        break;
      }
    }
    return out;
  },
};

export const OPERATORS: Operator[] = [
  weakenLockMode,
  dropVmaStartWrite,
  sleepUnderSpinlock,
  dropUnlockBeforeExit,
  ignoreKillableResult,
  invertIMmapOrder,
  mmapLockInsidePtl,
  flagBitCollision,
  vmaFieldUnlocked,
  assertWrongLock,
];

/**
 * The precision control: a statement that changes no lock state, added
 * after a statement the patch adds inside a function.  Its mutants are
 * not bugs; a new warning near them is a rule firing on the shape of a
 * change rather than on a bug.
 */
const NEUTRAL_STATEMENTS = ['patchlens_seen++;', 'WRITE_ONCE(patchlens_flag, true);', 'patchlens_note(__LINE__);'];

export const neutralStatement: Operator = {
  id: 'neutral statement (no bug)',
  rules: [],
  description: 'a counter update or a call of an unknown function that takes no lock, added after an added statement inside a function',
  sites(p, pick) {
    const out: Site[] = [];
    for (let i = 0; i < p.lines.length; i++) {
      if (p.kind[i] !== '+') continue;
      const c = code(p.lines[i]!);
      if (!/^\t/.test(c) || !statement(c) || /^\s*(return|goto|break|continue)\b/.test(c) || bodyOfBracelessControl(p, i)) continue;
      // Not among declarations: kernel C declares first, then does.
      const next = after(p, i, 1)[0];
      if (declaration(c) || (next !== undefined && (declaration(code(p.lines[next]!)) || /^\s*else\b/.test(code(p.lines[next]!))))) continue;
      const stmt = NEUTRAL_STATEMENTS[pick() % NEUTRAL_STATEMENTS.length]!;
      const edit: Edit = new Map([[i, insertAfter(p, i, [indentOf(p.lines[i]!) + stmt])]]);
      out.push({ line: i, edit, witnesses: [], variant: stmt, what: `\`${stmt}\` after ${quote(p, i)}` });
    }
    return out;
  },
};

/**
 * The per-path lock states of flow.ts and the series summaries, on small
 * hand-built facts (the shapes kernel code uses: killable locks tested in an
 * if, unlock under the same test as the lock, helpers that assert first).
 * The golden tests run the same machinery on real patch text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallFact, FlowItem, FunctionFacts, PatchFacts } from '../../../src/core/c/facts.js';
import { runChecks } from '../../../src/core/checks/index.js';
import { summarizeFunction } from '../../../src/core/checks/summarize.js';
import { defaultModel } from '../../../src/core/model/index.js';

const FILE = 'hand.patch';
let line = 0;
const pos = () => ({ file: FILE, line: ++line, column: 2 });

function call(name: string, args: string[], opts: Partial<CallFact> = {}): CallFact {
  return { name, args, pos: pos(), change: '+', inCondition: false, resultUsed: false, ...opts };
}
const c = (name: string, ...args: string[]): FlowItem => ({ kind: 'call', call: call(name, args) });
const ret = (value: string): FlowItem => ({ kind: 'return', pos: pos(), value, calls: [] });
function iff(condition: string, then: FlowItem[], els: FlowItem[] | null = null, conditionCalls: CallFact[] = []): FlowItem {
  return { kind: 'if', pos: pos(), condition, conditionCalls, then, else: els };
}
function fn(name: string, flow: FlowItem[], extra: Partial<FunctionFacts> = {}): FunctionFacts {
  const calls: CallFact[] = [];
  const walk = (items: FlowItem[]) => {
    for (const it of items) {
      if (it.kind === 'call') calls.push(it.call);
      if (it.kind === 'if') { calls.push(...it.conditionCalls); walk(it.then); walk(it.else ?? []); }
      if (it.kind === 'loop') walk(it.body);
    }
  };
  walk(flow);
  return { name, path: 'mm/hand.c', image: 'post', hasStart: true, added: true, removed: false, pos: { file: FILE, line: 1, column: 1 },
    flow, calls, assigns: [], identifiers: [], comments: [], parseErrors: [], ...extra };
}
const patch = (...functions: FunctionFacts[]): { facts: PatchFacts } => ({ facts: { functions, defines: [], comments: [], skipped: [] } });
const rules = (fs: FunctionFacts[]) => runChecks([patch(...fs)], defaultModel()).map((f) => `${f.rule}@${f.line}${f.uncertain ? '?' : ''}`);

test('a killable lock tested in its if: the failure branch holds nothing, the rest holds the lock', () => {
  const lock = call('mmap_read_lock_killable', ['mm'], { inCondition: true, resultUsed: true });
  const ok = fn('ok', [iff('mmap_read_lock_killable(mm)', [ret('-EINTR')], null, [lock]), c('mmap_read_unlock', 'mm'), ret('0')]);
  assert.deepEqual(rules([ok]), []);
  // The bug of 9c49e5d09f07's class: the failure path goes through an `out:` that unlocks.
  const lock2 = call('mmap_read_lock_killable', ['mm'], { inCondition: true, resultUsed: true });
  const unlock = call('mmap_read_unlock', ['mm']);
  const bad = fn('bad', [
    iff('mmap_read_lock_killable(mm)', [{ kind: 'goto', pos: pos(), label: 'out' }], null, [lock2]),
    c('do_work', 'mm'),
    { kind: 'label', pos: pos(), label: 'out' },
    { kind: 'call', call: unlock },
    ret('0'),
  ]);
  assert.deepEqual(rules([bad]), [`LOCK-UNBALANCED@${unlock.pos.line}`]);
});

test('a lock and its unlock under the same condition are one path, not four', () => {
  const f = fn('pml', [
    iff('!pml', [c('spin_lock', 'ptl')]),
    c('pte_clear', 'mm', 'addr', 'pte'),
    iff('!pml', [c('spin_unlock', 'ptl')]),
    ret('0'),
  ]);
  assert.deepEqual(rules([f]), []);
});

test('a trylock that succeeded gives the read lock only: vm_flags_set() needs the write lock', () => {
  const trylock = call('mmap_read_trylock', ['mm'], { inCondition: true, resultUsed: true });
  const set = call('vm_flags_set', ['vma', 'VM_LOCKED']);
  const f = fn('try', [iff('!mmap_read_trylock(mm)', [ret('VM_FAULT_RETRY')], null, [trylock]), { kind: 'call', call: set },
    c('mmap_read_unlock', 'mm'), ret('0')]);
  assert.deepEqual(rules([f]), [`LOCK-REQUIRES@${set.pos.line}`]);
});

test('a helper the series adds is summarized: asserting the VMA write lock first makes it a requirement', () => {
  const model = defaultModel();
  const helper = fn('vma_set_thing', [c('vma_assert_write_locked', 'vma'), ret('0')]);
  const summary = summarizeFunction(helper, model, new Map());
  assert.ok(summary);
  assert.deepEqual(summary.requires, [{ lock: 'vma_lock', mode: 'write' }]);
  assert.equal(summary.source[0].file, 'mm/hand.c');
  // A caller that took the mmap write lock itself and never write-locked the VMA.
  const use = call('vma_set_thing', ['vma']);
  const caller = fn('caller', [c('mmap_write_lock', 'mm'), { kind: 'call', call: use }, c('mmap_write_unlock', 'mm'), ret('0')]);
  assert.deepEqual(rules([helper, caller]), [`LOCK-REQUIRES@${use.pos.line}`]);
  // With vma_start_write() first it is fine.
  const ok = fn('caller_ok', [c('mmap_write_lock', 'mm'), c('vma_start_write', 'vma'), c('vma_set_thing', 'vma'), c('mmap_write_unlock', 'mm'), ret('0')]);
  assert.deepEqual(rules([helper, ok]), []);
});

test('a lock passed to a function the model does not know may be dropped there: no unbalanced finding', () => {
  const f = fn('handoff', [
    c('spin_lock', 'ptl'),
    iff('err', [c('finish_and_unlock', 'ptl'), ret('-EINVAL')]),
    c('spin_unlock', 'ptl'),
    ret('0'),
  ]);
  assert.deepEqual(rules([f]), []);
  const g = fn('forgot', [
    c('spin_lock', 'ptl'),
    iff('err', [ret('-EINVAL')]),
    c('spin_unlock', 'ptl'),
    ret('0'),
  ]);
  assert.equal(rules([g]).length, 1);
  assert.match(rules([g])[0], /^LOCK-UNBALANCED@/);
});

test('without a function start, a release is never called unbalanced for a lock the caller may hold', () => {
  const frag = fn('frag', [c('mmap_read_unlock', 'mm'), ret('0')], { hasStart: false, added: false });
  assert.deepEqual(rules([frag]), []);
});

test('a VMA field written under the mmap write lock this function took, without vma_start_write(): LOCK-REQUIRES', () => {
  const assign = (target: string, field: string, value: string): FlowItem =>
    ({ kind: 'assign', assign: { target, field, op: '=', value, pos: pos(), change: '+' } });
  const write = assign('vma->vm_policy', 'vm_policy', 'new');
  const bad = fn('set_policy', [c('mmap_write_lock', 'mm'), write, c('mmap_write_unlock', 'mm'), ret('0')]);
  bad.assigns = [(write as Extract<FlowItem, { kind: 'assign' }>).assign];
  const line = (write as Extract<FlowItem, { kind: 'assign' }>).assign.pos.line;
  assert.deepEqual(rules([bad]), [`LOCK-REQUIRES@${line}`]);
  const write2 = assign('vma->vm_policy', 'vm_policy', 'new');
  const good = fn('set_policy_ok', [c('mmap_write_lock', 'mm'), c('vma_start_write', 'vma'), write2, c('mmap_write_unlock', 'mm'), ret('0')]);
  good.assigns = [(write2 as Extract<FlowItem, { kind: 'assign' }>).assign];
  assert.deepEqual(rules([good]), []);
});

test('lock order: mmap_read_lock() under a ptl, inode_lock() under mmap_lock; trylocks are fine', () => {
  const take = call('mmap_read_lock', ['mm']);
  const f = fn('order1', [c('spin_lock', 'ptl'), { kind: 'call', call: take }, c('mmap_read_unlock', 'mm'), c('spin_unlock', 'ptl'), ret('0')]);
  assert.deepEqual(rules([f]), [`LOCK-ORDER@${take.pos.line}`]);
  const inode = call('inode_lock', ['inode']);
  const g = fn('order2', [c('mmap_read_lock', 'mm'), { kind: 'call', call: inode }, c('inode_unlock', 'inode'), c('mmap_read_unlock', 'mm'), ret('0')]);
  assert.deepEqual(rules([g]), [`LOCK-ORDER@${inode.pos.line}`]);
  const trylock = call('mmap_read_trylock', ['mm'], { inCondition: true, resultUsed: true });
  const h = fn('order3', [c('spin_lock', 'ptl'), iff('mmap_read_trylock(mm)', [c('mmap_read_unlock', 'mm')], null, [trylock]), c('spin_unlock', 'ptl'), ret('0')]);
  assert.deepEqual(rules([h]), []);
});

test('a helper that needs one of two locks: after mmap_read_unlock() with no VMA lock, vma_set_atomic_flag() has neither', () => {
  const setFlag = call('vma_set_atomic_flag', ['vma', 'VMA_MAYBE_GUARD_BIT']);
  const bad = fn('late', [c('mmap_read_lock', 'mm'), c('mmap_read_unlock', 'mm'), { kind: 'call', call: setFlag }, ret('0')]);
  assert.deepEqual(rules([bad]), [`LOCK-REQUIRES@${setFlag.pos.line}`]);
  const ok = fn('in_time', [c('mmap_read_lock', 'mm'), c('vma_set_atomic_flag', 'vma', 'VMA_MAYBE_GUARD_BIT'), c('mmap_read_unlock', 'mm'), ret('0')]);
  assert.deepEqual(rules([ok]), []);
});

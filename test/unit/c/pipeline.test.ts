import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readInput } from '../../../src/core/mail/index.js';
import { readPatch } from '../../../src/core/series/index.js';
import { patchFacts, quotedFacts } from '../../../src/core/c/index.js';
import { fixtures } from './helpers.js';

test('patchFacts on a series patch read from a format-patch file: positions are input lines', async () => {
  const file = fixtures + 'corpus/real/061-mm-lock-vma-in-dup-anon-vma-before-setting-anon-vma.patch';
  const [message] = (await readInput(file, readFileSync(file))).messages;
  const patch = readPatch(message!);
  const facts = patchFacts(patch);
  const dup = facts.functions.find((f) => f.image === 'post' && f.name === 'dup_anon_vma')!;
  const lock = dup.calls.find((c) => c.name === 'vma_start_write')!;
  assert.equal(lock.change, '+');
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.match(lines[lock.pos.line - 1]!, /^\+\s*vma_start_write\(dst\);/);
  assert.equal(lines[lock.pos.line - 1]!.indexOf('vma_start_write') + 1, lock.pos.column);
  // The write of ->anon_vma follows the lock on the same path.
  const order = dup.flow.flatMap(function walk(i): string[] {
    if (i.kind === 'call') return [i.call.name];
    if (i.kind === 'assign') return [i.assign.target];
    if (i.kind === 'if') return [...i.conditionCalls.map((c) => c.name), ...i.then.flatMap(walk), ...(i.else ?? []).flatMap(walk)];
    if (i.kind === 'loop') return i.body.flatMap(walk);
    return [];
  });
  assert.ok(order.indexOf('vma_start_write') >= 0 && order.indexOf('vma_start_write') < order.indexOf('dst->anon_vma'), order.join(' '));
});

test('quotedFacts on the seed 001 reply', async () => {
  const file = fixtures + 'seeds/001_872d036f281e0629.txt';
  const [message] = (await readInput(file, readFileSync(file))).messages;
  const [{ depth, facts }] = quotedFacts(message!) as [{ depth: number; facts: ReturnType<typeof patchFacts> }];
  assert.equal(depth, 2);
  const retract = facts.functions.find((f) => f.image === 'post' && f.name === 'retract_page_tables')!;
  assert.ok(retract.calls.some((c) => c.name === 'file_backed_vma_is_retractable' && c.pos.line === 117));
});

test('a hunk that starts with `}` and `#endif`: the functions after it are still read (f31, drivers/base/memory.c)', async () => {
  const file = fixtures + 'corpus/fixes/f31-mm-memory-hotplug-add-missing-mem-hotplug-lock.patch';
  const [message] = (await readInput(file, readFileSync(file))).messages;
  const facts = patchFacts(readPatch(message!));
  const post = (name: string) => facts.functions.find((f) => f.image === 'post' && f.name === name && f.path === 'drivers/base/memory.c');
  // The `#if` that the hunk's `#endif` closes is outside the fragment the `}` ends, not inside its body.
  const online = post('memory_block_online');
  assert.ok(online, facts.functions.map((f) => `${f.image} ${f.name}`).join(', '));
  assert.deepEqual(online.calls.filter((c) => c.change === '+').map((c) => c.name), ['mem_hotplug_begin', 'mem_hotplug_done']);
  const offline = post('memory_block_offline');
  assert.ok(offline);
  assert.ok(offline.calls.some((c) => c.name === 'adjust_present_page_count'));
});

test('a hunk that ends on a top-level signature: the next hunk is not read as its body (real/019 do_mbind, real/001 madvise_collapse)', async () => {
  const cases: [string, string, string][] = [
    // The hunk ends on `queue_pages_range(struct mm_struct *mm, ...,` (cut inside its parameters).
    ['corpus/real/019-mm-use-vma-start-write-killable-in-process-vma-walk-lock.patch', 'do_mbind', 'fatal_signal_pending'],
    // The hunk ends on `static void khugepaged_collapse_pte_mapped_thps(struct khugepaged_mm_slot *mm_slot)`.
    ['corpus/real/001-mm-khugepaged-collapse-pte-mapped-thp-with-mmap-read-lock.patch', 'madvise_collapse', 'mmap_read_lock'],
  ];
  for (const [name, fn, call] of cases) {
    const file = fixtures + name;
    const [message] = (await readInput(file, readFileSync(file))).messages;
    const facts = patchFacts(readPatch(message!));
    const post = facts.functions.find((f) => f.image === 'post' && f.name === fn);
    assert.ok(post, `${fn} in ${name}: ${facts.functions.map((f) => f.name).join(', ')}`);
    assert.ok(post.calls.some((c) => c.name === call && c.change === '+'), `${call} in ${fn}`);
  }
});

test('a hunk that closes the open function, then meets `#else` <stub> `#endif`: the later functions are still read (real/063)', async () => {
  const file = fixtures + 'corpus/real/063-mm-handle-userfaults-under-vma-lock.patch';
  const [message] = (await readInput(file, readFileSync(file))).messages;
  const facts = patchFacts(readPatch(message!));
  const post = facts.functions.filter((f) => f.image === 'post' && f.path === 'fs/userfaultfd.c');
  const names = post.map((f) => f.name);
  // One userfaultfd_huge_must_wait(): the #else stub would pair the wrong pre and post images.
  assert.deepEqual(names.filter((n) => n === 'userfaultfd_huge_must_wait').length, 1, names.join(', '));
  const mustWait = post.find((f) => f.name === 'userfaultfd_must_wait');
  assert.ok(mustWait?.calls.some((c) => c.name === 'assert_fault_locked' && c.change === '+'), names.join(', '));
  assert.ok(post.some((f) => f.name === 'handle_userfault' && f.calls.some((c) => c.name === 'release_fault_lock')), names.join(', '));
});

test('a hunk that ends on `#else` inside a body, joined by the next hunk of the function: the rest is not read as that branch (real/005 drm_mmap_locked)', async () => {
  const file = fixtures + 'corpus/real/005-mm-replace-vma-vm-flags-direct-modifications-with-modifier-c.patch';
  const [message] = (await readInput(file, readFileSync(file))).messages;
  const facts = patchFacts(readPatch(message!));
  const post = facts.functions.find((f) => f.image === 'post' && f.name === 'drm_mmap_locked' && f.path === 'drivers/gpu/drm/drm_vm.c');
  assert.ok(post, facts.functions.filter((f) => f.path === 'drivers/gpu/drm/drm_vm.c').map((f) => f.name).join(', '));
  // Both hunks' flag writes are read: the one before `#else` and the one after the hidden `#endif`.
  assert.deepEqual(post.calls.filter((c) => c.change === '+').map((c) => c.name), ['vm_flags_clear', 'vm_flags_set']);
});

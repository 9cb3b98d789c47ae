import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyModelJson, defaultModel, flagValue, orderClosure, orderPath } from '../../../src/core/model/index.js';

const SHEET = readFileSync(new URL('../../../docs/vma-locking-facts.md', import.meta.url), 'utf8');

test('every helper the issue names is in the model, with a source file', () => {
  const model = defaultModel();
  const names = [
    'mmap_read_lock', 'mmap_read_lock_killable', 'mmap_read_trylock', 'mmap_read_unlock', 'mmap_write_lock',
    'mmap_write_lock_killable', 'mmap_write_unlock', 'mmap_write_downgrade', 'vma_start_read', 'vma_end_read',
    'vma_start_write', 'vma_start_write_killable', 'lock_vma_under_rcu', 'anon_vma_lock_write', 'anon_vma_unlock_write',
    'anon_vma_lock_read', 'anon_vma_unlock_read', 'i_mmap_lock_write', 'i_mmap_unlock_write', 'i_mmap_lock_read',
    'i_mmap_unlock_read', 'pte_offset_map_lock', 'pte_unmap_unlock', 'pmd_lock', 'spin_lock', 'spin_unlock',
    'mmap_assert_locked', 'mmap_assert_write_locked', 'vma_assert_locked', 'vma_assert_write_locked',
    'vma_assert_stabilised', 'vm_flags_set', 'vm_flags_clear', 'vm_flags_mod', 'vm_flags_reset', 'vm_flags_init',
    'vma_flag_set_atomic', 'vma_set_atomic_flag', 'vma_flag_test_atomic', 'walk_page_range',
  ];
  for (const n of names) {
    const h = model.helpers.get(n);
    assert.ok(h, `missing helper ${n}`);
    assert.ok(h.source.length > 0 && h.source.every((s) => s.file.length > 0), `${n} has no source`);
    // The sheet must mention every helper we model (it abbreviates `i_mmap_lock_write/unlock_write`).
    assert.ok(SHEET.includes(n) || SHEET.includes(`/${n.replace(/^(i_mmap|anon_vma)_/, '')}`), `${n} is not in the fact sheet`);
  }
});

test('helper contracts match the sheet: vma_start_write needs mmap write, killable variants must be checked', () => {
  const model = defaultModel();
  assert.deepEqual(model.helpers.get('vma_start_write')!.requires, [{ lock: 'mmap_lock', mode: 'write' }]);
  assert.equal(model.helpers.get('vma_start_write')!.withoutPerVmaLock, 'no-op');
  assert.equal(model.helpers.get('vma_assert_write_locked')!.withoutPerVmaLock, 'mmap_assert_write_locked(vma->vm_mm)');
  assert.equal(model.helpers.get('mmap_read_lock_killable')!.success, 'zero');
  assert.equal(model.helpers.get('mmap_read_lock_killable')!.mustCheck, true);
  assert.equal(model.helpers.get('mmap_read_trylock')!.success, 'true');
  assert.equal(model.helpers.get('lock_vma_under_rcu')!.success, 'nonnull');
  const unlock = model.helpers.get('mmap_write_unlock')!;
  assert.ok(unlock.releases!.some((r) => r.lock === 'vma_lock' && r.all), 'mmap_write_unlock drops VMA write locks');
  assert.deepEqual(model.helpers.get('vm_flags_set')!.requires, [{ lock: 'mmap_lock', mode: 'write' }]);
  assert.deepEqual(model.walkLocks.get('PGWALK_WRLOCK')!.perVma, 'vma_start_write');
  assert.equal(model.walkLocks.get('PGWALK_VMA_RDLOCK_VERIFY')!.value, 3);
});

test('VM_* bits agree with the table of section 3.5 of the fact sheet', () => {
  const model = defaultModel();
  const section = SHEET.slice(SHEET.indexOf('### 3.5'), SHEET.indexOf('### 3.6'));
  let checked = 0;
  for (const row of section.split('\n')) {
    const m = /^\| (\d+) \| (0x[0-9a-f]+) \| \**(VM_[A-Z0-9_]+)\**/.exec(row);
    if (!m) continue;
    const [, bit, hex, name] = m;
    assert.equal(BigInt(hex), 1n << BigInt(bit), `sheet row ${name}`);
    const f = model.flags.get(name);
    assert.ok(f, `model lacks ${name}`);
    assert.equal(f.bit, Number(bit), name);
    assert.equal(flagValue(model, name), BigInt(hex));
    checked++;
  }
  assert.ok(checked >= 30, `only ${checked} rows read from the sheet`);
});

test('masks of section 3.4', () => {
  const model = defaultModel();
  assert.deepEqual(model.masks.get('VM_ATOMIC_SET_ALLOWED')!.flags, ['VM_MAYBE_GUARD']);
  assert.deepEqual(model.masks.get('VM_STICKY')!.flags, ['VM_SOFTDIRTY', 'VM_MAYBE_GUARD']);
  assert.deepEqual(model.masks.get('VM_COPY_ON_FORK')!.flags, ['VM_PFNMAP', 'VM_MIXEDMAP', 'VM_UFFD_WP', 'VM_MAYBE_GUARD']);
  assert.deepEqual(model.masks.get('VM_LOCKED_MASK')!.flags, ['VM_LOCKED', 'VM_LOCKONFAULT']);
});

test('lock order of section 4: transitive, and explained edge by edge', () => {
  const model = defaultModel();
  const closure = orderClosure(model);
  assert.ok(closure.get('i_rwsem')!.has('mmap_lock'));
  assert.ok(closure.get('mmap_lock')!.has('pte_ptl'));
  assert.ok(closure.get('vma_lock')!.has('i_mmap'));
  assert.ok(closure.get('pmd_ptl')!.has('pte_ptl'));
  assert.ok(!closure.get('i_mmap')!.has('vma_lock'), 'no cycle: i_mmap is inside the VMA lock');
  for (const [outer, inners] of closure) assert.ok(!inners.has(outer), `cycle through ${outer}`);
  const path = orderPath(model, 'vma_lock', 'pte_ptl');
  assert.ok(path.length >= 2);
  assert.ok(path[0].source.length > 0);
});

test('a user model file adds and replaces helpers, flags and masks', () => {
  const model = defaultModel();
  const text = JSON.stringify({
    helpers: [
      { name: 'my_lock_vma', kind: 'acquire', acquires: [{ lock: 'vma_lock', mode: 'read', instance: 'return' }], success: 'nonnull' },
      { name: 'vma_start_write', kind: 'acquire', requires: [], acquires: [{ lock: 'vma_lock', mode: 'write', instance: 0 }],
        source: [{ file: 'include/linux/mmap_lock.h', kernel: 'v6.18' }] },
    ],
    flags: [{ name: 'VM_FOO', bit: 43 }],
    masks: [{ name: 'VM_ATOMIC_SET_ALLOWED', flags: ['VM_MAYBE_GUARD', 'VM_FOO'] }],
  }, null, 2);
  const problems = applyModelJson(model, text, 'my-model.json');
  assert.deepEqual(problems, []);
  assert.equal(model.helpers.get('my_lock_vma')!.source[0].file, 'my-model.json');
  assert.deepEqual(model.helpers.get('vma_start_write')!.requires, []);
  assert.equal(model.helpers.get('vma_start_write')!.source[0].kernel, 'v6.18');
  assert.equal(flagValue(model, 'VM_FOO'), 1n << 43n);
  assert.ok(model.masks.get('VM_ATOMIC_SET_ALLOWED')!.flags.includes('VM_FOO'));
});

test('a broken model file is reported at its line, never thrown', () => {
  const model = defaultModel();
  const bad = '{\n  "helpers": [\n    { "name": "x_lock", "acquires": [ { "lock": "big_lock", "mode": "read" } ] }\n  ]\n}\n';
  const problems = applyModelJson(model, bad, 'm.json');
  assert.equal(problems.length, 1);
  assert.equal(problems[0].line, 3);
  assert.match(problems[0].message, /unknown lock 'big_lock'/);
  assert.ok(!model.helpers.has('x_lock'));
  const notJson = applyModelJson(model, '{\n "helpers": [,]\n}', 'n.json');
  assert.equal(notJson.length, 1);
  assert.match(notJson[0].message, /not valid JSON/);
});

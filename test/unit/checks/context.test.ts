/**
 * Context beyond the hunk (issue 11), on reversed real fixes: the lock state
 * where a hunk starts and what callees do, from the built-in contracts
 * (no tree) or from a kernel tree the patch does not apply to.  Each firing
 * case has its near miss: the fix itself, or the same patch without the context.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reverseFixMail } from '../../../bench/recall/reverse.js';
import { review, type ReviewOptions } from '../../../src/core/review.js';
import { readDiff } from '../../../src/core/diff/read.js';
import { builtinContracts, callKey } from '../../../src/core/model/contracts.js';
import { formatText, toJson } from '../../../src/core/checks/output.js';
import { run } from '../../../src/cli/commands/check.js';
import type { CliIO } from '../../../src/cli/io.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const corpus = (dir: string, prefix: string) => {
  const d = join(ROOT, 'test/fixtures/corpus', dir);
  return join(d, readdirSync(d).find((n) => n.startsWith(prefix))!);
};
const R071 = corpus('real', '071-');
const F15 = corpus('fixes', 'f15-');
const F05 = corpus('fixes', 'f05-');
const TREE612 = join(ROOT, 'test/fixtures/kernel-tree-6.12');

async function reversed(path: string): Promise<string> {
  const r = await reverseFixMail(path, readFileSync(path));
  assert.ok(r, `${path} reverses`);
  return r.text;
}

/** Review one mail; the 1-based line of the mail whose text is `line` (trimmed, after its +/-/space marker). */
async function check(text: string, options: ReviewOptions = {}) {
  const r = await review([{ file: 'rev.patch', data: text }], options);
  const lines = text.split('\n');
  const lineOf = (want: string, marker = '+') => lines.findIndex((l) => l.startsWith(marker) && l.slice(1).trim() === want) + 1;
  return { r, lineOf, lock: r.findings.filter((f) => f.rule.startsWith('LOCK-')) };
}

test('contracts: the data file names its kernel, is small, and holds retract_page_tables() under i_mmap_rwsem', () => {
  const c = builtinContracts();
  assert.ok(c, 'data/contracts-linux-6.12.json.gz loads');
  assert.match(c.kernel, /^6\.12\.\d+$/);
  assert.equal(c.label, 'linux-6.12');
  assert.ok(c.stats.bytes < 400_000, `data file is ${c.stats.bytes} bytes`);
  const rpt = c.find('retract_page_tables', 'mm/khugepaged.c');
  assert.ok(rpt);
  assert.ok(rpt.states[rpt.body]?.some((h) => h.lock === 'i_mmap' && h.helper === 'i_mmap_lock_read'));
  // Inside its interval-tree loop, before pmd_lock(), i_mmap_rwsem is held.
  const before = rpt.keys.get(callKey('pmd_lock', ['mm', 'pmd']));
  assert.ok(before && before.every((i) => rpt.states[i]!.some((h) => h.lock === 'i_mmap')));
  // A callee's effect: bad_access_pkey() of 6.12 drops the mmap lock or the VMA lock (one of them): never a sure release.
  const bap = c.helpers.get('bad_access_pkey');
  assert.deepEqual(bap?.releases?.map((u) => u.lock).sort(), ['mmap_lock', 'vma_lock']);
  assert.equal(bap?.anyOf, true);
  assert.match(bap?.source[0]?.file ?? '', /^arch\/powerpc\/mm\/fault\.c:\d+$/);
});

test('no tree: reversed real/071 is a LOCK-ORDER, with the i_mmap_rwsem acquisition from the built-in contract in its path', async () => {
  const text = await reversed(R071);
  const { lock, lineOf } = await check(text);
  const f = lock.find((x) => x.rule === 'LOCK-ORDER');
  assert.ok(f, `no LOCK-ORDER: ${JSON.stringify(lock)}`);
  assert.equal(f.line, lineOf('vma_start_write(vma);'));
  assert.match(f.message, /vma_start_write\(\) takes the VMA lock \(write\) while holding i_mmap_rwsem/);
  assert.equal(f.context, 'contract:linux-6.12');
  assert.ok(f.path?.some((s) => /i_mmap_lock_read\(\) at mm\/khugepaged\.c:\d+ \(linux-6\.12 contract\)/.test(s.what)));
  // Said in words (text) and as data (JSON).
  assert.match(formatText([f], []), /lock state from the built-in linux-6\.12 lock contracts/);
  assert.equal(toJson([f], []).findings[0]!.context, 'contract:linux-6.12');
});

test('near miss: real/071 as sent, and reversed 071 without the contracts, give no LOCK-ORDER', async () => {
  const fix = await check(readFileSync(R071, 'utf8'));
  assert.deepEqual(fix.lock.filter((f) => f.rule === 'LOCK-ORDER'), []);
  const bare = await check(await reversed(R071), { contracts: false });
  assert.deepEqual(bare.lock.filter((f) => f.rule === 'LOCK-ORDER'), []);
});

test('tree it does not apply to: reversed fixes/f15 double-unlocks through the tree\'s out_map label', async () => {
  const text = await reversed(F15);
  const { r, lock, lineOf } = await check(text, { kernelTree: TREE612 });
  const f = lock.find((x) => x.rule === 'LOCK-UNBALANCED');
  assert.ok(f, `no LOCK-UNBALANCED: ${JSON.stringify(lock)}`);
  assert.equal(f.context, 'tree-function');
  assert.match(f.message, /spin_unlock\(\) releases the PMD ptl, but on this path spin_unlock\(\) already released it/);
  // Shown at the added unlock; the second unlock is out_map's, in the tree's file (its path says where).
  assert.equal(f.file, 'rev.patch');
  assert.equal(f.line, lineOf('spin_unlock(vmf->ptl);'));
  const again = f.path!.at(-1)!;
  assert.equal(again.file, join(TREE612, 'mm/huge_memory.c'));
  assert.match(readFileSync(again.file, 'utf8').split('\n')[again.line - 1]!, /spin_unlock\(vmf->ptl\)/);
  // Said once per patch: it does not apply, and how many hunks were located.
  const said = r.problems.filter((p) => p.kind === 'tree-not-applied');
  assert.equal(said.length, 1);
  assert.match(said[0]!.message, /patch does not apply to .*1 of 1 hunks located by their function/);
});

test('near miss: fixes/f15 as sent (the fix) with the same tree is not flagged', async () => {
  const { lock } = await check(readFileSync(F15, 'utf8'), { kernelTree: TREE612 });
  assert.deepEqual(lock.filter((f) => f.rule === 'LOCK-UNBALANCED'), []);
});

/**
 * The file f05 was written against (powerpc fault.c of v6.3): the patch's own
 * pre-image lines, with the function's start and bad_access_pkey() around them.
 * Those are reconstructed (v6.3's bad_access_pkey() dropped the mmap lock
 * itself; 6.12's drops the mmap lock or the VMA lock, see the test below).
 */
function f05Tree(): string {
  const mail = readFileSync(F05, 'utf8');
  const diff = mail.slice(mail.indexOf('diff --git'));
  const hunk = readDiff(diff).files[0]!.hunks[0]!;
  const pre = hunk.lines.filter((l) => l.kind !== '+').map((l) => l.text);
  const file = [
    'static noinline int bad_access_pkey(struct pt_regs *regs, unsigned long address,',
    '\t\t\t\t    struct vm_area_struct *vma)',
    '{',
    '\tstruct mm_struct *mm = current->mm;',
    '\tint pkey;',
    '',
    '\tpkey = vma_pkey(vma);',
    '',
    '\tmmap_read_unlock(mm);',
    '',
    '\tif (!user_mode(regs))',
    '\t\treturn SIGSEGV;',
    '',
    '\t_exception_pkey(regs, address, pkey);',
    '',
    '\treturn 0;',
    '}',
    '',
    'static int ___do_page_fault(struct pt_regs *regs, unsigned long address,',
    '\t\t\t   unsigned long error_code)',
    '{',
    '\tstruct vm_area_struct * vma;',
    '\tstruct mm_struct *mm = current->mm;',
    '\tvm_fault_t fault;',
    '',
    '\tif (!(flags & FAULT_FLAG_USER))',
    '\t\tgoto lock_mmap;',
    '',
    '\tvma = lock_vma_under_rcu(mm, address);',
    '\tif (!vma)',
    '\t\tgoto lock_mmap;',
    ...pre,
    '\tvma_end_read(vma);',
    '\treturn 0;',
    '',
    'lock_mmap:',
    '\tmmap_read_lock(mm);',
    '\tmmap_read_unlock(mm);',
    '\treturn 0;',
    '}',
  ];
  const root = mkdtempSync(join(tmpdir(), 'patchlens-f05-'));
  mkdirSync(join(root, 'arch/powerpc/mm'), { recursive: true });
  writeFileSync(join(root, 'arch/powerpc/mm/fault.c'), file.join('\n') + '\n');
  return root;
}

test('tree it does not apply to: reversed fixes/f05 calls bad_access_pkey(), which releases the mmap lock not held after lock_vma_under_rcu()', async () => {
  const text = await reversed(F05);
  const { lock, lineOf } = await check(text, { kernelTree: f05Tree() });
  const f = lock.find((x) => x.rule === 'LOCK-UNBALANCED');
  assert.ok(f, `no LOCK-UNBALANCED: ${JSON.stringify(lock)}`);
  assert.equal(f.line, lineOf('int rc = bad_access_pkey(regs, address, vma);'));
  assert.equal(f.context, 'tree-function');
  assert.match(f.message, /bad_access_pkey\(\) releases mmap_lock, which is not held here: .* holds the VMA lock \(read\) \(lock_vma_under_rcu\(\)\)/);
  assert.match(formatText([f], []), /function's body in the kernel tree \(the patch does not apply there\)/);
});

test('near miss: fixes/f05 as sent with that tree, and reversed f05 with 6.12 (whose bad_access_pkey() drops either lock), are not flagged', async () => {
  const fix = await check(readFileSync(F05, 'utf8'), { kernelTree: f05Tree() });
  assert.deepEqual(fix.lock.filter((f) => f.rule === 'LOCK-UNBALANCED'), []);
  const newer = await check(await reversed(F05), { kernelTree: TREE612 });
  assert.deepEqual(newer.lock.filter((f) => f.rule === 'LOCK-UNBALANCED'), []);
});

test('CLI: a --tree directory that does not exist is an error (exit 2), never silently ignored', async () => {
  let err = '';
  const io: CliIO = {
    out() {}, err(t: string) { err += t; },
    readFile: (p: string) => readFileSync(p), writeFile: () => {}, readStdin: () => Buffer.from(''),
  };
  const code = await run(['--tree', join(ROOT, 'no-such-tree'), R071], io);
  assert.equal(code, 2);
  assert.match(err, /--tree .*no-such-tree: no such directory/);
});

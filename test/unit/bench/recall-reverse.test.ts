/**
 * The reversal the recall benchmark builds its cases from, checked against
 * git: `git apply --numstat` must read the reversed mail, and its numstat
 * must be the fix's with added and deleted swapped (the reversed patch is
 * the fix applied in reverse).  f17 is quoted-printable: decoded first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodedMail, reverseDiffBody, reverseFixMail } from '../../../bench/recall/reverse.js';

const fixes = join(import.meta.dirname, '../../fixtures/corpus/fixes');
const real = join(import.meta.dirname, '../../fixtures/corpus/real');
const fixFile = (dir: string, prefix: string): string => join(dir, readdirSync(dir).find((f) => f.startsWith(prefix))!);

const numstat = (text: string): string[] =>
  execFileSync('git', ['apply', '--numstat'], { input: text }).toString().trim().split('\n');
const swapped = (rows: string[]): string[] => rows.map((r) => r.split('\t')).map(([a, d, p]) => `${d}\t${a}\t${p}`);

async function reversedAgainstGit(path: string) {
  const data = readFileSync(path);
  const rev = (await reverseFixMail(path, data))!;
  const decoded = (await decodedMail(path, data))!;
  assert.deepEqual(numstat(rev.text), swapped(numstat(decoded)), 'numstat of the reversal = swapped numstat of the fix');
  return rev;
}

test('f17 (quoted-printable) reversed: decoded, the lockdep assert removed and the irqs_disabled() check back', async () => {
  const raw = readFileSync(fixFile(fixes, 'f17'), 'latin1');
  assert.ok(raw.includes('=3D'), 'the fixture really is quoted-printable');
  const rev = await reversedAgainstGit(fixFile(fixes, 'f17'));
  const lines = rev.text.split('\n');
  const at = (n: number) => lines[n - 1]!;
  assert.ok(!rev.text.includes('=3D') && !rev.text.includes('=\n'), 'no QP escapes or soft breaks left');
  const changedText = rev.changed.map(at);
  assert.ok(changedText.includes('-\tlockdep_assert_held(&mapping->i_pages.xa_lock);'));
  assert.ok(changedText.includes('+\tVM_WARN_ON_ONCE(!irqs_disabled());  /* For __inc_lruvec_page_state */'));
  assert.ok(changedText.includes('-\tmapping = container_of(node->array, struct address_space, i_pages);'));
  assert.equal(rev.changed.length, 5, 'every changed line and only those');
  assert.ok(lines.includes('@@ -444,8 +442,7 @@ void workingset_update_node(struct xa_node *node)'), 'hunk ranges swapped');
  const sig = lines.indexOf('-- ');
  assert.ok(sig > 0 && rev.changed.every((n) => n < sig + 1), 'the signature ends the diff');
});

test('real/081 reversed: vma_start_write() moves back after i_mmap_lock_write()', async () => {
  const rev = await reversedAgainstGit(fixFile(real, '081'));
  const lines = rev.text.split('\n');
  const lock = lines.findIndex((l) => l === ' \t\ti_mmap_lock_write(vma->vm_file->f_mapping);');
  const start = lines.findIndex((l) => l === '+\tvma_start_write(vma);');
  assert.ok(lock > 0 && start > lock, 'the reversal re-introduces the inverted order');
  assert.ok(rev.changed.includes(start + 1));
  assert.ok(lines.includes('@@ -2801,11 +2801,11 @@ unsigned long mmap_region(struct file *file, unsigned long addr,'));
});

test('every fix mail and real patch reverses into a patch git reads as the fix applied backwards', async () => {
  for (const dir of [fixes, real]) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.patch'))) await reversedAgainstGit(join(dir, f));
  }
});

test('new and deleted files, renames, modes and a missing final newline are reversed as git apply -R reads them', () => {
  const body = [
    'diff --git a/mm/new.c b/mm/new.c',
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    '+++ b/mm/new.c',
    '@@ -0,0 +1,2 @@',
    '+int a;',
    '+int b;',
    '\\ No newline at end of file',
    'diff --git a/mm/old.c b/mm/renamed.c',
    'old mode 100644',
    'new mode 100755',
    'similarity index 90%',
    'rename from mm/old.c',
    'rename to mm/renamed.c',
    '--- a/mm/old.c',
    '+++ b/mm/renamed.c',
    '@@ -1,2 +1,2 @@',
    '-int c;',
    '+long c;',
    ' int d;',
    '-- ',
    '2.41.0',
  ].join('\n');
  const rev = reverseDiffBody(body, 0)!;
  const text = `${rev.lines.join('\n')}\n`;
  assert.deepEqual(rev.lines.slice(0, 9), [
    'diff --git a/mm/new.c b/mm/new.c',
    'deleted file mode 100644',
    'index 1111111..0000000',
    '--- a/mm/new.c',
    '+++ /dev/null',
    '@@ -1,2 +0,0 @@',
    '-int a;',
    '-int b;',
    '\\ No newline at end of file',
  ]);
  assert.ok(text.includes('diff --git a/mm/renamed.c b/mm/old.c\nnew mode 100644\nold mode 100755'));
  assert.ok(text.includes('rename to mm/old.c\nrename from mm/renamed.c'));
  // git names a renamed file by its post-image name: the reversal's is the fix's old name.
  assert.deepEqual(numstat(text), ['0\t2\tmm/new.c', '1\t1\tmm/old.c']);
  assert.deepEqual(rev.changed, [7, 8, 19, 20]);
});

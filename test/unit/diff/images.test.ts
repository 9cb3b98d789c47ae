import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { docPos, findDiffs, hunkImages, ImageIndex, readDiff } from '../../../src/core/diff/index.js';

const seeds = fileURLToPath(new URL('../../fixtures/seeds/', import.meta.url));
const identity = (n: number) => ({ length: n, line: (i: number) => i + 1, column: () => 1, exact: () => true });

test('pre- and post-images of seed 001 quoted hunks, mapped both ways to the reply', () => {
  const text = readFileSync(seeds + '001_872d036f281e0629.txt', 'utf8');
  const [quoted] = findDiffs(text, identity(text.split('\n').length));
  assert.equal(quoted!.depth, 2);
  const files = readDiff(quoted!.text).files;
  assert.deepEqual(files.map((f) => f.newPath), [null, 'mm/madvise.c']);
  const [h] = hunkImages(files[1]!);
  // The post image has the new call; the pre image the removed anon_vma_prepare() at depth 1.
  const call = h!.post.find((l) => l.text.includes('vma_flag_set_atomic'))!;
  assert.equal(call.change, '+');
  assert.equal(call.fileLine, 1146);
  assert.deepEqual(docPos('001', quoted!.map, call.diffLine, 3), { file: '001', line: 139, column: 9 });
  const removed = h!.pre.filter((l) => l.change === '-').map((l) => l.text.trim());
  assert.deepEqual(removed.slice(-3), ['err = anon_vma_prepare(vma);', 'if (err)', 'return err;']);
  // From an editor line back to the images: line 139 is a post-image line only.
  const index = new ImageIndex(hunkImages(files[1]!), quoted!.map);
  assert.deepEqual(index.at(139).map((x) => [x.image, x.line.text.trim()]), [['post', 'vma_flag_set_atomic(vma, VM_MAYBE_GUARD_BIT);']]);
  // A context line is in both images.
  assert.deepEqual(index.at(127).map((x) => x.image), ['pre', 'post']);
});

test('quoted pieces the mail reader splits at a reviewer comment are joined back into one diff', async () => {
  const { readInput } = await import('../../../src/core/mail/index.js');
  const { joinQuoted } = await import('../../../src/core/diff/index.js');
  const file = seeds + '001_872d036f281e0629.txt';
  const [message] = (await readInput(file, readFileSync(file))).messages;
  assert.ok(message!.quotedDiffs.length >= 2, 'the reply interrupts the quoted hunk');
  const [joined] = joinQuoted(message!.quotedDiffs);
  assert.equal(joined!.depth, 2);
  const [retract] = readDiff(joined!.text).files;
  // The hunk runs across the comment: its new `if` is line 117 of the reply.
  const line = retract!.hunks[0]!.lines.find((l) => l.text.includes('file_backed_vma_is_retractable'))!;
  assert.equal(line.kind, '+');
  assert.equal(joined!.map.line(line.diffLine), 117);
  assert.equal(joined!.map.column(line.diffLine), 5);
});

/**
 * The pieces of `npm run bench:peers` whose mistakes would silently skew the
 * figures: the C text the bare parse is given, the mbox it reads, and how a
 * process's time and memory are read from GNU time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMbox, hunkImages, realPatchFiles, threadFiles, corpus } from '../../../bench/peers/inputs.js';
import { alternate, median, runProcess } from '../../../bench/peers/measure.js';

const real = (prefix: string): string => realPatchFiles().find((f) => f.includes(`/real/${prefix}-`))!;

test('bare-parse images of real/061: the pre-image has the context, the post-image adds vma_start_write(dst)', () => {
  const images = hunkImages(readFileSync(real('061'), 'utf8'));
  assert.equal(images.length, 2, 'one C file: its pre- and post-image');
  const [pre, post] = images;
  assert.equal(pre.split('\n').length - 1, 6, '@@ -644,6: six old lines');
  assert.equal(post.split('\n').length - 1, 7, '+644,7: seven new lines');
  assert.ok(!pre.includes('vma_start_write(dst);'));
  assert.ok(post.includes('\t\tvma_start_write(dst);\n'));
  assert.ok(post.startsWith('\t * anon pages imported.\n'), 'diff markers are stripped');
  assert.ok(!post.includes('2.41.0'), 'the signature after the hunk is not C');
});

test('bare-parse images skip files that are not C, and a hunk ends at its counted lines', () => {
  const mail = [
    'diff --git a/Documentation/mm/x.rst b/Documentation/mm/x.rst',
    '--- a/Documentation/mm/x.rst',
    '+++ b/Documentation/mm/x.rst',
    '@@ -1 +1 @@',
    '-old text',
    '+new text',
    'diff --git a/mm/y.h b/mm/y.h',
    '--- a/mm/y.h',
    '+++ b/mm/y.h',
    '@@ -1,2 +1,2 @@',
    ' int a;',
    '-int b;',
    '+long b;',
    'trailing prose',
    '',
  ].join('\n');
  assert.deepEqual(hunkImages(mail), ['int a;\nint b;\n', 'int a;\nlong b;\n']);
});

test('every real patch with a C diff gives images in pairs', () => {
  let withC = 0;
  for (const file of realPatchFiles()) {
    const images = hunkImages(readFileSync(file, 'utf8'));
    assert.equal(images.length % 2, 0, file);
    if (images.length) withC++;
  }
  assert.ok(withC >= 40, `C images in ${withC} of ${realPatchFiles().length} real patches`);
});

test('the generated mbox is mboxrd, about the size asked, with fresh Message-IDs where the mail has one', () => {
  const { text, messages } = generateMbox(512 * 1024);
  assert.ok(Buffer.byteLength(text) >= 512 * 1024 && Buffer.byteLength(text) < 700 * 1024);
  assert.equal(text.match(/^From mboxrd@z /gm)?.length, messages);
  // The format-patch files (059-085) carry no Message-ID: their copies stay without one.
  const withId = realPatchFiles().map((f) => /^Message-I[Dd]:/m.test(readFileSync(f, 'utf8')));
  let expected = 0;
  for (let n = 0; n < messages; n++) if (withId[n % withId.length]) expected++;
  const ids = new Set(text.match(/^Message-I[Dd]:\s*<bench\d+\./gm) ?? []);
  assert.equal(ids.size, expected);
  assert.ok(!/^From (?!mboxrd@z )/m.test(text), 'body lines starting "From " are escaped');
});

test('inputs: 16 threads and 43 real patches, as the corpus manifest says', () => {
  assert.equal(threadFiles().length, 16);
  assert.equal(realPatchFiles().length, 43);
  assert.ok(existsSync(join(corpus, 'MANIFEST.md')));
});

test('median of odd and even counts', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('GNU time: a process is timed, its exit code and peak memory read', { skip: !existsSync('/usr/bin/time') && 'no /usr/bin/time' }, () => {
  const ok = runProcess('/usr/bin/time', { cmd: process.execPath, args: ['-e', 'Buffer.alloc(64 * 1024 * 1024, 1)'] });
  assert.equal(ok.exit, 0);
  assert.ok(ok.maxRssKb > 64 * 1024, `peak ${ok.maxRssKb} kB after touching 64 MB`);
  assert.ok(ok.ms > 0 && ok.cpuMs >= 0);
  const failed = runProcess('/usr/bin/time', { cmd: process.execPath, args: ['-e', 'process.exit(3)'] });
  assert.equal(failed.exit, 3);
});

test('alternate runs tasks in turn: one warm-up round, then the runs', async () => {
  const order: string[] = [];
  const [a, b] = await alternate('/usr/bin/time', [() => order.push('a'), () => order.push('b')], 3);
  assert.deepEqual(order.join(''), 'abababab');
  assert.equal(a.runs.length, 3);
  assert.equal(b.runs.length, 3);
  assert.deepEqual(a.exits, [0]);
});

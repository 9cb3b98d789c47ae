/**
 * Inputs that are not mail at all, as a reviewer might open them by mistake:
 * they are said to be so, at a line, instead of being dressed up as a reply.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInput } from '../../../src/core/mail/index.js';
import { readSeries } from '../../../src/core/review.js';
import { summaryJson, summaryText } from '../../../src/core/summary.js';

/** The start of an ELF executable: magic, then NUL-padded header fields. */
const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0, 0x0a, 0x41, 0x42, 0x0a, 0]);

test('a binary file (NUL bytes) is reported as not mail at its line, with no message made of it', async () => {
  const res = await readInput('a.out', elf);
  assert.deepEqual(res.messages, []);
  assert.deepEqual(res.problems.map((p) => [p.kind, p.line, p.column]), [['binary', 1, 8]]);
  const text = summaryText(await readSeries([{ file: 'a.out', data: elf }]));
  assert.doesNotMatch(text, /reply/);
  assert.match(text, /a\.out:1:8: binary data, not mail/);
});

test('an empty file says so in the summary instead of printing nothing', async () => {
  const read = await readSeries([{ file: 'empty.mbox', data: new Uint8Array(0) }]);
  assert.deepEqual(summaryJson(read).problems.map((p) => [p.file, p.kind, p.line]), [['empty.mbox', 'no-mail', 1]]);
  assert.match(summaryText(read), /empty\.mbox:1:1: no mail in this file/);
});

test('trailers and diff commands say why they printed no series: binary and empty files are named, exit 2', async () => {
  const { main } = await import('../../../src/cli/main.js');
  const files: Record<string, Uint8Array> = { 'a.out': elf, 'empty.mbox': new Uint8Array(0) };
  for (const command of ['trailers', 'diff']) {
    let out = '';
    const io = {
      out: (t: string) => void (out += t),
      err: (t: string) => void (out += t),
      readFile: (p: string) => files[p],
      writeFile: () => {},
      readStdin: () => new Uint8Array(0),
    };
    assert.equal(await main([command, 'a.out', 'empty.mbox'], io), 2, command);
    assert.match(out, /a\.out:1:8: binary data, not mail/, command);
    assert.match(out, /empty\.mbox:1:1: no mail in this file/, command);
  }
});

test('a file with CR-only line ends (old Mac) reads like its LF copy, same lines', async () => {
  const { readFileSync } = await import('node:fs');
  const lf = readFileSync(new URL('../../fixtures/qa/resend-one-patch.mbox', import.meta.url), 'utf8');
  const cr = lf.replace(/\n/g, '\r');
  const a = summaryJson(await readSeries([{ file: 'x.mbox', data: lf }]));
  const b = summaryJson(await readSeries([{ file: 'x.mbox', data: cr }]));
  assert.deepEqual(b, a);
  assert.equal(b.series[0].present, 3);
});

test('trailers command on a reply alone (seed 001) lists the quoted Reviewed-by as not applied, at its line', async () => {
  const { main } = await import('../../../src/cli/main.js');
  const { readFileSync } = await import('node:fs');
  let out = '';
  const io = {
    out: (t: string) => void (out += t),
    err: (t: string) => void (out += t),
    readFile: (p: string) => readFileSync(p),
    writeFile: () => {},
    readStdin: () => new Uint8Array(0),
  };
  const seed = new URL('../../fixtures/seeds/001_872d036f281e0629.txt', import.meta.url).pathname;
  assert.equal(await main(['trailers', seed], io), 0);
  assert.match(out, /Tags in replies whose patch is not in the input \(not applied\):\n/);
  assert.match(out, /\n {4}\? Reviewed-by: Vlastimil Babka <\[email\sprotected\]> {2}\[.*001_872d036f281e0629\.txt:79\] unconfirmed/);
});

test('an HTML page saved from an archive is named as such at its first line; the patch in it still shows', async () => {
  const page = '<!DOCTYPE html>\n<html><head><title>[PATCH] mm: foo</title></head><body><pre>body\n---\ndiff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1 +1 @@\n-a\n+b\n</pre></body></html>\n';
  const read = await readSeries([{ file: 'page.html', data: page }]);
  assert.deepEqual(read.problems.map((p) => [p.kind, p.line]), [['html', 1]]);
  const text = summaryText(read);
  assert.match(text, /\[1\/1\] \(no subject\)\n/);
  assert.match(text, /mm\/a\.c {2}\+1 -1/);
  assert.match(text, /page\.html:1:1: an HTML page, not a mail/);
});

/**
 * Version comparison (unchanged / commit message only / code changed with
 * an interdiff / new / dropped) and the `trailers` and `diff` commands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readInput } from '../../../src/core/mail/index.js';
import { assembleSeries } from '../../../src/core/series/index.js';
import { compareVersions, changeSincePrevious, interdiff } from '../../../src/core/trailers/compare.js';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/io.js';

const THREADS = new URL('../../fixtures/corpus/threads/', import.meta.url).pathname;

function patchMail(version: number, index: number, total: number, title: string, message: string, code: string, id: string): string {
  return [
    'From mboxrd@z Thu Jan  1 00:00:00 1970',
    'From: Ann Author <ann@example.org>',
    `Subject: [PATCH v${version} ${index}/${total}] ${title}`,
    `Date: Mon, 1${version} Nov 2025 10:0${index}:00 +0000`,
    `Message-Id: <${id}>`,
    '',
    message,
    '',
    'Signed-off-by: Ann Author <ann@example.org>',
    '---',
    `diff --git a/mm/f${index}.c b/mm/f${index}.c`,
    'index 1111111..2222222 100644',
    `--- a/mm/f${index}.c`,
    `+++ b/mm/f${index}.c`,
    '@@ -10,4 +10,4 @@ static int f(void)',
    ' \tint a;',
    '-\ta = 1;',
    `+\t${code}`,
    ' \treturn a;',
    '',
  ].join('\n');
}

const V1 =
  patchMail(1, 1, 4, 'mm: one', 'One.', 'a = 2;', 'v1-1@x') +
  patchMail(1, 2, 4, 'mm: two', 'Two.', 'a = 3;', 'v1-2@x') +
  patchMail(1, 3, 4, 'mm: three', 'Three.', 'a = 4;', 'v1-3@x') +
  patchMail(1, 4, 4, 'mm: gone', 'Gone.', 'a = 5;', 'v1-4@x');
const V2 =
  patchMail(2, 1, 4, 'mm: one', 'One.', 'a = 2;', 'v2-1@x') +
  patchMail(2, 2, 4, 'mm: two', 'Two, explained better.', 'a = 3;', 'v2-2@x') +
  patchMail(2, 3, 4, 'mm: three', 'Three.', 'a = 40;', 'v2-3@x') +
  patchMail(2, 4, 4, 'mm: new one', 'New.', 'a = 6;', 'v2-4@x').replace(/f4\.c/g, 'f9.c');

test('each patch of v2 against v1: unchanged, commit message only, code changed with interdiff, new; dropped ones listed', async () => {
  const { messages } = await readInput('s.mbox', V1 + V2);
  const [series] = assembleSeries(messages);
  assert.deepEqual(series.versions.map((v) => v.version), [1, 2]);
  const cmp = compareVersions(series.versions[0], series.versions[1]);
  assert.deepEqual(cmp.patches.map((p) => `${p.patch.subject.title}: ${p.change.kind}`), ['mm: one: unchanged', 'mm: two: message', 'mm: three: code', 'mm: new one: new']);
  assert.deepEqual(cmp.dropped.map((p) => p.subject.title), ['mm: gone']);
  const three = cmp.patches[2].change.interdiff!;
  assert.match(three, /^-\+\ta = 4;$/m);
  assert.match(three, /^\+\+\ta = 40;$/m);
  const since = changeSincePrevious(series);
  assert.equal(since.get(series.versions[0].patches[0])!.fromVersion, null);
  assert.equal(since.get(series.versions[1].patches[2])!.kind, 'code');
});

test('interdiff ignores line-number moves and index lines, and stays bounded on large inputs', () => {
  const a = 'diff --git a/x b/x\nindex 1..2\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n';
  assert.equal(interdiff(a, a.replace('@@ -1,2 +1,2 @@', '@@ -50,2 +50,2 @@').replace('index 1..2', 'index 3..4')), '');
  const big = (seed: string) => Array.from({ length: 6000 }, (_, i) => `+line ${seed}${i}`).join('\n');
  const t = performance.now();
  const out = interdiff(big('a'), big('b'));
  assert.ok(performance.now() - t < 3000);
  assert.match(out, /interdiff not shown/);
});

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    readFile: (p) => readFileSync(p),
    writeFile: (p, d) => void written.set(p, typeof d === 'string' ? d : Buffer.from(d).toString()),
    readStdin: () => new Uint8Array(),
  };
  return { io, out, err, written };
}

test('patchlens trailers prints the patch x person matrix with version and file:line', async () => {
  const { io, out } = fakeIO();
  const file = THREADS + 'real-mm-drop-hugetlb-free-pgd-range.mbox';
  assert.equal(await main(['trailers', file], io), 0);
  const text = out.join('');
  assert.match(text, /^ {4}Oscar Salvador +A-b\+,A-b\+ +A-b\+,A-b\+ +A-b\+,A-b\+/m);
  assert.match(text, /TAG-DUPLICATE: Acked-by: Oscar Salvador <osalvador@suse.de>: Oscar Salvador also gave Acked-by as <osalvador@sude.de>/);
  assert.match(text, new RegExp(`\\+ Acked-by: Mike Rapoport \\(Microsoft\\) <rppt@kernel.org>  \\[v1, reply \\(cover letter\\) ${file.replace(/[.()]/g, '\\$&')}:788\\]`));
  const json = fakeIO();
  assert.equal(await main(['trailers', '--json', file], json.io), 0);
  const parsed = JSON.parse(json.out.join(''));
  const tags = parsed.series[0].versions[0].patches[0].tags;
  assert.ok(tags.some((t: { key: string; origin: string; version: number; line: number }) => t.key === 'Tested-by' && t.origin === 'reply' && t.version === 1 && t.line === 1615));
});

test('patchlens trailers --am writes the latest version with the collected trailers; --order sorts the new ones', async () => {
  const file = THREADS + 'b4-trailers-followup-single.mbox';
  const { io, out, written } = fakeIO();
  assert.equal(await main(['trailers', '--am', 'out.mbx', '--order', 'Tested*,*', file], io), 0);
  const mbx = written.get('out.mbx')!;
  assert.match(mbx, /Signed-off-by: Original Submitter <original-submitter@example.com>\nTested-by: Followup Reviewer2 <followup-reviewer2@example.com>\nReviewed-by: Followup Reviewer1 <followup-reviewer1@example.com>\n---\n/);
  assert.doesNotMatch(mbx, /Mismatched/);
  assert.match(out.join(''), /! Reviewed-by: Mismatched Reviewer1/);
  const bad = fakeIO();
  assert.equal(await main(['trailers', '--am'], bad.io), 2);
});

test('patchlens diff compares the two latest versions by default, or the ones asked for', async () => {
  const { io, out } = fakeIO();
  const path = '/tmp/patchlens-diff-test.mbox';
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, V1 + V2);
  assert.equal(await main(['diff', path], io), 0);
  const text = out.join('');
  assert.match(text, /v1 -> v2/);
  assert.match(text, /\[3\/4\] mm: three: code changed\n {6}@@/);
  assert.match(text, /dropped: \[4\/4\] mm: gone/);
  const none = fakeIO();
  assert.equal(await main(['diff', '--from', 'v7', path], none.io), 0);
  assert.match(none.out.join(''), /no v7 in the input/);
  const bad = fakeIO();
  assert.equal(await main(['diff', '--from', 'seven', path], bad.io), 2);
});

test('--am on the lore page copy of seed 000 adds the two reply tags after the patch\'s own', async () => {
  const seeds = new URL('../../fixtures/seeds/', import.meta.url).pathname;
  const { io, out, written } = fakeIO();
  assert.equal(await main(['trailers', '--am', 'o.mbx', seeds + '000_dbfa3d816e84323d.txt'], io), 0);
  assert.match(written.get('o.mbx')!, /Reviewed-by: Vlastimil Babka <vbabka@suse.cz>\nReviewed-by: Lance Yang <lance.yang@linux.dev>\nAcked-by: David Hildenbrand \(Red Hat\) <david@kernel.org>\n---/);
  assert.match(out.join(''), /\+ Reviewed-by: Lance Yang/);
});

test('--accept-unconfirmed applies a tag without address once the input shows one, and says so', async () => {
  const path = '/tmp/patchlens-unconfirmed-test.mbox';
  const { writeFileSync } = await import('node:fs');
  const reply = [
    'From mboxrd@z Thu Jan  1 00:00:00 1970',
    'From: Nora Noaddr <nora@example.org>',
    'Subject: Re: [PATCH v1 1/4] mm: one',
    'Date: Tue, 11 Nov 2025 10:00:00 +0000',
    'Message-Id: <nora@x>',
    'In-Reply-To: <v1-1@x>',
    '',
    'Acked-by: Nora Noaddr',
    '',
  ].join('\n');
  writeFileSync(path, V1 + reply);
  const plain = fakeIO();
  assert.equal(await main(['trailers', '--am', 'o.mbx', path], plain.io), 0);
  assert.doesNotMatch(plain.written.get('o.mbx')!, /Nora/);
  assert.match(plain.out.join(''), /\? Acked-by: Nora Noaddr \(not applied, unconfirmed: no address; nora@example.org found/);
  const accept = fakeIO();
  assert.equal(await main(['trailers', '--am', 'o.mbx', '--accept-unconfirmed', path], accept.io), 0);
  assert.match(accept.written.get('o.mbx')!, /Signed-off-by: Ann Author <ann@example.org>\nAcked-by: Nora Noaddr <nora@example.org>\n---/);
  assert.match(accept.out.join(''), /\? Acked-by: Nora Noaddr \(applied, unconfirmed/);
});

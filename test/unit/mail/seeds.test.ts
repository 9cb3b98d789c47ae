/**
 * The odd shapes patch mail reaches a reviewer in (test/fixtures/seeds):
 * each read into messages whose text points back at the right input place.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAuthor, readInput } from '../../../src/core/mail/index.js';
import type { MailMessage } from '../../../src/core/types.js';

const seeds = new URL('../../fixtures/seeds/', import.meta.url);
const seed = (prefix: string): { name: string; data: Buffer; lines: string[] } => {
  const names: Record<string, string> = {
    '000': '000_dbfa3d816e84323d.txt',
    '001': '001_872d036f281e0629.txt',
    '002': '002_2d6408fa18c60d10.txt',
    '003': '003_6bc468803e1b8b4d.txt',
    '004': '004_c9f6f601de2ac7e7.txt',
  };
  const data = readFileSync(new URL(names[prefix], seeds));
  return { name: names[prefix], data, lines: data.toString('utf8').split('\n') };
};

/** Every body line maps to an input line that shows it (at its column). */
function assertBodyMapsExactly(m: MailMessage, lines: string[]): void {
  const body = m.body.split('\n').slice(0, m.bodyMap.length);
  body.forEach((text, i) => {
    const at = lines[m.bodyMap.line(i) - 1].slice(m.bodyMap.column(i) - 1);
    assert.equal(at, text, `body line ${i}`);
  });
}

test('lore page: the patch and each reply are messages, author from "Posted by"', async () => {
  const { name, data, lines } = seed('000');
  const res = await readInput(name, data);
  assert.deepEqual(
    res.messages.map((m) => [m.shape, m.from?.name, m.subject, m.startLine]),
    [
      ['lore-page', 'Lorenzo Stoakes', '[PATCH v4 2/9] mm: add atomic VMA flags and set VM_MAYBE_GUARD as such', 4],
      ['lore-page', 'Lance Yang', 'Re: [PATCH v4 2/9] mm: add atomic VMA flags and set VM_MAYBE_GUARD as such', 87],
      ['lore-page', 'David Hildenbrand (Red Hat)', 'Re: [PATCH v4 2/9] mm: add atomic VMA flags and set VM_MAYBE_GUARD as such', 109],
    ],
  );
  const [patch, lance, david] = res.messages;
  // The page shows no address; each poster's own tag line does.
  assert.deepEqual(
    res.messages.map((m) => m.from?.email),
    ['lorenzo.stoakes@oracle.com', 'lance.yang@linux.dev', 'david@kernel.org'],
  );
  assert.ok(patch.body.startsWith('This patch adds the ability to atomically set VMA flags'));
  assert.ok(patch.body.includes('\ndiff --git a/include/linux/mm.h b/include/linux/mm.h\n'));
  assert.equal(patch.endLine, 86, 'the patch ends before the reply subject line');
  for (const m of res.messages) assertBodyMapsExactly(m, lines);
  const rb = lance.body.split('\n').indexOf('Reviewed-by: Lance Yang <lance.yang@linux.dev>');
  assert.equal(lance.bodyMap.line(rb), 108);
  assert.ok(david.body.includes('Acked-by: David Hildenbrand (Red Hat) <david@kernel.org>'));
  assert.deepEqual(lance.attributions, [{ depth: 1, name: 'Lorenzo Stoakes', email: null, line: 90 }]);
  assert.deepEqual(res.problems, []);
});

test('quoted reply: the diff quoted two deep is recovered, markers stripped, columns past them', async () => {
  const { name, data, lines } = seed('001');
  const res = await readInput(name, data);
  assert.equal(res.messages.length, 1);
  const m = res.messages[0];
  assert.equal(m.shape, 'quoted-reply');
  assert.deepEqual(
    m.attributions?.map((a) => [a.depth, a.name, a.line]),
    [
      [1, 'Vlastimil Babka', 1],
      [2, 'Lorenzo Stoakes', 2],
    ],
  );
  assert.equal(m.quotedDiffs.length, 2);
  const [hunk, rest] = m.quotedDiffs;
  assert.equal(hunk.depth, 2);
  assert.equal(hunk.author?.name, 'Lorenzo Stoakes');
  // The hunk header was wrapped by the replier's mailer; it is joined back.
  assert.equal(hunk.text.split('\n')[0], '@@ -1778,15 +1801,16 @@ static void retract_page_tables(struct address_space *mapping, pgoff_t pgoff)');
  assert.equal(hunk.map.line(0), 86);
  assert.equal(hunk.map.exact(0), false);
  // A '-' line of the hunk: the column is just past "> > ".
  const minus = hunk.text.split('\n').findIndex((l) => l.startsWith('-            * Huge page lock is still held'));
  assert.equal(hunk.map.column(minus), 5);
  assert.equal(lines[hunk.map.line(minus) - 1].slice(4), hunk.text.split('\n')[minus]);
  // After Vlastimil's comment the cut hunk goes on, then mm/madvise.c.
  assert.ok(rest.text.startsWith('             */\n-           if (likely(!vma->anon_vma && !userfaultfd_wp(vma))) {\n'));
  const madvise = rest.text.split('\n').indexOf('diff --git a/mm/madvise.c b/mm/madvise.c');
  assert.equal(lines[rest.map.line(madvise) - 1], '> > diff --git a/mm/madvise.c b/mm/madvise.c');
  assert.ok(rest.text.includes('\n+   vma_flag_set_atomic(vma, VM_MAYBE_GUARD_BIT);\n'));
});

test('obfuscated addresses are marked as such', () => {
  assert.deepEqual(parseAuthor('Vlastimil Babka <[email protected]>'), { name: 'Vlastimil Babka', email: '[email protected]', obfuscated: true });
  assert.deepEqual(parseAuthor('Andrew Morton <akpm@...ux-foundation.org>'), {
    name: 'Andrew Morton',
    email: 'akpm@...ux-foundation.org',
    obfuscated: true,
  });
  assert.equal(parseAuthor('A U Thor <a.u.thor@example.com>')?.obfuscated, undefined);
});

test('damaged mail (one line): headers, trailers, diffstat recovered; the diff reported, never clean', async () => {
  const { name, data } = seed('002');
  const text = data.toString('utf8');
  const res = await readInput(name, data);
  assert.equal(res.messages.length, 1);
  const m = res.messages[0];
  assert.equal(m.shape, 'damaged');
  assert.equal(m.subject, '[PATCH v1 1/9] mm: introduce VM_MAYBE_GUARD and make visible in /proc/$pid/smaps');
  assert.deepEqual(m.from, { name: 'Ahmed Elaidy', email: '' });
  assert.equal(m.date, 'Sat, 25 Apr 2026 00:12:35 +0300');
  assert.equal(m.messageId, '20260424211315.1072123-2-elaidya225@gmail.com');
  assert.equal(m.inReplyTo, '20260424211315.1072123-1-elaidya225@gmail.com');
  assert.deepEqual(m.inBody, [{ name: 'From', value: 'Lorenzo Stoakes', line: 1 }]);
  const body = m.body.split('\n');
  for (const t of [
    'Signed-off-by: Lorenzo Stoakes',
    'Reviewed-by: Pedro Falcato',
    'Acked-by: David Hildenbrand (Red Hat)',
    'Reviewed-by: Lance Yang',
    'Cc: "Masami Hiramatsu (Google)"',
    'Signed-off-by: Andrew Morton',
    '(cherry picked from commit 5dba5cc2e0ffa76f2f6c8922a04469dc9602c396)',
    'Signed-off-by: Ahmed Elaidy',
    '---',
    ' include/linux/mm.h | 3 +++',
    ' tools/testing/vma/vma_internal.h | 1 +',
    ' 6 files changed, 13 insertions(+), 2 deletions(-)',
  ]) {
    assert.ok(body.includes(t), `recovered line ${JSON.stringify(t)}`);
  }
  assert.ok(body.some((l) => l.startsWith('Link: https://lkml.kernel.org/r/cover.1763460113.git.lorenzo.stoakes@oracle.com')));
  assert.ok(body.every((l) => !l.includes('diff --git')), 'no half-read diff in the body');
  // Every recovered line points at where its text starts on line 1.
  body.slice(0, m.bodyMap.length).forEach((l, i) => {
    assert.equal(m.bodyMap.line(i), 1);
    assert.equal(m.bodyMap.exact(i), false);
    const first = l.trim().split(' ')[0];
    assert.ok(text.startsWith(first, m.bodyMap.column(i) - 1) || l === '---' || l.startsWith('From: '), `line ${i} at its column`);
  });
  const diff = m.problems.find((p) => p.kind === 'damaged-diff');
  assert.ok(diff);
  assert.equal(diff.line, 1);
  assert.ok(text.startsWith('diff --git a/Documentation/filesystems/proc.rst', diff.column - 1));
  assert.ok(m.problems.some((p) => p.kind === 'damaged-mail'));
});

test('openwall page: the mail between the navigation, obfuscated addresses kept visible', async () => {
  const { name, data, lines } = seed('003');
  const res = await readInput(name, data);
  assert.equal(res.messages.length, 1);
  const m = res.messages[0];
  assert.equal(m.shape, 'openwall-page');
  assert.equal(m.startLine, 6);
  assert.ok(m.endLine < 527, 'the page footer is not part of the mail');
  assert.deepEqual(m.from, { name: 'Andrew Morton', email: 'akpm@...ux-foundation.org', obfuscated: true });
  assert.equal(m.subject, 'Re: [PATCH v4 00/10] mm: add and use vma_assert_stabilised() helper');
  assert.equal(m.date, 'Fri, 23 Jan 2026 14:48:51 -0800');
  assert.equal(m.messageId, '20260123144851.f752d80db3c8f700df31aa84@linux-foundation.org');
  assert.equal(m.to[0].email, 'lorenzo.stoakes@...cle.com');
  assert.ok(m.cc.every((a) => a.obfuscated === true));
  assert.ok(m.cc.some((a) => a.name === 'Liam R . Howlett'));
  assert.ok(!m.body.includes('Powered by'));
  assertBodyMapsExactly(m, lines);
  assert.deepEqual(m.attributions?.[0], { depth: 1, name: 'Lorenzo Stoakes', email: 'lorenzo.stoakes@...cle.com', line: 22 });
});

test('a body with no headers at all is one message with the text mapped exactly', async () => {
  const { name, data, lines } = seed('004');
  const res = await readInput(name, data);
  assert.equal(res.messages.length, 1);
  const m = res.messages[0];
  assert.equal(m.from, null);
  assert.ok(m.body.startsWith('During recent vma locking patch reviews'));
  assertBodyMapsExactly(m, lines);
});

test('an mbox with one message whose line breaks were lost: the others read normally', async () => {
  const damaged = seed('002').data.toString('utf8');
  const good = readFileSync(new URL('../../fixtures/corpus/formats/git-t5100-sample.mboxrd', import.meta.url), 'utf8');
  const text = `${good}From x Mon Sep 17 00:00:00 2001\n${damaged}\n`;
  const res = await readInput('mixed.mbox', text);
  assert.deepEqual(
    res.messages.map((m) => [m.index, m.shape, m.startLine]),
    [
      [0, 'mbox', 1],
      [1, 'mbox', 10],
      [2, 'damaged', 21],
    ],
  );
  assert.equal(res.messages[2].subject, '[PATCH v1 1/9] mm: introduce VM_MAYBE_GUARD and make visible in /proc/$pid/smaps');
});

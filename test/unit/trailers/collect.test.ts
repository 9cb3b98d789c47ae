/**
 * Tag collection rules, on small threads written the way the lists write
 * them: replies, replies to replies, cover letters, signatures, quotes,
 * inline tags, missing and hidden addresses, and re-rolls with and without
 * code changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInput } from '../../../src/core/mail/index.js';
import { assembleSeries } from '../../../src/core/series/index.js';
import { collectTrailers, type CollectedTrailers } from '../../../src/core/trailers/collect.js';

let n = 0;
function mail(h: { from: string; subject: string; id: string; irt?: string; refs?: string[] }, body: string): string {
  n++;
  const refs = h.refs ?? (h.irt ? [h.irt] : []);
  return [
    'From mboxrd@z Thu Jan  1 00:00:00 1970',
    `From: ${h.from}`,
    `Subject: ${h.subject}`,
    `Date: Mon, 10 Nov 2025 10:${String(n % 60).padStart(2, '0')}:00 +0000`,
    `Message-Id: <${h.id}>`,
    ...(h.irt ? [`In-Reply-To: <${h.irt}>`] : []),
    ...(refs.length ? [`References: ${refs.map((r) => `<${r}>`).join(' ')}`] : []),
    '',
    body,
    '',
  ].join('\n');
}

const AUTHOR = 'Ann Author <ann@example.org>';

function patchBody(extraTrailers: string[] = [], code = 'c', notes: string[] = []): string {
  return [
    'mm: make the thing lock the VMA first.',
    '',
    'Signed-off-by: Ann Author <ann@example.org>',
    ...extraTrailers,
    '---',
    ...notes,
    ' mm/x.c | 2 +-',
    ' 1 file changed, 1 insertion(+), 1 deletion(-)',
    '',
    'diff --git a/mm/x.c b/mm/x.c',
    'index 1111111..2222222 100644',
    '--- a/mm/x.c',
    '+++ b/mm/x.c',
    '@@ -1,3 +1,3 @@',
    ' a',
    '-b',
    `+${code}`,
    ' d',
    '-- ',
    '2.43.0',
  ].join('\n');
}

async function collect(mbox: string): Promise<CollectedTrailers> {
  const { messages } = await readInput('t.mbox', mbox);
  return collectTrailers(assembleSeries(messages), messages);
}

function tagsOf(c: CollectedTrailers, version = 1, index = 0) {
  const p = c.patches.find((e) => e.version.version === version && e.index === index)!;
  assert.ok(p, `patch v${version} ${index}`);
  return p.tags.map((t) => `${t.status} ${t.key}: ${t.value} v${t.version} ${t.origin}`);
}

test('a tag on its own line in a reply is collected; quoted ones and those below the signature are not', async () => {
  const mbox =
    mail({ from: AUTHOR, subject: '[PATCH] mm: thing', id: 'p1@x' }, patchBody()) +
    mail(
      { from: 'Rita Reviewer <rita@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r1@x', irt: 'p1@x' },
      ['On Mon, Ann Author wrote:', '> Signed-off-by: Ann Author <ann@example.org>', '> Acked-by: Quoted Person <q@example.org>', '', 'Looks right.', '', 'Reviewed-by: Rita Reviewer <rita@example.org>', '', '-- ', 'Tested-by: Rita Reviewer <rita@example.org>'].join('\n'),
    );
  const c = await collect(mbox);
  assert.deepEqual(tagsOf(c), ['in-patch Signed-off-by: Ann Author <ann@example.org> v1 patch', 'collected Reviewed-by: Rita Reviewer <rita@example.org> v1 reply']);
  const rb = c.patches[0].tags[1];
  assert.equal(rb.pos.file, 't.mbox');
  assert.match(mbox.split('\n')[rb.pos.line - 1], /^Reviewed-by: Rita/);
});

test('a reply to a reply reaches the patch; a reply to the cover letter applies to every patch', async () => {
  const mbox =
    mail({ from: AUTHOR, subject: '[PATCH 0/2] mm: things', id: 'c@x' }, 'Cover.\n\nAnn Author (2):\n  mm: one\n  mm: two\n\n mm/x.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)') +
    mail({ from: AUTHOR, subject: '[PATCH 1/2] mm: one', id: 'p1@x', irt: 'c@x' }, patchBody()) +
    mail({ from: AUTHOR, subject: '[PATCH 2/2] mm: two', id: 'p2@x', irt: 'c@x' }, patchBody([], 'e')) +
    mail({ from: 'Quentin Q <q@example.org>', subject: 'Re: [PATCH 2/2] mm: two', id: 'q@x', irt: 'p2@x', refs: ['c@x', 'p2@x'] }, 'Why?') +
    mail({ from: AUTHOR, subject: 'Re: [PATCH 2/2] mm: two', id: 'a@x', irt: 'q@x', refs: ['c@x', 'p2@x', 'q@x'] }, 'Because.') +
    mail({ from: 'Quentin Q <q@example.org>', subject: 'Re: [PATCH 2/2] mm: two', id: 'q2@x', irt: 'a@x', refs: ['c@x', 'p2@x', 'q@x', 'a@x'] }, 'OK then.\n\nAcked-by: Quentin Q <q@example.org>') +
    mail({ from: 'Carl Cover <carl@example.org>', subject: 'Re: [PATCH 0/2] mm: things', id: 'cc@x', irt: 'c@x' }, 'For the series:\n\nReviewed-by: Carl Cover <carl@example.org>');
  const c = await collect(mbox);
  assert.deepEqual(tagsOf(c, 1, 1).slice(1), ['collected Reviewed-by: Carl Cover <carl@example.org> v1 reply']);
  assert.deepEqual(tagsOf(c, 1, 2).slice(1), ['collected Acked-by: Quentin Q <q@example.org> v1 reply', 'collected Reviewed-by: Carl Cover <carl@example.org> v1 reply']);
  assert.equal(c.patches.find((p) => p.index === 1)!.tags[1].viaCover, true);
  assert.deepEqual(c.coverTags[0].tags.map((t) => t.key), ['Reviewed-by']);
});

test('sender mismatch is kept apart with a notice; sub-address and one-label domain differences still match (b4)', async () => {
  const mbox =
    mail({ from: AUTHOR, subject: '[PATCH] mm: thing', id: 'p1@x' }, patchBody()) +
    mail({ from: 'Sam Sender <sam@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r1@x', irt: 'p1@x' }, 'Reviewed-by: Someone Else <else@example.org>') +
    mail({ from: 'Dee Dev <dee+lists@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r2@x', irt: 'p1@x' }, 'Tested-by: Dee Dev <dee@linux.example.org>');
  const c = await collect(mbox);
  assert.deepEqual(tagsOf(c).slice(1), [
    'mismatch Reviewed-by: Someone Else <else@example.org> v1 reply',
    'collected Tested-by: Dee Dev <dee@linux.example.org> v1 reply',
  ]);
  const f = c.findings.filter((x) => x.rule === 'TAG-SENDER-MISMATCH');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /Sam Sender/);
});

test('beyond b4: inline tags, tags with no address and with hidden addresses are listed with a notice, never applied silently', async () => {
  const mbox =
    mail({ from: AUTHOR, subject: '[PATCH] mm: thing', id: 'p1@x' }, patchBody()) +
    mail({ from: 'Ivy Inline <ivy@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r1@x', irt: 'p1@x' }, 'Nice. Feel free to add my Reviewed-by: Ivy Inline <ivy@example.org> to this.') +
    mail({ from: 'Nora Noaddr <nora@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r2@x', irt: 'p1@x' }, 'Acked-by: Nora Noaddr') +
    mail({ from: 'Andrew Morton <akpm@...ux-foundation.org>', subject: 'Re: [PATCH] mm: thing', id: 'r3@x', irt: 'p1@x' }, 'Acked-by: Andrew Morton <akpm@...ux-foundation.org>') +
    mail({ from: 'Andrew Morton <akpm@linux-foundation.org>', subject: 'Re: [PATCH] mm: other', id: 'r4@x' }, 'Unrelated.');
  const c = await collect(mbox);
  const tags = c.patches[0].tags.filter((t) => t.origin === 'reply');
  assert.deepEqual(
    tags.map((t) => [t.key, t.status, t.via, t.recoveredEmail ?? null]),
    [
      ['Reviewed-by', 'unconfirmed', 'inline', null],
      ['Acked-by', 'unconfirmed', 'line', 'nora@example.org'],
      ['Acked-by', 'unconfirmed', 'line', 'akpm@linux-foundation.org'],
    ],
  );
  assert.deepEqual(
    c.findings.map((f) => f.rule),
    ['TAG-INLINE', 'TAG-NO-EMAIL', 'TAG-OBFUSCATED'],
  );
});

test('duplicates are merged: the same tag given twice is listed once, with TAG-DUPLICATE', async () => {
  const mbox =
    mail({ from: AUTHOR, subject: '[PATCH] mm: thing', id: 'p1@x' }, patchBody(['Reviewed-by: Rita Old <rita@example.org>', 'Reviewed-by: Rita Old <rita@example.org>'])) +
    mail({ from: 'Tom T <tom@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r1@x', irt: 'p1@x' }, 'Tested-by: Tom T <tom@example.org>') +
    mail({ from: 'Tom T <tom@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r2@x', irt: 'p1@x' }, 'Again: works.\n\nTested-by: Tom T <tom@example.org>');
  const c = await collect(mbox);
  assert.deepEqual(tagsOf(c), [
    'in-patch Signed-off-by: Ann Author <ann@example.org> v1 patch',
    'in-patch Reviewed-by: Rita Old <rita@example.org> v1 patch',
    'collected Tested-by: Tom T <tom@example.org> v1 reply',
  ]);
  assert.equal(c.findings.filter((f) => f.rule === 'TAG-DUPLICATE').length, 2);
});

function twoVersions(v2Trailers: string[], v2Code: string, v2Notes: string[] = []): string {
  return (
    mail({ from: AUTHOR, subject: '[PATCH] mm: thing', id: 'p1@x' }, patchBody(['Reviewed-by: Rita Old <rita@example.org>'])) +
    mail({ from: 'Tom T <tom@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r1@x', irt: 'p1@x' }, 'Tested-by: Tom T <tom@example.org>') +
    mail({ from: AUTHOR, subject: '[PATCH v2] mm: thing', id: 'p2@x' }, patchBody(v2Trailers, v2Code, v2Notes))
  );
}

test('across versions: tags carry to v2 when the diff is unchanged (patch-id), flagged when the author forgot them', async () => {
  const c = await collect(twoVersions([], 'c'));
  assert.deepEqual(tagsOf(c, 2), [
    'in-patch Signed-off-by: Ann Author <ann@example.org> v2 patch',
    'carried Reviewed-by: Rita Old <rita@example.org> v1 patch',
    'carried Tested-by: Tom T <tom@example.org> v1 reply',
  ]);
  assert.deepEqual(
    c.findings.map((f) => `${f.rule} ${f.severity} ${f.line}`),
    ['TAG-DROPPED warning 10', 'TAG-NOT-APPLIED warning 34'],
  );
});

test('across versions: when the code changed, tags are dropped because of the change; a changelog line explains', async () => {
  const silent = await collect(twoVersions([], 'changed'));
  assert.deepEqual(tagsOf(silent, 2).slice(1), ['dropped Reviewed-by: Rita Old <rita@example.org> v1 patch', 'dropped Tested-by: Tom T <tom@example.org> v1 reply']);
  assert.deepEqual(silent.findings.map((f) => `${f.rule} ${f.severity}`), ['TAG-DROPPED warning', 'TAG-DROPPED warning']);
  const explained = await collect(twoVersions([], 'changed', ['v2:', '- Reworked the locking, dropped R-b tags.', '']));
  assert.deepEqual(explained.findings.map((f) => `${f.rule} ${f.severity}`), ['TAG-DROPPED info', 'TAG-DROPPED info']);
});

test('across versions: a tag the author propagated is not reported', async () => {
  const c = await collect(twoVersions(['Reviewed-by: Rita Old <rita@example.org>', 'Tested-by: Tom T <tom@example.org>'], 'c'));
  assert.deepEqual(tagsOf(c, 2).map((t) => t.split(' ')[0]), ['in-patch', 'in-patch', 'in-patch']);
  assert.deepEqual(c.findings, []);
});

test('every kernel tag is recognised in a reply; a tag followed across three versions is reported once, for the newest', async () => {
  const keys = mail({ from: AUTHOR, subject: '[PATCH] mm: thing', id: 'p1@x' }, patchBody()) +
    mail(
      { from: 'Kim Kernel <kim@example.org>', subject: 'Re: [PATCH] mm: thing', id: 'r1@x', irt: 'p1@x' },
      [
        'Reviewed-by: Kim Kernel <kim@example.org>',
        'Acked-by: Kim Kernel <kim@example.org>',
        'Tested-by: Kim Kernel <kim@example.org>',
        'Reported-by: Kim Kernel <kim@example.org>',
        'Suggested-by: Kim Kernel <kim@example.org>',
        'Co-developed-by: Kim Kernel <kim@example.org>',
        'Signed-off-by: Kim Kernel <kim@example.org>',
        'Assisted-by: Kim Kernel <kim@example.org>',
        'Cc: Kim Kernel <kim@example.org>',
        'Fixes: 1234567890ab ("mm: the old thing")',
        'Closes: https://lore.kernel.org/r/bug@x',
        'Link: https://lore.kernel.org/r/more@x',
      ].join('\n'),
    );
  const c = await collect(keys);
  assert.deepEqual(
    c.patches[0].tags.filter((t) => t.origin === 'reply').map((t) => `${t.key} ${t.status}`),
    ['Reviewed-by', 'Acked-by', 'Tested-by', 'Reported-by', 'Suggested-by', 'Co-developed-by', 'Signed-off-by', 'Assisted-by', 'Cc', 'Fixes', 'Closes', 'Link'].map((k) => `${k} collected`),
  );
  const three =
    twoVersions([], 'c') + mail({ from: AUTHOR, subject: '[PATCH v3] mm: thing', id: 'p3@x' }, patchBody([], 'c'));
  const c3 = await collect(three);
  assert.deepEqual(tagsOf(c3, 3).slice(1).map((t) => t.split(' ')[0]), ['carried', 'carried']);
  const notApplied = c3.findings.filter((f) => f.rule === 'TAG-NOT-APPLIED');
  assert.equal(notApplied.length, 1);
  assert.match(notApplied[0].message, /not in v3's patch/);
});

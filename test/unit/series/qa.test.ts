/**
 * What a reviewer sees in `patchlens summarize --json` for the awkward
 * shapes series take on real lists: the same mail saved twice, one patch
 * resent, a version that drops a patch, CRLF files.  Fixtures: test/fixtures/qa
 * (see its README).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSeries } from '../../../src/core/review.js';
import { summaryJson, summaryText } from '../../../src/core/summary.js';

const qa = join(import.meta.dirname, '../../fixtures/qa');

async function summarize(...names: string[]) {
  const inputs = names.map((n) => ({ file: n, data: readFileSync(join(qa, n)) }));
  return summaryJson(await readSeries(inputs));
}

const reviewedBy = (p: { trailers: { key: string; value: string }[] }) =>
  p.trailers.filter((t) => t.key === 'Reviewed-by').map((t) => t.value);

test('the same Message-ID twice in an mbox counts once: one reply, one review', async () => {
  const { series } = await summarize('duplicate-message.mbox');
  assert.equal(series.length, 1);
  const [v1] = series[0].versions;
  assert.deepEqual([v1.present, v1.total], [2, 2]);
  assert.equal(v1.replies.length, 1, 'the review saved twice is one reply');
  assert.deepEqual(reviewedBy(v1.patches[0]), ['Rev Iewer <rev@example.org>']);
  assert.equal(v1.patches[0].resent, undefined, 'a second copy of the same mail is not a resend');
});

test('a review of [PATCH RESEND 2/3] belongs to 2/3 only, and the resend is shown', async () => {
  for (const name of ['resend-one-patch.mbox', 'crlf-series.mbox']) {
    const { series } = await summarize(name);
    assert.equal(series.length, 1, name);
    const [v1] = series[0].versions;
    assert.deepEqual([v1.present, v1.total, v1.missing], [3, 3, []], name);
    assert.deepEqual(v1.patches.map(reviewedBy), [[], ['Rev Iewer <rev@example.org>'], []], name);
    const review = v1.patches[1].trailers.find((t) => t.key === 'Reviewed-by')!;
    const lines = readFileSync(join(qa, name), 'utf8').split('\n');
    assert.match(lines[review.line - 1], /^Reviewed-by: Rev Iewer/, `${name}: the tag's line`);
    assert.deepEqual(
      v1.patches[1].resent?.map((r) => [r.subject, lines[r.line - 1].replace(/\r$/, '')]),
      [['[PATCH RESEND 2/3] mm: two', 'From mboxrd@z Thu Jan  1 00:00:00 1970']],
      name,
    );
  }
});

test('a reply to a reply to the cover letter gives its Reviewed-by to every patch of that version', async () => {
  const { series } = await summarize('reply-to-reply-to-cover.mbox');
  const [v3] = series[0].versions;
  assert.equal(v3.version, 3);
  assert.deepEqual(v3.patches.map(reviewedBy), [['Rev Iewer <rev@example.org>'], ['Rev Iewer <rev@example.org>']]);
});

test('a whole series resent without threading to the first posting is one version, not "v1, v1"', async () => {
  // The RESEND mbox and its CRLF copy hold the same series under other Message-IDs.
  const text = readFileSync(join(qa, 'resend-one-patch.mbox'), 'utf8').replace(/Message-ID: <(\w+)@x>/g, 'Message-ID: <$1@again>');
  const read = await readSeries([
    { file: 'resend-one-patch.mbox', data: readFileSync(join(qa, 'resend-one-patch.mbox')) },
    { file: 'again.mbox', data: text.replace(/In-Reply-To: .*\n|References: .*\n/g, '').replace(/\[PATCH (\d)/g, '[PATCH RESEND $1') },
  ]);
  const { series } = summaryJson(read);
  assert.equal(series.length, 1);
  assert.deepEqual(series[0].versions.map((v) => v.version), [1]);
  // 2/3: the first file's RESEND, and both copies of it in the second file.
  assert.deepEqual(series[0].patches.map((p) => p.resent?.length ?? 0), [1, 3, 1]);
});

test('real thread: the v4 cover letter\'s "Changes since v3 [2]" list (no colon, wrapped items) is the changelog', async () => {
  const file = join(import.meta.dirname, '../../fixtures/corpus/threads/real-mm-vm-flags-modifier-functions-v4.mbox');
  const { series } = summaryJson(await readSeries([{ file, data: readFileSync(file) }]));
  const [v4] = series[0].versions;
  assert.equal(v4.version, 4);
  assert.equal(v4.changelog.length, 1);
  const [log] = v4.changelog;
  assert.equal(log.version, 'v3');
  assert.equal(log.heading, 'Changes since v3 [2]');
  assert.equal(readFileSync(file, 'utf8').split('\n')[log.line - 1], 'Changes since v3 [2]');
  assert.deepEqual(log.lines, [
    'Fixed build breakage in nommu.c introduced in previous version, per Andrew Morton',
    'Added back data_race() hint in vm_area_dup, per Mel Gorman',
    'Renamed vm_flags modifiers, per Andrew Morton, Mike Rapoport and Mel Gorman',
    'Changed vm_flags_mod to reset vm_flags with one assignment, per Mel Gorman',
    'Added comments about the need to copy vm_flags before ksm_madvise, per Mel Gorman',
    'Added clarifications for __vm_flags_mod usage, per Mel Gorman',
  ]);
});

test('real patch 057: "Changes for v4:" and "Changes for v3:" below the --- are told apart in the text summary', async () => {
  const file = join(import.meta.dirname, '../../fixtures/corpus/real/057-mm-migrate-device-c-flush-tlb-while-holding-ptl.patch');
  const read = await readSeries([{ file, data: readFileSync(file) }]);
  const { series } = summaryJson(read);
  assert.deepEqual(series[0].versions[0].changelog.map((c) => [c.heading, c.lines]), [
    ['Changes for v4', ['Added Review-by']],
    ['Changes for v3', ['New for v3']],
  ]);
  const text = summaryText(read);
  assert.match(text, /changelog in the v4 mail, "Changes for v3" \(.*057-mm-migrate-device-c-flush-tlb-while-holding-ptl\.patch:158\):\n {4}- New for v3\n/);
});

test('seed 001 (a reply alone): the summary shows the Reviewed-by it quotes, at its line, and does not claim "0 of 0 patches"', async () => {
  const file = join(import.meta.dirname, '../../fixtures/seeds/001_872d036f281e0629.txt');
  const read = await readSeries([{ file, data: readFileSync(file) }]);
  const { series } = summaryJson(read);
  const [reply] = series[0].versions[0].replies;
  assert.deepEqual(
    reply.trailers?.map((t) => [t.key, t.name, t.status, t.line]),
    [['Reviewed-by', 'Vlastimil Babka', 'unconfirmed', 79]],
  );
  assert.match(readFileSync(file, 'utf8').split('\n')[78], /^> Reviewed-by: Vlastimil Babka/);
  const text = summaryText(read);
  assert.doesNotMatch(text, /0 of 0 patches/);
  assert.match(text, /no patch in the input, only replies to it/);
  assert.match(text, /\n {6}Reviewed-by: Vlastimil Babka <\[email\sprotected\]> {2}\[unconfirmed: [^\]]*\] \(.*001_872d036f281e0629\.txt:79\)\n/);
});

test('b4 partial re-roll: v3 resends only 2/2, so 1/2 is "not resent" (v2 has it), never "dropped"; a v2 that really drops a patch says so', async () => {
  const { main } = await import('../../../src/cli/main.js');
  const run = async (file: string) => {
    let out = '';
    const io = {
      out: (t: string) => void (out += t),
      err: (t: string) => void (out += t),
      readFile: (p: string) => readFileSync(p),
      writeFile: () => {},
      readStdin: () => new Uint8Array(0),
    };
    await main(['diff', file], io);
    return out;
  };
  const reroll = await run(join(import.meta.dirname, '../../fixtures/corpus/threads/b4-trailers-followup-partial-reroll.mbox'));
  assert.doesNotMatch(reroll, /dropped/);
  assert.match(reroll, /\n {2}not resent in v3: \[1\/2\] Simple test 1 \(v2's is the latest copy here\)\n/);
  const dropped = await run(join(qa, 'v2-drops-a-patch.mbox'));
  assert.match(dropped, /\n {2}dropped: \[2\/3\] mm: two\n/);
  assert.doesNotMatch(dropped, /not resent/);

  const file = join(import.meta.dirname, '../../fixtures/corpus/threads/b4-trailers-followup-partial-reroll.mbox');
  const text = summaryText(await readSeries([{ file, data: readFileSync(file) }]));
  assert.match(text, /v3: 1 of 2 patches present \(missing 1, in v2\); versions v2, v3/);
});

test('real thread: each reply says which patch it answers, up the reply chain; cover-letter tags say they came to the cover', async () => {
  const file = join(import.meta.dirname, '../../fixtures/corpus/threads/real-mm-vm-flags-modifier-functions-v4.mbox');
  const read = await readSeries([{ file, data: readFileSync(file) }]);
  const [v4] = summaryJson(read).series[0].versions;
  // Andrew Morton answers Suren, who answered Hyeonggon's review of 4/7.
  const akpm = v4.replies.find((r) => r.from?.name === 'Andrew Morton')!;
  assert.equal(akpm.answers, 4);
  assert.equal(v4.replies.find((r) => r.from?.name === 'Jason Gunthorpe')!.answers, 0);
  assert.match(summaryText(read), /\n {2}reply to v4 4\/7 from Andrew Morton \(.*:7509\)\n/);

  const thread = join(import.meta.dirname, '../../fixtures/corpus/threads/real-mm-drop-hugetlb-free-pgd-range.mbox');
  const drop = await readSeries([{ file: thread, data: readFileSync(thread) }]);
  const [patch1] = summaryJson(drop).series[0].patches;
  const rapoport = patch1.trailers.find((t) => t.name === 'Mike Rapoport (Microsoft)')!;
  assert.equal(rapoport.viaCover, true);
  assert.match(summaryText(drop), /Acked-by: Mike Rapoport \(Microsoft\) <rppt@kernel\.org> {2}\(reply to the cover letter on v1, .*:788\)/);
});

test('real posting + its stable backport (real/081), in either order: "versions v1, v1 backport", the backport last', async () => {
  const posting = join(import.meta.dirname, '../../fixtures/corpus/threads/real-mm-lock-newly-mapped-vma-corrected-ordering.mbox');
  const backport = join(import.meta.dirname, '../../fixtures/corpus/real/081-mm-lock-newly-mapped-vma-with-corrected-ordering.patch');
  for (const order of [[posting, backport], [backport, posting]]) {
    const read = await readSeries(order.map((file) => ({ file, data: readFileSync(file) })));
    const { series } = summaryJson(read);
    assert.equal(series.length, 1);
    assert.deepEqual(series[0].versions.map((v) => v.label), ['v1', 'v1 backport']);
    assert.equal(series[0].patches[0].upstreamCommit, '1c7873e3364570ec89343ff4877e0f27a7b21a61');
    assert.match(summaryText(read), /\n {2}v1 backport: 1 of 14 patches present \(missing 1-13\); versions v1, v1 backport\n/);
  }
});

test('a cover letter\'s "v2: https://lore..." links are not changelogs; a link above a list is skipped', async () => {
  const { series } = await summarize('cover-with-version-links.mbox');
  const [v3] = series[0].versions;
  assert.deepEqual(
    v3.changelog.map((c) => [c.heading, c.line, c.lines]),
    [['v2 -> v3', 12, ['renamed do_thing() to do_things(), per Rev Iewer', 'dropped the second lock']]],
  );
});

test('a RESEND whose diff is not the same as the first copy says so', async () => {
  const text = readFileSync(join(qa, 'resend-one-patch.mbox'), 'utf8');
  const at = text.indexOf('[PATCH RESEND 2/3]');
  const changed = text.slice(0, at) + text.slice(at).replace('+long y;', '+unsigned long y;');
  for (const [data, differs] of [[text, undefined], [changed, true]] as const) {
    const read = await readSeries([{ file: 'resend.mbox', data }]);
    const [patch2] = summaryJson(read).series[0].patches.filter((p) => p.index === 2);
    assert.equal(patch2.resent?.[0].diffDiffers, differs);
    assert.equal(/sent again: \[PATCH RESEND 2\/3\] mm: two \(resend\.mbox:95\); its diff differs from this one/.test(summaryText(read)), differs === true);
  }
});

test('a [PATCH] mail with no diff says so (git t5100 mboxrd: git apply finds no patch either)', async () => {
  const file = join(import.meta.dirname, '../../fixtures/corpus/formats/git-t5100-sample.mboxrd');
  const text = summaryText(await readSeries([{ file, data: readFileSync(file) }]));
  assert.equal(text.match(/\n {6}no diff in this mail\n/g)?.length, 2);
  const other = join(import.meta.dirname, '../../fixtures/corpus/real/051-mm-lock-a-vma-before-stack-expansion.patch');
  assert.doesNotMatch(summaryText(await readSeries([{ file: other, data: readFileSync(other) }])), /no diff/);
});

test('v2 that drops a patch of v1: the summary names it; v1\'s Acked-by on 3/3 reaches v2 2/2 (same diff)', async () => {
  const read = await readSeries([{ file: 'v2-drops-a-patch.mbox', data: readFileSync(join(qa, 'v2-drops-a-patch.mbox')) }]);
  const { series } = summaryJson(read);
  const [, v2] = series[0].versions;
  assert.deepEqual(v2.dropped, [{ index: 2, title: 'mm: two' }]);
  assert.deepEqual([v2.present, v2.total, v2.missing], [2, 2, []]);
  const acked = v2.patches[1].trailers.find((t) => t.key === 'Acked-by')!;
  assert.deepEqual([acked.status, acked.version], ['carried', 1]);
  assert.match(summaryText(read), /\n {2}v2 drops v1's \[2\/3\] mm: two\n/);
  // A partial re-roll drops nothing.
  const reroll = join(import.meta.dirname, '../../fixtures/corpus/threads/b4-trailers-followup-partial-reroll.mbox');
  assert.equal(summaryJson(await readSeries([{ file: reroll, data: readFileSync(reroll) }])).series[0].versions[1].dropped, undefined);
});

test('two people\'s series sharing a generic patch title stay two series; a reply to a missing cover joins by title', async () => {
  const { series } = await summarize('two-authors-same-patch-title.mbox');
  assert.deepEqual(
    series.map((s) => [s.title, s.versions.map((v) => v.version), s.patches.map((p) => p.title)]),
    [
      ['mm: ann things', [1], ['mm: ann one', 'selftests/mm: fix build']],
      ['mm: bob things', [2, 3], ['selftests/mm: fix build', 'mm: bob two']],
    ],
  );
  assert.equal(series[1].versions[0].replies[0].from?.name, 'Rev Iewer');
  assert.equal(series[1].versions[1].dropped, undefined);
});

test('an author who changed address between v1 and v2 keeps one series (name matches)', async () => {
  const text = readFileSync(join(qa, 'v2-drops-a-patch.mbox'), 'utf8');
  const v2At = text.indexOf('[PATCH v2 0/2]');
  const moved = text.slice(0, v2At).replaceAll('From: Ann Author <ann@example.org>', 'From: Ann Author <ann@old-employer.example>') + text.slice(v2At);
  const { series } = summaryJson(await readSeries([{ file: 'moved.mbox', data: moved }]));
  assert.equal(series.length, 1);
  assert.deepEqual(series[0].versions.map((v) => v.version), [1, 2]);
});

test('two unthreaded series by one author with the same count stay two series, not resends of each other', async () => {
  const { series } = await summarize('two-series-one-author-unthreaded.mbox');
  assert.deepEqual(
    series.map((s) => [s.title, s.present, s.patches.map((p) => p.resent?.length ?? 0)]),
    [
      ['mm: fix alpha 1', 2, [0, 0]],
      ['mm: fix beta 1', 2, [0, 0]],
    ],
  );
});

test('archive copies without threading: a reply names its patch from its Re: subject (seeds 000, 003); a reply with no subject claims no version (seed 001)', async () => {
  const seeds = join(import.meta.dirname, '../../fixtures/seeds');
  const text = summaryText(
    await readSeries(['000_dbfa3d816e84323d.txt', '001_872d036f281e0629.txt', '003_6bc468803e1b8b4d.txt'].map((n) => ({ file: n, data: readFileSync(join(seeds, n)) }))),
  );
  assert.match(text, /\n {2}reply to v4 2\/9 from Lance Yang \(000_dbfa3d816e84323d\.txt:87\)\n/);
  assert.match(text, /\n {2}reply to v4 0\/10 from Andrew Morton \(003_6bc468803e1b8b4d\.txt:6\)\n/);
  assert.match(text, /\n {2}reply from unknown sender \(001_872d036f281e0629\.txt:1\)\n/);
});

test('[PATCH 2/1]: the miscount is reported at the Subject line and the series counts 2, not "1 of 1 present (missing 1)"', async () => {
  const json = await summarize('counter-past-total.eml');
  assert.deepEqual([json.series[0].present, json.series[0].total, json.series[0].missing], [1, 2, [1]]);
  assert.deepEqual(json.problems.map((p) => [p.kind, p.line]), [['subject-counter', 2]]);
  assert.match(readFileSync(join(qa, 'counter-past-total.eml'), 'utf8').split('\n')[1], /^Subject: \[PATCH 2\/1\]/);
});

test('archive copies without Message-IDs: the cover letter joins its patches (its shortlog names them), and "Re: [PATCH 2/3]" reviews 2/3 only', async () => {
  const { series } = await summarize('archive-copies-no-threading.mbox');
  assert.equal(series.length, 1);
  const [v1] = series[0].versions;
  assert.equal(v1.cover?.subject, '[PATCH 0/3] mm: things');
  assert.deepEqual([v1.present, v1.total], [3, 3]);
  assert.deepEqual(v1.patches.map(reviewedBy), [[], ['Rev Iewer <rev@example.org>'], []]);
  assert.equal(v1.patches[1].trailers.find((t) => t.key === 'Reviewed-by')!.status, 'collected');
});

test('the text summary says where the cover letter is', async () => {
  const file = join(import.meta.dirname, '../../fixtures/corpus/threads/real-mm-drop-hugetlb-free-pgd-range.mbox');
  const text = summaryText(await readSeries([{ file, data: readFileSync(file) }]));
  assert.match(text, /^drop hugetlb_free_pgd_range\(\)\n {2}v1: 3 of 3 patches present\n {2}cover letter: \[PATCH 0\/3\] drop hugetlb_free_pgd_range\(\) \(.*real-mm-drop-hugetlb-free-pgd-range\.mbox:1\)\n/);
});

test('a series with no cover letter in the input says its title is its first patch\'s (real 001, 029, 031: v3 10, 11, 13 of 13)', async () => {
  const real = join(import.meta.dirname, '../../fixtures/corpus/real');
  const names = readdirSync(real).filter((n) => /^0(01|29|31)-/.test(n));
  const text = summaryText(await readSeries(names.map((n) => ({ file: n, data: readFileSync(join(real, n)) }))));
  assert.match(text, /^mm\/khugepaged: collapse_pte_mapped_thp\(\) with mmap_read_lock\(\)\n {2}v3: 3 of 13 patches present \(missing 1-9, 12\)\n {2}no cover letter here: named after its first patch present, \[10\/13\]\n/);
});

test('real 049 (v1 01/14) and 009 (v5 01/13): the same patch renamed between versions; one series, v1 and v5', async () => {
  const real = join(import.meta.dirname, '../../fixtures/corpus/real');
  const names = readdirSync(real).filter((n) => /^0(09|49)-/.test(n));
  const { series } = summaryJson(await readSeries(names.map((n) => ({ file: n, data: readFileSync(join(real, n)) }))));
  assert.equal(series.length, 1);
  assert.deepEqual(series[0].versions.map((v) => [v.version, v.total, v.patches[0].title]), [
    [1, 14, 'mm: pgtable: introduce pte_offset_map_{readonly|maywrite}_nolock()'],
    [5, 13, 'mm: pgtable: introduce pte_offset_map_{ro|rw}_nolock()'],
  ]);
  assert.equal(series[0].patches[0].changeSincePrevious, 'code');
  // The rest of the corpus keeps its own series: 43 files, 28 series.
  const all = readdirSync(real).map((n) => ({ file: n, data: readFileSync(join(real, n)) }));
  assert.equal(summaryJson(await readSeries(all)).series.length, 28);
});

test('[PATCH 1/2] threaded under [PATCH v3 0/2] (the v3 left out of the patches) is v3, with the cover reply\'s review', async () => {
  const { series } = await summarize('versionless-patches-under-v3-cover.mbox');
  assert.equal(series.length, 1);
  assert.deepEqual(series[0].versions.map((v) => [v.version, v.present, v.total]), [[3, 2, 2]]);
  assert.deepEqual(series[0].patches.map(reviewedBy), [['Rev Iewer <rev@example.org>'], ['Rev Iewer <rev@example.org>']]);
});

test('a changelog list ends at a shortlog header or a diffstat line, even without a blank line', async () => {
  const { readInput } = await import('../../../src/core/mail/index.js');
  const { findChangelogs } = await import('../../../src/core/series/index.js');
  const read = async (body: string) =>
    findChangelogs((await readInput('c.eml', `From: A <a@b.c>\nSubject: [PATCH v2 0/1] x\n\n${body}`)).messages).map((c) => c.lines);
  assert.deepEqual(await read('Changes since v1:\n- foo,\nSuren Baghdasaryan (7):\n  mm: a\n'), [['foo,']]);
  assert.deepEqual(await read('Changes since v1:\n- foo\n mm/a.c | 2 +-\n 1 file changed\n'), [['foo']]);
  assert.deepEqual(await read('Changes since v1:\n- foo bar\n  baz\n- qux,\nper Andrew\n'), [['foo bar baz', 'qux, per Andrew']]);
});

test('diff between real 049 (v1) and 009 (v5) names the old title of the renamed patch', async () => {
  const { main } = await import('../../../src/cli/main.js');
  const real = join(import.meta.dirname, '../../fixtures/corpus/real');
  const files = readdirSync(real).filter((n) => /^0(09|49)-/.test(n)).map((n) => join(real, n));
  let out = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (out += t), readFile: (p: string) => readFileSync(p), writeFile: () => {}, readStdin: () => new Uint8Array(0) };
  await main(['diff', ...files], io);
  assert.match(out, /\n {2}v1 -> v5\n {2}\[1\/13\] mm: pgtable: introduce pte_offset_map_\{ro\|rw\}_nolock\(\): code changed \(was "mm: pgtable: introduce pte_offset_map_\{readonly\|maywrite\}_nolock\(\)"\)\n/);
});

test('the same format-patch file given twice (no Message-ID) is one patch, not a resend of itself', async () => {
  const file = join(import.meta.dirname, '../../fixtures/corpus/real/081-mm-lock-newly-mapped-vma-with-corrected-ordering.patch');
  const data = readFileSync(file);
  const { series } = summaryJson(await readSeries([{ file, data }, { file, data }]));
  assert.equal(series.length, 1);
  assert.equal(series[0].patches.length, 1);
  assert.equal(series[0].patches[0].resent, undefined);
});

test('renamed and deleted files read as such in the text summary (counts as git apply --numstat)', async () => {
  const read = await readSeries([{ file: 'rename-and-delete.eml', data: readFileSync(join(qa, 'rename-and-delete.eml')) }]);
  const [patch] = summaryJson(read).series[0].patches;
  assert.deepEqual(patch.files.map((f) => [f.oldPath ?? null, f.path, f.added, f.deleted, f.status]), [
    ['mm/old.c', 'mm/new.c', 1, 1, 'renamed'],
    [null, 'mm/gone.c', 0, 1, 'deleted'],
  ]);
  const text = summaryText(read);
  assert.match(text, /\n {6}mm\/old\.c => mm\/new\.c {2}\+1 -1\n {6}mm\/gone\.c {2}\+0 -1 \(deleted\)\n/);
});

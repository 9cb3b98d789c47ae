import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSubject } from '../../../src/core/series/subject.js';

// Subjects as they appear on the lists (corpus/real and seeds), read as a reviewer reads them.
test('[RFC PATCH v4 02/09]: rfc, version, index and total', () => {
  const s = parseSubject('[RFC PATCH v4 02/09] mm: add atomic VMA flags');
  assert.deepEqual(
    [s.isPatch, s.rfc, s.version, s.index, s.total, s.title, s.isReply],
    [true, true, 4, 2, 9, 'mm: add atomic VMA flags', false],
  );
});

test('[PATCH mm-unstable v4 02/10]: the tree name is a tag', () => {
  const s = parseSubject('[PATCH mm-unstable v4 02/10] mm: x');
  assert.deepEqual([s.version, s.index, s.total, s.tags], [4, 2, 10, ['mm-unstable']]);
});

test('[PATCH v6,19/24]: comma-separated words', () => {
  const s = parseSubject('[PATCH v6,19/24] mm: y');
  assert.deepEqual([s.version, s.index, s.total, s.title], [6, 19, 24, 'mm: y']);
});

test('[PATCH] and a bare subject: version 1, no counter', () => {
  const s = parseSubject('[PATCH] mm: lock newly mapped VMA with corrected ordering');
  assert.deepEqual([s.isPatch, s.version, s.index, s.total], [true, 1, null, null]);
  const bare = parseSubject('mm: nothing in brackets');
  assert.deepEqual([bare.isPatch, bare.title], [false, 'mm: nothing in brackets']);
});

test('RESEND, PATCHv3 glued, [RFC][PATCH 1/2] split brackets', () => {
  assert.equal(parseSubject('[PATCH RESEND v2 1/3] a: b').resend, true);
  assert.equal(parseSubject('[PATCHv3 0/5] a: b').version, 3);
  const split = parseSubject('[RFC][PATCH 1/2] a: b');
  assert.deepEqual([split.rfc, split.index, split.total, split.title], [true, 1, 2, 'a: b']);
});

test('replies: Re:, RE:, 答复:, and a [BUG] tag before Re:', () => {
  const re = parseSubject('Re: [PATCH v4 00/10] mm: add and use vma_assert_stabilised() helper');
  assert.deepEqual([re.isReply, re.index, re.version, re.title], [true, 0, 4, 'mm: add and use vma_assert_stabilised() helper']);
  assert.equal(parseSubject('RE: Re: [PATCH] x: y').isReply, true);
  const cn = parseSubject('答复: [PATCH] symbol : Make the size of the compile-related array fixed');
  assert.deepEqual([cn.isReply, cn.title], [true, 'symbol : Make the size of the compile-related array fixed']);
  const bug = parseSubject('[BUG] Re: [PATCH v3 10/13] mm/khugepaged: collapse_pte_mapped_thp()  with mmap_read_lock()');
  assert.deepEqual(
    [bug.isReply, bug.version, bug.index, bug.title, bug.tags],
    [true, 3, 10, 'mm/khugepaged: collapse_pte_mapped_thp() with mmap_read_lock()', ['BUG']],
  );
});

test('a 100,000-character subject is read in bounded time', () => {
  const s = parseSubject('[' + 'x'.repeat(100_000) + '] ' + 'Re: '.repeat(10_000) + 'title');
  assert.equal(typeof s.title, 'string');
});

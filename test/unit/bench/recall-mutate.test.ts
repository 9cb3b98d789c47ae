/**
 * The recall benchmark's mutator and hit rule.  Every operator must plant
 * its bug as a patch git still reads (`git apply --numstat`, the oracle),
 * changed where the mutant says; and a bug counts as found only for an
 * expected rule, at warning or error, within 6 lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidates, mutants, mutationSources, seeded } from '../../../bench/recall/mutate.js';
import { OPERATORS, invertIMmapOrder, neutralStatement } from '../../../bench/recall/operators.js';
import { numstat } from '../../../bench/recall/gitapply.js';
import { applyEdit, readPatchText } from '../../../bench/recall/patchlines.js';
import { findingKey, hitOf, missReason, newFindings } from '../../../bench/recall/score.js';
import { contractsOption } from '../../../bench/recall/check.js';
import type { Finding } from '../../../src/core/findings.js';

/** Lines of the mutant outside the common head and tail it shares with the source (hunk headers aside). */
function changedWindow(source: string, mutant: string): [number, number] {
  const norm = (l: string) => (l.startsWith('@@ ') ? '@@' : l);
  const a = source.split('\n').map(norm);
  const b = mutant.split('\n').map(norm);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return [head + 1, b.length - tail];
}

const sources = await mutationSources();

for (const op of [...OPERATORS, neutralStatement]) {
  test(`operator "${op.id}": git reads each mutant, which differs from its source where it says`, () => {
    const found = candidates(op, sources, seeded(7));
    assert.ok(found.length >= 3, `${op.id}: sites in the real corpus (found ${found.length})`);
    // Spread over the corpus: the first, middle and last sites.
    for (const m of [found[0]!, found[Math.floor(found.length / 2)]!, found[found.length - 1]!]) {
      const source = sources.find((s) => s.name === m.source)!.text;
      assert.notEqual(m.text, source);
      assert.ok(numstat(source), `${m.source}: git reads the source`);
      const rows = numstat(m.text);
      assert.ok(rows, `${m.name} (${m.what}): git apply --numstat accepts the mutant`);
      assert.equal(rows.length, numstat(source)!.length, 'the same files');
      const [from, to] = changedWindow(source, m.text);
      assert.ok(m.touched.length > 0, 'the mutant names the lines it touched');
      for (const t of m.touched) {
        // A deletion names the lines on either side of where the line was.
        assert.ok(t >= from - 1 && t <= to + 1, `${m.name}: touched line ${t} inside the changed lines ${from}..${to}`);
      }
      const lines = m.text.split('\n');
      const p = readPatchText(m.text);
      assert.ok(m.touched.some((t) => p.kind[t - 1] === '+' || p.kind[t - 1] === ' ' || p.kind[t - 1] === '-'), 'touched lines are hunk lines');
      assert.equal(m.rules.length > 0, op !== neutralStatement, 'a bug names the rules it expects; the neutral control none');
      assert.ok(lines.length > 0);
    }
  });
}

test('sampling is deterministic: the same seed gives the same mutants, another seed others', async () => {
  const a = await mutants(11, 3);
  const b = await mutants(11, 3);
  const c = await mutants(12, 3);
  assert.deepEqual(a.mutants.map((m) => m.name + m.operator), b.mutants.map((m) => m.name + m.operator));
  assert.notDeepEqual(a.mutants.map((m) => m.name + m.operator + m.what), c.mutants.map((m) => m.name + m.operator + m.what));
  const perOp = new Map<string, number>();
  for (const m of a.mutants) perOp.set(m.operator, (perOp.get(m.operator) ?? 0) + 1);
  assert.ok([...perOp.values()].every((n) => n <= 3), 'the cap holds per operator');
});

const f = (rule: string, line: number, severity: Finding['severity'] = 'warning', uncertain?: string): Finding =>
  ({ rule, line, column: 1, severity, message: 'm', file: 'x', ...(uncertain ? { uncertain } : {}) });

test('a hit is an expected rule at warning or error within 6 lines', () => {
  const bug = { lines: [100], rules: ['LOCK-ORDER'] };
  assert.equal(hitOf([f('LOCK-ORDER', 106)], bug)?.line, 106);
  assert.equal(hitOf([f('LOCK-ORDER', 94, 'error')], bug)?.line, 94);
  assert.equal(hitOf([f('LOCK-ORDER', 107)], bug), null, '7 lines away');
  assert.equal(hitOf([f('LOCK-ORDER', 100, 'info')], bug), null, 'info does not count');
  assert.equal(hitOf([f('LOCK-REQUIRES', 100)], bug), null, 'another rule');
  assert.equal(hitOf([f('LOCK-ORDER', 120), f('LOCK-ORDER', 103)], { lines: [50, 100], rules: ['LOCK-ORDER'] })?.line, 103);
});

test('a miss gives the reason the analysis gave, else "no reason"', () => {
  const bug = { lines: [100], rules: ['LOCK-ORDER'] };
  assert.equal(missReason([], bug), 'no reason');
  assert.match(missReason([f('LOCK-ORDER', 101, 'info', 'the hunk does not show the function start')], bug), /LOCK-ORDER info 1 line away: the hunk does not show/);
  assert.match(missReason([f('LOCK-REQUIRES', 104, 'info', 'unknown callee')], bug), /LOCK-REQUIRES info: unknown callee/);
  assert.equal(missReason([f('LOCK-REQUIRES', 140, 'info', 'far')], bug), 'no reason');
  assert.match(missReason([f('LOCK-ORDER', 140, 'info', 'far away')], bug), /^no reason here; nearest LOCK-ORDER info 40 lines away: far away$/);
  assert.match(missReason([f('LOCK-ORDER', 105, 'info')], bug), /LOCK-ORDER info 5 lines away: no reason given/);
});

test('the with/without-contracts columns appear when ReviewOptions declares contracts?: boolean', () => {
  const opts = (body: string) => `export interface ReviewOptions {\n${body}\n}\n\nexport interface ReviewResult {\n  contracts?: boolean;\n}`;
  assert.equal(contractsOption(opts('  modelFile?: string;\n  /** Built-in lock contracts (default true). */\n  contracts?: boolean;')), true);
  assert.equal(contractsOption(opts('  modelFile?: string;')), false, 'another interface declaring it does not count');
});

test('a finding the source already had (same rule, line code, message) is not the mutant\'s', () => {
  const source = ['a', '\tspin_lock(ptl);', '\treturn 0;'].join('\n');
  const mutant = ['a', '\tspin_lock(ptl);', '\tcond_resched();', '\treturn 0;'].join('\n');
  const old = { ...f('LOCK-UNBALANCED', 3), message: 'returns holding ptl taken at line 2' };
  const keys = new Set([findingKey(old, source.split('\n'))]);
  const moved = { ...old, line: 4 };
  const planted = { ...f('LOCK-SLEEP-ATOMIC', 3), message: 'cond_resched() may sleep under ptl' };
  assert.deepEqual(newFindings([moved, planted], mutant, keys), [planted]);
});

test('a lock wrapped around vma_start_write() stays inside a braced else with a comment, and takes a brace-less if along', () => {
  const patch = [
    'diff --git a/mm/mmap.c b/mm/mmap.c',
    '--- a/mm/mmap.c',
    '+++ b/mm/mmap.c',
    '@@ -10,4 +10,7 @@ int f(void)',
    ' \t} else { /* merge_next */',
    '+\t\tvma_start_write(next);',
    ' \t\tres = next;',
    '+\tif (prev)',
    '+\t\tvma_start_write(prev);',
    ' \treturn 0;',
    ' }',
    '',
  ].join('\n');
  const p = readPatchText(patch);
  const sites = invertIMmapOrder.sites(p, () => 0);
  assert.equal(sites.length, 2);
  const texts = sites.map((s) => applyEdit(p, s.edit).text.split('\n'));
  assert.deepEqual(texts[0]!.slice(4, 8), [
    ' \t} else { /* merge_next */',
    '+\t\ti_mmap_lock_write(next->vm_file->f_mapping);',
    '+\t\tvma_start_write(next);',
    '+\t\ti_mmap_unlock_write(next->vm_file->f_mapping);',
  ]);
  assert.deepEqual(texts[1]!.slice(7, 11), [
    '+\ti_mmap_lock_write(prev->vm_file->f_mapping);',
    '+\tif (prev)',
    '+\t\tvma_start_write(prev);',
    '+\ti_mmap_unlock_write(prev->vm_file->f_mapping);',
  ]);
  for (const t of texts) assert.ok(numstat(t.join('\n')), 'git reads it');
  assert.equal(texts[0]![3], '@@ -10,4 +10,9 @@ int f(void)', 'the hunk recounted');
});

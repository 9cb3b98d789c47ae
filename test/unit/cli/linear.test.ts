/**
 * Issue 13's hangs, each run once at a size where it took tens of seconds
 * (or overflowed the stack) before: each test must complete inside the
 * runner's timeout, which is the guard (no timing is asserted here; the
 * figures come from `npm run bench:linear`).  Each also checks what the user
 * sees on that input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';
import { LINEAR_CASES, bigHunk, deepBraces } from '../../../bench/linear-inputs.js';

/** 100k characters: 20-60 s per case before the fix. */
const HUNG_AT = 100_000;
const GUARD = { timeout: 20_000 };

async function run(argv: string[], text: string): Promise<{ code: number; out: string; err: string }> {
  const data = Buffer.from(text);
  const io = memoryIO(() => data);
  const code = await main([...argv, 'hostile.mbox'], io);
  return { code, out: io.stdout, err: io.stderr };
}

for (const c of LINEAR_CASES) {
  test(`linear: ${c.name} (${c.hotSpot}) completes at ${HUNG_AT / 1000}k characters`, GUARD, async () => {
    const { code, out } = await run(c.argv, c.make(HUNG_AT));
    assert.ok(code === 0 || code === 1, `exit ${code}`);
    JSON.parse(out); // every case asks for JSON: whole and parsable
  });
}

test('linear: the stat entries of a cover letter are still read after a long line', GUARD, async () => {
  const head = 'From: A U Thor <author@example.org>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: [PATCH 0/2] mm: cover\n\n';
  const text = `${head}${'a'.repeat(HUNG_AT)}\n\nA U Thor (2):\n  mm: one\n  mm: two\n\n mm/vma.c | 12 +++++++-----\n 1 file changed, 7 insertions(+), 5 deletions(-)\n`;
  const { out } = await run(['summarize', '--json'], text);
  const cover = (JSON.parse(out) as { series: { coverStat?: unknown }[] }).series[0];
  assert.match(JSON.stringify(cover), /mm\/vma\.c/);
});

test('linear: a 5 MB single hunk is read, and said to be past the 4 MB bound at its diff line, not analysed for a minute', GUARD, async () => {
  const text = bigHunk(5_000_000);
  const { code, out } = await run(['check', '--format', 'json'], text);
  assert.equal(code, 0);
  const problems = (JSON.parse(out) as { problems: { kind: string; line: number; message: string }[] }).problems;
  const diffLine = text.split('\n').findIndex((l) => l.startsWith('diff --git')) + 1;
  assert.deepEqual(problems.map((p) => [p.kind, p.line]), [['c-too-large', diffLine]]);
  assert.match(problems[0]!.message, /5\.0 MB, past the 4 MB the checks analyse: not checked/);
});

test('linear: C nested 2,000 braces deep is reported at the line where it passes the bound (no stack overflow)', GUARD, async () => {
  const text = deepBraces(2000);
  const { out } = await run(['check', '--format', 'json'], text);
  const problems = (JSON.parse(out) as { problems: { kind: string; line: number; message: string }[] }).problems;
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.kind, 'c-too-deep');
  assert.doesNotMatch(problems[0]!.message, /call stack/);
  const line = text.split('\n')[problems[0]!.line - 1]!;
  assert.match(line, /^\+\t*if \(a\) \{$/, 'the reported line is one of the nested blocks');
  assert.ok(problems[0]!.line > 200, `at the depth of the bound, not the diff start (line ${problems[0]!.line})`);
});

test('linear: 250 nested blocks are still analysed: the lock call inside is seen', GUARD, async () => {
  const { out } = await run(['facts', '--json'], deepBraces(200));
  assert.match(out, /mmap_read_lock/);
  assert.doesNotMatch(out, /not analysed/);
});

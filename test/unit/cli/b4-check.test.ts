/**
 * b4 review's check protocol, driven as b4 drives it: b4 writes one message
 * (RFC 2822 bytes) to the command's stdin, sets B4_TRACKING_FILE to a JSON
 * file, and reads a JSON array of {tool, status, summary, url?, details?}
 * from stdout; `[]` means nothing to report.  (b4's review checks module,
 * `_run_external_cmd`: stdout is parsed whenever it is not empty; an entry
 * whose status is not pass/warn/fail counts as fail.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
const RUNNER = join(root, 'test/unit/cli/patchlens.ts');
const tracking = join(mkdtempSync(join(tmpdir(), 'b4-tracking-')), 'b4-tracking.json');
writeFileSync(tracking, JSON.stringify({ series: { revision: 1, 'change-id': '20260101-test', 'branch-tips': [] } }, null, 2));

/** What b4 does with one check command: run it, message on stdin, then read stdout. */
function runAsB4(message: Buffer): { status: number | null; results: { tool: string; status: string; summary?: string; url?: string; details?: string }[]; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, 'check', '--format', 'b4'], {
    input: message,
    env: { ...process.env, B4_TRACKING_FILE: tracking },
    cwd: root,
    encoding: 'buffer',
  });
  const out = r.stdout.toString('utf8');
  assert.ok(out.trim(), `b4 needs JSON on stdout (stderr: ${r.stderr})`);
  const results = JSON.parse(out) as ReturnType<typeof runAsB4>['results'];
  assert.ok(Array.isArray(results));
  for (const e of results) {
    assert.equal(typeof e.tool, 'string');
    assert.ok(['pass', 'warn', 'fail'].includes(e.status), e.status);
    for (const k of Object.keys(e)) assert.ok(['tool', 'status', 'summary', 'url', 'details'].includes(k), k);
  }
  return { status: r.status, results, stderr: r.stderr.toString('utf8') };
}

test('b4 per-patch check: a patch that inverts the lock order is a fail naming the kernel line', () => {
  const r = runAsB4(readFileSync(join(root, 'test/fixtures/checks/lock-order-081-reversed.patch')));
  assert.equal(r.status, 0);
  assert.equal(r.results.length, 1);
  assert.equal(r.results[0]!.tool, 'patchlens');
  assert.equal(r.results[0]!.status, 'fail');
  assert.match(r.results[0]!.summary!, /VMA locking: 1 error/);
  assert.match(r.results[0]!.details!, /mm\/mmap\.c:2808: error LOCK-ORDER/);
});

test('b4 per-patch check: a clean patch, and a cover letter (the series check), report nothing: []', () => {
  const clean = runAsB4(readFileSync(join(root, 'test/fixtures/corpus/real/081-mm-lock-newly-mapped-vma-with-corrected-ordering.patch')));
  assert.deepEqual([clean.status, clean.results], [0, []]);
  const cover = Buffer.from('From: A U Thor <a@example.org>\nSubject: [PATCH 0/2] mm: a series\nMessage-ID: <cover@example.org>\n\nTwo patches.\n\nA U Thor (2):\n  mm: one\n  mm: two\n\n mm/vma.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n');
  assert.deepEqual(runAsB4(cover).results, []);
});

test('b4 check: an empty message is a fail, never a clean bill', () => {
  const r = runAsB4(Buffer.alloc(0));
  assert.equal(r.status, 2);
  assert.deepEqual(r.results.map((e) => [e.tool, e.status]), [['patchlens', 'fail']]);
  assert.match(r.results[0]!.summary!, /no mail to check in <stdin>/);
});

test('check --format b4 FILE reads FILE, not stdin', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, 'check', '--format', 'b4', join(root, 'test/fixtures/checks/lock-order-081-reversed.patch')], {
    input: '',
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { status: string }[])[0]!.status, 'fail');
});

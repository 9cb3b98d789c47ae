/**
 * `patchlens summarize` as a user runs it: the bundled example with no FILE,
 * the JSON keys the issue names, and exit status 2 with a one-line error
 * naming an unreadable file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/io.js';

const root = join(import.meta.dirname, '../../..');

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    readFile: (p) => readFileSync(p),
    writeFile: () => {
      throw new Error('summarize writes nothing');
    },
    readStdin: () => new Uint8Array(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

test('with no FILE, the bundled example series is summarized', async () => {
  const { io, out } = fakeIO();
  assert.equal(await main(['summarize'], io), 0);
  const text = out();
  assert.match(text, /^mm: add atomic VMA flags and set VM_MAYBE_GUARD as such$/m);
  assert.match(text, /v4: 1 of 9 patches present \(missing 1, 3-9\)/);
  assert.match(text, /Reviewed-by: Lance Yang <lance\.yang@linux\.dev>\s+\(reply on v4, .*v4-2of9-lore-page-with-replies\.txt:\d+\)/);
  assert.match(text, /backport of 5dba5cc2e0ffa76f2f6c8922a04469dc9602c396/);
  assert.match(text, /stable-backport-v1-1of9-line-breaks-lost\.mbox:1:\d+: the diff could not be read/);
});

test('--json carries the keys the issue names', async () => {
  const { io, out } = fakeIO();
  const file = join(root, 'test/fixtures/corpus/real/081-mm-lock-newly-mapped-vma-with-corrected-ordering.patch');
  assert.equal(await main(['summarize', '--json', file], io), 0);
  const json = JSON.parse(out());
  const [series] = json.series;
  assert.deepEqual([series.title, series.version, series.total], ['mm: lock newly mapped VMA with corrected ordering', 1, 14]);
  const [patch] = series.patches;
  assert.equal(patch.index, 14);
  assert.equal(patch.subject, '[PATCH 14/14] mm: lock newly mapped VMA with corrected ordering');
  assert.deepEqual(patch.author, { name: 'Hugh Dickins', email: 'hughd@google.com' });
  assert.equal(patch.messageId, null, 'a format-patch file kept in a packager repo has no Message-ID');
  assert.deepEqual(patch.files.map((f: { path: string; added: number; deleted: number }) => [f.path, f.added, f.deleted]), [['mm/mmap.c', 2, 2]]);
  const tested = patch.trailers.find((t: { key: string }) => t.key === 'Tested-by');
  assert.ok(tested);
  assert.deepEqual([typeof tested.name, typeof tested.email, tested.origin, tested.version], ['string', 'string', 'patch', 1]);
  assert.deepEqual(json.problems, []);
});

test('--json: the Message-ID of a list mail', async () => {
  const { io, out } = fakeIO();
  const file = join(root, 'test/fixtures/corpus/real/001-mm-khugepaged-collapse-pte-mapped-thp-with-mmap-read-lock.patch');
  assert.equal(await main(['summarize', '--json', file], io), 0);
  const [patch] = JSON.parse(out()).series[0].patches;
  assert.equal(patch.messageId, 'b53be6a4-7715-51f9-aad-f1347dcb7c4@google.com');
  assert.deepEqual([patch.index, patch.version], [10, 3]);
});

test('an unreadable FILE: exit 2 and one line naming it', async () => {
  const { io, out, err } = fakeIO();
  assert.equal(await main(['summarize', '/nonexistent/x.mbox'], io), 2);
  assert.equal(out(), '');
  assert.equal(err(), 'patchlens summarize: cannot read /nonexistent/x.mbox: no such file\n');
});

test('bad usage: exit 2', async () => {
  const { io, err } = fakeIO();
  assert.equal(await main(['summarize', '--bogus'], io), 2);
  assert.match(err(), /unknown option --bogus/);
  assert.equal(await main(['frobnicate'], io), 2);
});

test('the installed bin runs the built CLI (what the README tells a new user to run)', { skip: !existsBuilt() && 'out/ not built' }, () => {
  const out = execFileSync(process.execPath, [join(root, 'bin/patchlens.js'), 'summarize', '--json'], { encoding: 'utf8' });
  assert.ok(JSON.parse(out).series.length >= 2);
  const bad = spawnSync(process.execPath, [join(root, 'bin/patchlens.js'), 'summarize', 'missing.patch'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});

function existsBuilt(): boolean {
  try {
    readFileSync(join(root, 'out/src/cli/main.js'));
    return true;
  } catch {
    return false;
  }
}

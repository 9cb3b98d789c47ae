import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/io.js';
import { fixtures } from './helpers.js';

function io(): CliIO & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(t: string) { o.stdout += t; },
    err(t: string) { o.stderr += t; },
    readFile: (p: string) => readFileSync(p),
    writeFile() {},
    readStdin: () => new Uint8Array(),
  };
  return o;
}

test('patchlens facts prints the functions, calls and defines of seed 000 at their input lines', async () => {
  const o = io();
  const seed = fixtures + 'seeds/000_dbfa3d816e84323d.txt';
  assert.equal(await main(['facts', seed], o), 0);
  assert.match(o.stdout, /post include\/linux\/mm\.h \+vma_flag_set_atomic\(\) \(new\) @57:21/);
  assert.match(o.stdout, /\n {6}\+vma_assert_locked\(vma\) @61:4\n/);
  assert.match(o.stdout, /define \+VM_ATOMIC_SET_ALLOWED VM_MAYBE_GUARD {2}include\/linux\/mm\.h @32:10/);
  assert.match(o.stdout, /parse: 2 C hunks, 0 with errors/);
});

test('patchlens facts --json on a quoted reply, and usage errors', async () => {
  const o = io();
  assert.equal(await main(['facts', '--json', fixtures + 'seeds/001_872d036f281e0629.txt'], o), 0);
  const out = JSON.parse(o.stdout) as { depth: number; facts: { functions: { name: string; image: string; calls: { name: string; pos: { line: number } }[] }[] } }[];
  const quoted = out.find((d) => d.depth === 2)!;
  const install = quoted.facts.functions.find((f) => f.image === 'post' && f.name === 'madvise_guard_install')!;
  assert.deepEqual(install.calls.map((c) => [c.name, c.pos.line]), [['vma_flag_set_atomic', 139], ['vma_is_anonymous', 148], ['anon_vma_prepare', 149]]);
  const bad = io();
  assert.equal(await main(['facts', '--bogus'], bad), 2);
  assert.match(bad.stderr, /unknown option --bogus/);
  const none = io();
  assert.equal(await main(['facts', fixtures + 'no-such-file'], none), 2);
});

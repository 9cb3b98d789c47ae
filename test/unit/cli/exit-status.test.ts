/**
 * README's "Exit status" table, walked through main() with a CliIO over the
 * real file system: every command on empty, binary, missing and directory
 * inputs, on good mail, from `-` and from implicit standard input.  Each bad
 * input is named on stderr; none exits 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/io.js';

const root = new URL('../../../', import.meta.url).pathname;
/** A clean real patch (no error finding) and a reply-free series for trailers/diff. */
const GOOD = join(root, 'test/fixtures/corpus/real/081-mm-lock-newly-mapped-vma-with-corrected-ordering.patch');
const dir = mkdtempSync(join(tmpdir(), 'patchlens-exit-'));
const EMPTY = join(dir, 'empty.mbox');
const BINARY = join(dir, 'a.out');
writeFileSync(EMPTY, '');
writeFileSync(BINARY, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0x0a, 0x41, 0]));
const MISSING = join(dir, 'missing.mbox');

function fakeIO(stdin: Uint8Array | null = null): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    readFile: (p: string) => readFileSync(p),
    writeFile: () => {},
    readStdin: () => stdin ?? new Uint8Array(),
    stdinIsTTY: stdin === null,
  };
  return io;
}

const COMMANDS: string[][] = [['summarize', '--json'], ['trailers', '--json'], ['diff', '--json'], ['check', '--format', 'json'], ['check', '--format', 'b4'], ['facts', '--json']];

/** The README table: input -> exit status, and what stderr must name. */
const TABLE: { input: string; path: string; status: number; stderr: RegExp }[] = [
  { input: 'good mail', path: GOOD, status: 0, stderr: /^$/ },
  { input: 'empty file', path: EMPTY, status: 2, stderr: /empty\.mbox: no mail in this file \(it is empty\)/ },
  { input: 'binary file', path: BINARY, status: 2, stderr: /a\.out:1:\d+: binary data, not mail/ },
  { input: 'missing file', path: MISSING, status: 2, stderr: /cannot read .*missing\.mbox: no such file/ },
  { input: 'directory', path: dir, status: 2, stderr: /cannot read .*: is a directory/ },
];

for (const command of COMMANDS) {
  for (const row of TABLE) {
    test(`exit status: ${command.join(' ')} on a ${row.input} -> ${row.status}`, async () => {
      const io = fakeIO();
      assert.equal(await main([...command, row.path], io), row.status, io.stderr);
      assert.match(io.stderr, row.stderr);
      if (row.status === 2 && row.stderr.source.includes('cannot read')) assert.equal(io.stdout, '', 'nothing could be read: nothing printed');
      // Whatever was printed is whole JSON, and names the bad input where it has a place for it.
      if (io.stdout) JSON.parse(io.stdout);
      if (row.path === EMPTY && command[0] !== 'facts' && command[0] !== 'diff') assert.match(io.stdout, /empty\.mbox/);
    });
  }
  test(`exit status: ${command.join(' ')} reads '-' and implicit standard input like a file`, async () => {
    const good = readFileSync(GOOD);
    const dash = fakeIO(good);
    assert.equal(await main([...command, '-'], dash), 0, dash.stderr);
    const implicit = fakeIO(good);
    assert.equal(await main(command, implicit), 0, implicit.stderr);
    assert.equal(implicit.stdout, dash.stdout);
    const empty = fakeIO(new Uint8Array());
    const status = await main(command, empty);
    if (command[0] === 'summarize') assert.equal(status, 0, 'summarize: the bundled examples when stdin is empty');
    else {
      assert.equal(status, 2, 'an empty standard input is no clean bill');
      assert.match(empty.stderr, /<stdin>: no mail in this file/);
    }
  });
}

test('exit status: check exits 1 when a finding reaches --fail-on, 0 with --fail-on never', async () => {
  const order = join(root, 'test/fixtures/checks/lock-order-081-reversed.patch');
  assert.equal(await main(['check', order], fakeIO()), 1);
  assert.equal(await main(['check', '--fail-on', 'never', order], fakeIO()), 0);
});

test('exit status: one bad input among good ones: the good ones are still printed, exit 2', async () => {
  const io = fakeIO();
  assert.equal(await main(['summarize', '--json', GOOD, MISSING], io), 2);
  assert.match(JSON.parse(io.stdout).series[0].title, /lock newly mapped VMA/i);
});

test('exit status: trailers --am on readable input without a patch names the file, exit 2', async () => {
  const reply = join(dir, 'reply.eml');
  writeFileSync(reply, 'From: R <r@example.org>\nSubject: Re: [PATCH] mm: x\n\nLooks good.\n\nReviewed-by: R <r@example.org>\n');
  const io = fakeIO();
  assert.equal(await main(['trailers', '--am', join(dir, 'out.mbx'), reply], io), 2);
  assert.match(io.stderr, /no patch in .*reply\.eml: nothing written to .*out\.mbx/);
});

test('exit status: bad usage names the option, exit 2; help and version exit 0', async () => {
  const bad = fakeIO();
  assert.equal(await main(['check', '--format', 'xml', GOOD], bad), 2);
  assert.match(bad.stderr, /--format must be one of text, json, sarif, b4 \(got 'xml'\)/);
  const unknown = fakeIO();
  assert.equal(await main(['trailers', '--bogus', GOOD], unknown), 2);
  assert.match(unknown.stderr, /patchlens trailers: unknown option --bogus/);
  const missingValue = fakeIO();
  assert.equal(await main(['trailers', GOOD, '--am'], missingValue), 2);
  assert.match(missingValue.stderr, /--am needs a value/);
  const tree = fakeIO();
  assert.equal(await main(['check', '--tree', MISSING, GOOD], tree), 2);
  assert.match(tree.stderr, /--tree .*missing\.mbox: no such directory/);
  assert.equal(await main(['frobnicate'], fakeIO()), 2);
  assert.equal(await main([], fakeIO()), 2);
});

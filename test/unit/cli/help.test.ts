/** `--version`, `help CMD` and `CMD --help`, as a new user would try them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../src/cli/main.js';
import { memoryIO as fakeIO } from '../../../src/cli/io.js';

test('patchlens --version prints the version and the tree-sitter binding in use', async () => {
  const io = fakeIO();
  assert.equal(await main(['--version'], io), 0);
  const { version } = (await import('../../../package.json', { with: { type: 'json' } })).default as { version: string };
  assert.match(io.stdout, new RegExp(`^patchlens ${version.replace(/\./g, '\\.')}\ntree-sitter: (native|wasm)`));
});

test('patchlens help check and patchlens check --help print the same generated help', async () => {
  const a = fakeIO();
  const b = fakeIO();
  assert.equal(await main(['help', 'check'], a), 0);
  assert.equal(await main(['check', '--help'], b), 0);
  assert.equal(a.stdout, b.stdout);
  for (const option of ['--format text|json|sarif|b4', '--fail-on error|warning|never', '--model FILE', '--tree DIR', '-h, --help']) {
    assert.ok(a.stdout.includes(option), option);
  }
  assert.match(a.stdout, /git config b4\.review-perpatch-check-cmd "patchlens check --format b4"/);
});

test('every command has a help listing its options; patchlens --help lists every command', async () => {
  const top = fakeIO();
  assert.equal(await main(['--help'], top), 0);
  const options: Record<string, string[]> = {
    summarize: ['--json'],
    trailers: ['--json', '--am OUT.mbx', '--order GLOBS', '-S, --sloppy', '--no-cover-trailers', '--add-link', '--accept-unconfirmed'],
    diff: ['--from vN', '--to vN', '--json'],
    check: ['--format'],
    facts: ['--json', '--tree DIR'],
  };
  for (const [command, expected] of Object.entries(options)) {
    assert.match(top.stdout, new RegExp(`\\n  ${command} +\\S`), command);
    const io = fakeIO();
    assert.equal(await main([command, '-h'], io), 0, command);
    assert.match(io.stdout, new RegExp(`^usage: patchlens ${command} `));
    for (const o of expected) assert.ok(io.stdout.includes(o), `${command} ${o}`);
  }
  const unknown = fakeIO();
  assert.equal(await main(['help', 'frobnicate'], unknown), 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

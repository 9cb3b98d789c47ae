/**
 * The tree-sitter fallback: with the native binding refused
 * (PATCHLENS_TREE_SITTER=wasm, as when it cannot load: old glibc, no
 * compiler, no prebuild), `check` parses C with web-tree-sitter and
 * tree-sitter-c's own wasm, and finds what the native binding finds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
const RUNNER = join(root, 'test/unit/cli/patchlens.ts');
const SEED003 = join(root, 'test/fixtures/seeds/003_6bc468803e1b8b4d.txt');

function cli(args: string[], binding: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATCHLENS_TREE_SITTER: binding },
  });
}

test('forced to wasm, check on seed 003 still gives STALE-COMMENT-IDENT at line 376', () => {
  const version = cli(['--version'], 'wasm');
  assert.match(version.stdout, /^tree-sitter: wasm/m);
  const wasm = cli(['check', '--format', 'json', SEED003], 'wasm');
  assert.ok(wasm.status === 0 || wasm.status === 1, wasm.stderr);
  const findings = (JSON.parse(wasm.stdout) as { findings: { rule: string; line: number }[] }).findings;
  assert.ok(findings.some((f) => f.rule === 'STALE-COMMENT-IDENT' && f.line === 376), JSON.stringify(findings));
  // The same findings as the native binding: the trees are the same grammar's.
  const native = cli(['check', '--format', 'json', SEED003], 'native');
  assert.deepEqual(JSON.parse(wasm.stdout), JSON.parse(native.stdout));
});

test('with the native binding unloadable (no env var), the CLI falls back to wasm by itself and says why', () => {
  const preload = join(root, 'test/unit/c/no-native-binding.cjs');
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--require', preload, '--import', 'tsx', RUNNER, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATCHLENS_TREE_SITTER: '' },
    });
  assert.match(run(['--version']).stdout, /^tree-sitter: wasm \(the native binding did not load: .*GLIBCXX_3\.4\.31/m);
  const check = run(['check', '--format', 'json', SEED003]);
  const findings = (JSON.parse(check.stdout) as { findings: { rule: string; line: number }[] }).findings;
  assert.ok(findings.some((f) => f.rule === 'STALE-COMMENT-IDENT' && f.line === 376), check.stderr);
});

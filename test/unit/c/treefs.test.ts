/**
 * Kernel-tree mode never opens a path outside the tree, whatever the diff
 * names (issue 13, point 2): every read goes through an injected file-system
 * layer that fails the test on a path outside the tree's real root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { extractPatchFacts, identityMap } from '../../../src/core/c/index.js';
import { nodeTreeFs, treeReader, unsafeTreePath, type TreeFs } from '../../../src/core/c/treefs.js';
import { review } from '../../../src/core/review.js';

const SRC = ['#include <../../outside/leak.h>', 'static int f(void)', '{', '\tint a = 1;', '\treturn a;', '}', ''].join('\n');

/** A tree with one real file, a symlink leaving it, and a secret beside it. */
function makeTree(): { root: string; tree: string; outside: string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'patchlens-treefs-')));
  const tree = join(root, 'linux');
  const outside = join(root, 'outside');
  mkdirSync(join(tree, 'mm'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(tree, 'mm', 'a.c'), SRC);
  writeFileSync(join(outside, 'secret.h'), SRC);
  writeFileSync(join(outside, 'leak.h'), '#define LEAK 1\n');
  symlinkSync(join(outside, 'secret.h'), join(tree, 'mm', 'link.h'));
  symlinkSync('../../outside', join(tree, 'mm', 'up'));
  return { root, tree, outside };
}

/** The default layer, watched: every file opened is recorded, and one outside the tree fails. */
function watchedFs(tree: string, opened: string[]): TreeFs {
  const inside = tree + sep;
  return {
    realpath: (p) => nodeTreeFs.realpath(p),
    readFile: (p) => {
      opened.push(p);
      const real = nodeTreeFs.realpath(p);
      assert.ok(real.startsWith(inside), `opened ${real}, outside the tree ${tree}`);
      return nodeTreeFs.readFile(p);
    },
  };
}

function hunkFor(oldPath: string): string {
  return [
    `diff --git a/${oldPath} b/${oldPath}`,
    `--- a/${oldPath}`,
    `+++ b/${oldPath}`,
    '@@ -3,3 +3,4 @@ static int f(void)',
    ' {',
    ' \tint a = 1;',
    '+\ta++;',
    ' \treturn a;',
  ].join('\n');
}

const HOSTILE = ['../outside/secret.h', 'mm/../../outside/secret.h', '/etc/hostname.h', 'mm/link.h', 'mm/up/secret.h'];

test('a path that is absolute or climbs with .. is refused from its text', () => {
  assert.equal(unsafeTreePath('mm/memory.c'), null);
  assert.match(unsafeTreePath('../outside/secret.h')!, /'\.\.'/);
  assert.match(unsafeTreePath('mm/../../x.h')!, /'\.\.'/);
  assert.match(unsafeTreePath('/etc/hostname.h')!, /absolute/);
  assert.equal(unsafeTreePath('mm/..foo.c'), null, 'a name that starts with dots is a name');
});

test('--tree never opens a file outside the tree: .., absolute paths and symlinks are refused and reported', () => {
  const { tree } = makeTree();
  const opened: string[] = [];
  const fs = watchedFs(tree, opened);
  const diff = [hunkFor('mm/a.c'), ...HOSTILE.map(hunkFor)].join('\n') + '\n';
  const facts = extractPatchFacts({ file: 'hostile.patch', diff, map: identityMap(200) }, { tree, treeFs: fs });
  // The honest file was read and patched (its include that climbs out was refused too).
  assert.ok(opened.some((p) => p.endsWith(join('mm', 'a.c'))));
  assert.ok(facts.functions.some((f) => f.name === 'f' && f.image === 'post' && f.hasStart));
  // Every hostile path is refused and said as a problem; none was opened.
  const said = (facts.problems ?? []).filter((p) => p.kind === 'tree-path').map((p) => p.message);
  for (const path of HOSTILE) {
    assert.ok(said.some((m) => m.includes(`'${path}'`)), `no problem names ${path}: ${said.join(' | ')}`);
  }
  assert.ok(said.some((m) => m.includes('include/../../outside/leak.h')), 'the include leaving the tree is refused');
  assert.ok(said.some((m) => /symlink leads out/.test(m)));
  const notApplied = (facts.notApplied ?? []).map((n) => n.reason);
  assert.ok(notApplied.some((r) => /mm\/link\.h was not read: a symlink leads out of the tree/.test(r)));
  assert.equal(opened.filter((p) => !realpathSync(p).startsWith(tree + sep)).length, 0);
});

test('the watching layer itself fails on an escape (the test can fail)', () => {
  const { tree, outside } = makeTree();
  const fs = watchedFs(tree, []);
  assert.throws(() => fs.readFile(join(outside, 'secret.h')), /outside the tree/);
  // And the reader stops before the layer is asked.
  const reader = treeReader(tree, fs);
  assert.equal(reader.read('mm/link.h'), null);
  assert.equal(reader.read('../outside/secret.h'), null);
  assert.equal(reader.refused.length, 2);
  assert.equal(reader.read('mm/a.c'), SRC);
});

test('review() with --tree reports refused paths as problems at the diff', async () => {
  const { tree } = makeTree();
  const mail = ['From: A <a@example.org>', 'Subject: [PATCH] mm: x', '', 'x', '---', hunkFor('../outside/secret.h'), ''].join('\n');
  const r = await review([{ file: 'x.patch', data: mail }], { kernelTree: tree });
  const p = r.problems.find((x) => x.kind === 'tree-path');
  assert.ok(p, 'a refused path is a problem');
  assert.match(p.message, /refused to read '\.\.\/outside\/secret\.h': path climbs out with '\.\.'/);
  assert.equal(p.file, 'x.patch');
});

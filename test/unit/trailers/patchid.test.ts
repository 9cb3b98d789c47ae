/**
 * patchId() against real `git patch-id --stable`, run in the test on the
 * diff git mailinfo cuts from every corpus/real mail and every patch of the
 * b4 thread fixtures, plus the properties reviewers rely on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patchId } from '../../../src/core/trailers/patchid.js';

const CORPUS = new URL('../../fixtures/corpus/', import.meta.url).pathname;
const gitEnv = { ...process.env, HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function gitPatchId(diff: string): string | null {
  const out = execFileSync('git', ['patch-id', '--stable'], { input: diff, env: gitEnv }).toString();
  return out.trim() ? out.split(/\s+/)[0] : null;
}

/** The `patch` files git mailinfo writes, one per message. */
function mailinfoPatches(path: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pl-patchid-'));
  try {
    writeFileSync(join(dir, 'in'), readFileSync(path).toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    execFileSync('git', ['mailsplit', '-b', '-o' + dir, join(dir, 'in')], { env: gitEnv, stdio: 'ignore' });
    return readdirSync(dir)
      .filter((f) => /^\d{4}$/.test(f))
      .sort()
      .map((p) => {
        execFileSync('git', ['mailinfo', join(dir, 'msg'), join(dir, 'patch')], {
          cwd: dir,
          env: gitEnv,
          input: readFileSync(join(dir, p)),
          stdio: ['pipe', 'ignore', 'ignore'],
        });
        return readFileSync(join(dir, 'patch'), 'utf8');
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('patchId equals git patch-id --stable on every real patch and b4 thread patch', () => {
  const inputs = [
    ...readdirSync(join(CORPUS, 'real')).map((f) => join(CORPUS, 'real', f)),
    ...readdirSync(join(CORPUS, 'threads')).map((f) => join(CORPUS, 'threads', f)),
  ];
  let compared = 0;
  let withId = 0;
  for (const file of inputs) {
    for (const diff of mailinfoPatches(file)) {
      const expected = gitPatchId(diff);
      assert.equal(patchId(diff), expected, file);
      compared++;
      if (expected) withId++;
    }
  }
  assert.ok(withId >= 60, `${withId} diffs with an id (${compared} compared)`);
});

test('the id ignores line numbers, whitespace and file order, but not content', () => {
  const fileA = 'diff --git a/a.c b/a.c\nindex 1111111..2222222 100644\n--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n ctx\n-old\n+new\n ctx\n';
  const fileB = 'diff --git a/b.c b/b.c\nindex 3333333..4444444 100644\n--- a/b.c\n+++ b/b.c\n@@ -10,2 +10,2 @@\n-x\n+y\n ctx\n';
  const id = patchId(fileA + fileB);
  assert.equal(id, gitPatchId(fileA + fileB));
  assert.equal(patchId(fileB + fileA), id, 'file order');
  assert.equal(patchId((fileA + fileB).replace('@@ -10,2 +10,2 @@', '@@ -99,2 +99,2 @@')), id, 'line numbers');
  assert.equal(patchId((fileA + fileB).replace('+new', '+  new')), id, 'whitespace');
  assert.notEqual(patchId((fileA + fileB).replace('+new', '+newer')), id, 'content');
  assert.equal(patchId('no diff here\n'), null);
});

/**
 * The am-ready output is what git am reads: `git mailsplit` + `git mailinfo`
 * on it give our commit message with the collected trailers (checked with
 * `git interpret-trailers --parse`), and the same diff (`git apply --numstat`)
 * as the original mail.  Needs git, which the oracles were made with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInput } from '../../../src/core/mail/index.js';
import { assembleSeries } from '../../../src/core/series/index.js';
import { collectTrailers } from '../../../src/core/trailers/collect.js';
import { amTrailerLines, writeAmMbox } from '../../../src/core/trailers/am.js';

const THREADS = new URL('../../fixtures/corpus/threads/', import.meta.url).pathname;
const env = { ...process.env, HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function gitRead(mbox: string): { msg: string; trailers: string[]; numstat: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'pl-am-'));
  try {
    writeFileSync(join(dir, 'in.mbx'), mbox);
    execFileSync('git', ['mailsplit', '-o' + dir, join(dir, 'in.mbx')], { env, stdio: 'ignore' });
    return readdirSync(dir)
      .filter((f) => /^\d{4}$/.test(f))
      .sort()
      .map((f) => {
        execFileSync('git', ['mailinfo', join(dir, 'msg'), join(dir, 'patch')], { cwd: dir, env, input: readFileSync(join(dir, f)), stdio: ['pipe', 'ignore', 'ignore'] });
        const msg = readFileSync(join(dir, 'msg'), 'utf8');
        const parsed = execFileSync('git', ['interpret-trailers', '--parse'], { cwd: dir, env, input: 'Title\n\n' + msg }).toString();
        let numstat = '';
        try {
          numstat = execFileSync('git', ['apply', '--numstat', join(dir, 'patch')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
        } catch {
          numstat = ''; // a reply: no diff
        }
        return { msg, trailers: parsed.split('\n').filter(Boolean), numstat };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const thread of ['real-mm-drop-hugetlb-free-pgd-range.mbox', 'real-mm-vm-flags-modifier-functions-v4.mbox', 'b4-trailers-followup-with-cover.mbox']) {
  test(`git reads the am output of ${thread}: same diff, our trailers`, async () => {
    const text = readFileSync(THREADS + thread);
    const { messages } = await readInput(thread, text);
    const series = assembleSeries(messages);
    const collected = collectTrailers(series, messages);
    const mbox = series.map((s) => writeAmMbox(collected, s)).join('');
    const ours = gitRead(mbox);
    const latest = series.flatMap((s) => s.versions.at(-1)!.patches);
    assert.equal(ours.length, latest.length);
    const original = gitRead(text.toString('utf8').replace(/^From mboxrd@z.*$/gm, 'From git@z Thu Jan  1 00:00:00 1970'));
    latest.forEach((patch, i) => {
      const entry = collected.of(patch)!;
      const expected = amTrailerLines(entry).map((l) => `${l.key}: ${l.value}`);
      assert.deepEqual(ours[i].trailers, expected, patch.subject.title);
      const orig = original.find((o) => o.numstat && o.numstat === ours[i].numstat);
      assert.ok(orig, `${patch.subject.title}: the diff git reads is the original one`);
    });
    // Reply tags reached the commit message.
    assert.ok(ours.some((o) => o.trailers.some((t) => !t.startsWith('Signed-off-by'))));
  });
}

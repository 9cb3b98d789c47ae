/**
 * The trailer-block parser against `git interpret-trailers --parse`, as
 * recorded in test/fixtures/corpus/oracle/*.json for every corpus/real and
 * corpus/formats file.  The commit message each oracle was computed from is
 * rebuilt here with `git mailsplit` + `git mailinfo` (same options as
 * make-oracles.sh), so this test checks the parser alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTrailerBlock, splitRunTogetherTrailers } from '../../../src/core/trailers/parse.js';
import { parseTrailerBlock, KERNEL_TRAILER_KEYS } from '../../../src/core/trailers/index.js';

const CORPUS = new URL('../../fixtures/corpus/', import.meta.url).pathname;
const gitEnv = { ...process.env, HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

/** The `msg` files git mailinfo writes for each message of an input file. */
function mailinfoMessages(path: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pl-trailers-'));
  try {
    let raw = readFileSync(path);
    // make-oracles.sh strips the CR of CRLF as git am does.
    raw = Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    writeFileSync(join(dir, 'in'), raw);
    const args = ['mailsplit', '-b', '-o' + dir];
    if (path.endsWith('.mboxrd')) args.push('--mboxrd');
    args.push(join(dir, 'in'));
    execFileSync('git', args, { cwd: dir, env: gitEnv });
    const parts = readdirSync(dir).filter((f) => /^\d{4}$/.test(f)).sort();
    return parts.map((p) => {
      execFileSync('git', ['mailinfo', join(dir, 'msg'), join(dir, 'patch')], {
        cwd: dir,
        env: gitEnv,
        input: readFileSync(join(dir, p)),
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      return readFileSync(join(dir, 'msg'), 'utf8');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface OracleTrailer { key: string; value: string }

const files = [
  ...readdirSync(join(CORPUS, 'real')).map((f) => `real/${f}`),
  ...readdirSync(join(CORPUS, 'formats')).map((f) => `formats/${f}`),
];

test('trailers agree with git interpret-trailers --parse on every corpus/real and corpus/formats file', () => {
  let messages = 0;
  let trailers = 0;
  for (const file of files) {
    const base = file.split('/')[1];
    const oracle = JSON.parse(readFileSync(join(CORPUS, 'oracle', base + '.json'), 'utf8'));
    const expected: OracleTrailer[][] = oracle.messages
      ? oracle.messages.map((m: { trailers: OracleTrailer[] }) => m.trailers)
      : [oracle.trailers];
    const msgs = mailinfoMessages(join(CORPUS, file));
    assert.equal(msgs.length, expected.length, `${file}: message count`);
    msgs.forEach((msg, i) => {
      const lines = msg.replace(/\n$/, '').split('\n');
      const got = findTrailerBlock(lines).trailers.map((t) => ({ key: t.key, value: t.value }));
      assert.deepEqual(got, expected[i], `${file} message ${i}`);
      messages++;
      trailers += got.length;
    });
  }
  assert.ok(messages >= 90, `checked ${messages} messages`);
  assert.ok(trailers >= 250, `checked ${trailers} trailers`);
});

test('only the last paragraph counts: a Link: inside prose is not a trailer (real/073)', () => {
  const msg = mailinfoMessages(join(CORPUS, 'real', readdirSync(join(CORPUS, 'real')).find((f) => f.startsWith('073'))!))[0];
  const keys = findTrailerBlock(msg.split('\n')).trailers.map((t) => t.key);
  assert.ok(msg.includes('Link:'));
  assert.deepEqual(keys.filter((k) => k === 'Link').length, 0);
});

test('continuation lines are unfolded and the block stops at ---', () => {
  const text = [
    'Body paragraph.',
    '',
    'Fixes: 1234567890ab ("mm: a very long subject that',
    '  wraps")',
    'Signed-off-by: A U Thor <author@example.com>',
    '---',
    'Reviewed-by: Not A Trailer <x@example.com>',
  ].join('\n');
  const got = parseTrailerBlock(text, { file: 'x.patch' });
  assert.deepEqual(
    got.map((t) => [t.trailer.key, t.trailer.value, t.bodyLine]),
    [
      ['Fixes', '1234567890ab ("mm: a very long subject that wraps")', 2],
      ['Signed-off-by', 'A U Thor <author@example.com>', 4],
    ],
  );
  assert.equal(got[1].trailer.email, 'author@example.com');
  assert.equal(got[1].trailer.pos.line, 5);
});

test('a block of 25% trailers counts only with a Signed-off-by in it', () => {
  const prose = ['Title', '', 'some text', 'more text', 'Signed-off-by: A <a@b.c>'].join('\n');
  assert.equal(parseTrailerBlock(prose, { file: 'x' }).length, 1);
  const noSob = ['Title', '', 'some text', 'more text', 'Reviewed-by: A <a@b.c>'].join('\n');
  assert.equal(parseTrailerBlock(noSob, { file: 'x' }).length, 0);
});

test('run-together trailers of a mail whose line breaks were lost (seed 002) split at known keys', () => {
  const seed = readFileSync(new URL('../../fixtures/seeds/002_2d6408fa18c60d10.txt', import.meta.url), 'utf8');
  const from = seed.indexOf('Signed-off-by: Lorenzo Stoakes');
  const to = seed.indexOf(' --- ', from);
  const got = splitRunTogetherTrailers(seed.slice(from, to), KERNEL_TRAILER_KEYS);
  const sobs = got.filter((t) => t.key === 'Signed-off-by').map((t) => t.value);
  assert.equal(sobs[0], 'Lorenzo Stoakes');
  assert.deepEqual(sobs.slice(-2), ['Andrew Morton', 'Ahmed Elaidy']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diffStat, readDiff, readDiffCounts } from '../../../src/core/diff/index.js';
import { diffLines } from '../../../src/core/diff/read.js';
import { SplitLines } from '../../../src/core/mail/lines.js';
import { readPatch } from '../../../src/core/series/patch.js';
import type { MailMessage } from '../../../src/core/types.js';

const corpus = fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url));

/** The diff of a plain (8bit) patch mail: everything from the first `diff --git` line. */
function diffOf(text: string): string {
  const at = text.search(/^diff --git /m);
  return at < 0 ? '' : text.slice(at);
}

test('diffStat matches git apply --numstat on every real/ patch', () => {
  const names = readdirSync(corpus + 'real').filter((f) => f.endsWith('.patch'));
  assert.ok(names.length >= 40);
  for (const name of names) {
    const oracle = JSON.parse(readFileSync(corpus + 'oracle/' + name + '.json', 'utf8'));
    const got = diffStat(diffOf(readFileSync(corpus + 'real/' + name, 'utf8')));
    assert.deepEqual(
      got.map(({ path, added, deleted }) => ({ path, added, deleted })),
      oracle.files,
      name,
    );
  }
});

test('diffStat on format-patch files with CRLF and a reply with a fixlet', () => {
  for (const name of ['crlf-maple-tree-mas-empty-area.patch', 'reply-with-fixlet-mglru-no-mbox-from.patch']) {
    const text = readFileSync(corpus + 'formats/' + name, 'utf8').replace(/\r\n/g, '\n');
    const oracle = JSON.parse(readFileSync(corpus + 'oracle/' + name + '.json', 'utf8'));
    const got = diffStat(diffOf(text));
    assert.deepEqual(got.map(({ path, added, deleted }) => ({ path, added, deleted })), oracle.files, name);
  }
});

test('renames, copies, new and deleted files, mode changes and binary patches', () => {
  const diff = [
    'diff --git a/mm/old.c b/mm/new.c',
    'similarity index 90%',
    'rename from mm/old.c',
    'rename to mm/new.c',
    'index 1111111..2222222 100644',
    '--- a/mm/old.c',
    '+++ b/mm/new.c',
    '@@ -1,3 +1,3 @@',
    ' a',
    '-b',
    '+c',
    ' d',
    'diff --git a/mm/x.c b/mm/y.c',
    'similarity index 100%',
    'copy from mm/x.c',
    'copy to mm/y.c',
    'diff --git a/mm/added.c b/mm/added.c',
    'new file mode 100644',
    'index 0000000..3333333',
    '--- /dev/null',
    '+++ b/mm/added.c',
    '@@ -0,0 +1,2 @@',
    '+one',
    '+two',
    'diff --git a/mm/gone.c b/mm/gone.c',
    'deleted file mode 100644',
    'index 4444444..0000000',
    '--- a/mm/gone.c',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-only',
    'diff --git a/scripts/run.sh b/scripts/run.sh',
    'old mode 100644',
    'new mode 100755',
    'diff --git a/logo.png b/logo.png',
    'index 5555555..6666666 100644',
    'GIT binary patch',
    'literal 5',
    'McmZ?wbhEHbZ',
    '',
    'literal 3',
    'KcmZ?wbhE',
    '',
    'diff --git a/doc.pdf b/doc.pdf',
    'index 7777777..8888888 100644',
    'Binary files a/doc.pdf and b/doc.pdf differ',
    '-- ',
    '2.43.0',
    '',
  ].join('\n');
  assert.deepEqual(diffStat(diff), [
    { path: 'mm/new.c', oldPath: 'mm/old.c', added: 1, deleted: 1, status: 'renamed' },
    { path: 'mm/y.c', oldPath: 'mm/x.c', added: 0, deleted: 0, status: 'copied' },
    { path: 'mm/added.c', added: 2, deleted: 0, status: 'added' },
    { path: 'mm/gone.c', added: 0, deleted: 1, status: 'deleted' },
    { path: 'scripts/run.sh', added: 0, deleted: 0, status: 'modified' },
    { path: 'logo.png', added: null, deleted: null, status: 'binary' },
    { path: 'doc.pdf', added: null, deleted: null, status: 'binary' },
  ]);
  const modes = readDiff(diff).files[4]!;
  assert.equal(modes.oldMode, '100644');
  assert.equal(modes.newMode, '100755');
});

test('no-newline markers, signature lines and a hunk that contains "--" lines', () => {
  const diff = [
    'diff --git a/f.c b/f.c',
    '--- a/f.c',
    '+++ b/f.c',
    '@@ -1,3 +1,3 @@',
    ' x',
    '--- removed line that starts with two dashes',
    '+++ added line that starts with two pluses',
    '-last',
    '\\ No newline at end of file',
    '+last;',
    '\\ No newline at end of file',
    '-- ',
    '2.51.2',
    '',
  ].join('\n');
  const [f] = readDiff(diff).files;
  assert.equal(f!.added, 2);
  assert.equal(f!.deleted, 2);
  const lines = f!.hunks[0]!.lines;
  assert.equal(lines.length, 5);
  assert.equal(lines[3]!.noEol, true);
  assert.equal(lines[4]!.noEol, true);
  assert.equal(lines[4]!.text, 'last;');
  assert.equal(lines[4]!.diffLine, 9);
  assert.equal(lines[4]!.newLine, 3);
});

test('wrong hunk counts: cut short, and lines past the counts', () => {
  const short = ['--- a/mm/a.c', '+++ b/mm/a.c', '@@ -10,6 +10,7 @@ int f(void)', ' a', '+b', ' c', 'diff --git a/mm/b.c b/mm/b.c', '--- a/mm/b.c', '+++ b/mm/b.c', '@@ -1,1 +1,1 @@', '-x', '+y', '+z', ''].join('\n');
  const r = readDiff(short);
  assert.equal(r.files.length, 2);
  assert.match(r.files[0]!.hunks[0]!.damaged!, /short/);
  assert.equal(r.files[0]!.hunks[0]!.context, 'int f(void)');
  // git would not count `+z` (past the counts); the hunk keeps it for the images.
  assert.equal(r.files[1]!.added, 1);
  const last = r.files[1]!.hunks[0]!.lines.at(-1)!;
  assert.equal(last.text, 'z');
  assert.equal(last.beyondCount, true);
  assert.deepEqual(r.problems.map((p) => [p.kind, p.line]), [['hunk-count', 6], ['hunk-count', 12]]);
});

test('a wrapped @@ line from a quoted reply and a hunk with no file header', () => {
  const diff = ['@@ -1778,15 +1801,16 @@ static void retract_page_tables(struct ', 'address_space *mapping, pgoff_t pgoff)', '         spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);', '', '-        x = 1;', '+        x = 2;', ''].join('\n');
  const r = readDiff(diff);
  assert.equal(r.files.length, 1);
  assert.equal(r.files[0]!.newPath, null);
  assert.equal(r.files[0]!.hunks[0]!.context, 'static void retract_page_tables(struct address_space *mapping, pgoff_t pgoff)');
  assert.deepEqual(r.problems.map((p) => p.kind), ['hunk-without-header', 'wrapped-hunk-header', 'hunk-count']);
  assert.deepEqual(diffStat(diff), []);
});

test('interdiff names (--- a/foo.h~b / +++ a/foo.h) and quoted paths', () => {
  const seed = readFileSync(fileURLToPath(new URL('../../fixtures/seeds/003_6bc468803e1b8b4d.txt', import.meta.url)), 'utf8');
  const at = seed.indexOf('--- a/include/linux/mmap_lock.h~b');
  const st = diffStat(seed.slice(at));
  assert.deepEqual(st.map((s) => s.path), ['include/linux/mmap_lock.h', 'include/linux/mm_types.h', 'mm/mmap_lock.c']);
  assert.ok(st.every((s) => s.status === 'modified'));
  const q = diffStat(['diff --git "a/dir/sp ace\\303\\251.c" "b/dir/sp ace\\303\\251.c"', '--- "a/dir/sp ace\\303\\251.c"', '+++ "b/dir/sp ace\\303\\251.c"', '@@ -1 +1 @@', '-a', '+b', ''].join('\n'));
  assert.deepEqual(q, [{ path: 'dir/sp aceé.c', added: 1, deleted: 1, status: 'modified' }]);
});

// No timing asserted (figures come from `npm run bench:linear`): the runner's timeout is the guard.
test('a 200,000-character line and 100,000 hunks stay fast', { timeout: 20_000 }, () => {
  const long = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-' + 'a'.repeat(200_000) + '\n+' + ' b/'.repeat(60_000) + '\n';
  const many = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n' + '@@ -1 +1 @@\n-a\n+b\n'.repeat(100_000);
  assert.equal(diffStat(long)[0]!.added, 1);
  assert.equal(diffStat(many)[0]!.added, 100_000);
});

/** Diffs a reader of mail meets: cut short, past the counts, wrapped, CRLF, no newline, binary, bare hunks. */
const DAMAGED = [
  'diff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,3 +1,4 @@\n ctx\n+add\n',
  'diff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,1 +1,1 @@\n-old\n+new\n+more\n-less\n@@ -9,1 +9,1 @@\n-x\n+y\n',
  '--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,2 +1,2 @@ static int\nfoo(void)\n-a\n+b\n ctx\n\\ No newline at end of file\n',
  'diff --git a/mm/a.c b/mm/a.c\r\n--- a/mm/a.c\r\n+++ b/mm/a.c\r\n@@ -1,2 +1,2 @@\r\n-a\r\n+b\r\n \r\n',
  'diff --git a/x.bin b/x.bin\nGIT binary patch\nliteral 3\nKcmZQz\n\nliteral 0\nHcmV?d00001\n\n',
  '@@ -1,2 +1,3 @@\n a\n+b\n-- \n2.43.0\n',
  'diff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,2 +1,2 @@\n-a\n--- a/mm/b.c\n+++ b/mm/b.c\n@@ -1 +1 @@\n-c\n+d\n\n',
];

test('readDiffCounts reads the files, hunks, counts and problems readDiff reads, keeping no line', () => {
  const texts = [...DAMAGED];
  for (const name of readdirSync(corpus + 'real').filter((f) => f.endsWith('.patch'))) texts.push(diffOf(readFileSync(corpus + 'real/' + name, 'utf8')));
  for (const text of texts) {
    const full = readDiff(text);
    const counted = readDiffCounts(diffLines(new SplitLines(text)));
    assert.deepEqual(counted.problems, full.problems, text.slice(0, 80));
    assert.deepEqual(
      counted.files.map((f) => ({ ...f, hunks: f.hunks.map((h) => ({ ...h, lines: [] })) })),
      full.files.map((f) => ({ ...f, hunks: f.hunks.map((h) => ({ ...h, lines: [] })) })),
      text.slice(0, 80),
    );
    for (const f of counted.files) for (const h of f.hunks) assert.equal(h.lines.length, 0);
  }
});

test('a patch\'s files, counted from its body\'s lines, are the diffStat of its diff text', async () => {
  const bodies = DAMAGED.map((d) => `body\n---\n${d}`).concat(DAMAGED.map((d) => `body\n---\n${d}-- \n2.43.0\n`));
  const names = readdirSync(corpus + 'real').filter((f) => f.endsWith('.patch'));
  for (const name of names) bodies.push(readFileSync(corpus + 'real/' + name, 'utf8').replace(/^[\s\S]*?\n\n/, ''));
  let compared = 0;
  for (const body of bodies) {
    const patch = readPatch({ ...emptyMessage(), body });
    if (!patch.diff) continue; // a bare hunk is no diff to git am either
    compared++;
    assert.deepEqual(patch.files, diffStat(patch.diff), body.slice(0, 80));
  }
  assert.ok(compared >= names.length + 2 * (DAMAGED.length - 1));
});

function emptyMessage(): MailMessage {
  return {
    file: 'test', index: 0, shape: 'rfc2822', startLine: 1, endLine: 1, headers: [], subject: '[PATCH] mm: x', from: null,
    to: [], cc: [], date: null, messageId: null, inReplyTo: null, references: [], body: '',
    bodyMap: { length: 0, line: () => 1, column: () => 1, exact: () => false }, quotedDiffs: [], problems: [],
  };
}

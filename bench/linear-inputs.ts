/**
 * Hostile inputs that grow with n: each the shape of a case that once took
 * super-linear time (issue 13's table).  `npm run bench:linear` times them at
 * growing n; test/unit/cli/linear.test.ts runs each once at a size that hung.
 * Every input is a whole mail, so the whole pipeline (mail, series,
 * trailers, diff, C, checks) runs on it through the CLI's main().
 */

export interface LinearCase {
  name: string;
  /** The module whose loop or regex was quadratic on this shape. */
  hotSpot: string;
  /** The CLI arguments (the input file is appended). */
  argv: string[];
  make(n: number): string;
}

const HEAD = 'From: A U Thor <author@example.org>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n';

/** A small real-looking patch, so C and the checks run too. */
export function patch(body: string, added: string[] = ['+\treturn 0;'], context = '', lead = [' int f(void)', ' {']): string {
  const hunk = `@@ -1,${lead.length} +1,${lead.length + added.length} @@${context}`;
  return `${HEAD}Subject: [PATCH] mm: test\n\n${body}\nSigned-off-by: A U Thor <author@example.org>\n---\n mm/x.c | 1 +\n 1 file changed, 1 insertion(+)\n\ndiff --git a/mm/x.c b/mm/x.c\n--- a/mm/x.c\n+++ b/mm/x.c\n${hunk}\n${[...lead, ...added].join('\n')}\n`;
}

export const LINEAR_CASES: LinearCase[] = [
  {
    name: 'cover letter: a long non-space line, then " 1 file changed"',
    hotSpot: 'src/core/series/cover.ts stat entries',
    argv: ['summarize', '--json'],
    make: (n) => `${HEAD}Subject: [PATCH 0/2] mm: cover\n\n${'a'.repeat(n)}\n 1 file changed\n`,
  },
  {
    name: 'a run of \\r with no \\n',
    hotSpot: 'src/core/mail/mime.ts line ends',
    argv: ['summarize', '--json'],
    make: (n) => `${HEAD}Subject: [PATCH] mm: cr\n\nbody ${'\r'.repeat(n)}x\n`,
  },
  {
    name: 'tab and space runs in body and changelog lines',
    hotSpot: 'src/core/trailers/commit.ts trailing space',
    argv: ['trailers', '--json'],
    make: (n) => patch(`body${' \t'.repeat(n >> 1)}x\n\nv2:${'\t'.repeat(n >> 1)}y`),
  },
  {
    name: 'tab runs in a mail whose line breaks were lost',
    hotSpot: 'src/core/trailers/parse.ts cherry-pick marker',
    argv: ['trailers', '--json'],
    make: (n) => `${HEAD}Subject: [PATCH] mm: flat\n\nA line. Signed-off-by: A U Thor <author@example.org>${'\t'.repeat(n)}y Reviewed-by: B <b@example.org>${'\t'.repeat(n)}z\n`,
  },
  {
    name: 'a trailer address of `@x` repeated',
    hotSpot: 'src/core/trailers/person.ts',
    argv: ['trailers', '--json'],
    make: (n) => patch(`body\n\nReviewed-by: ${'@x'.repeat(n >> 1)} y`),
  },
  {
    name: 'many Reviewed-by lines (n / 40 of them)',
    hotSpot: 'src/core/trailers/collect.ts pairwise comparison',
    argv: ['trailers', '--json'],
    make: (n) => {
      const lines: string[] = [];
      for (let i = 0; i < n / 40; i++) lines.push(`Reviewed-by: Person ${i} <p${i}@example.org>`);
      return patch(`body\n\n${lines.join('\n')}`);
    },
  },
  {
    name: 'a long C line: an @@ context `int x =`, spaces, `y`',
    hotSpot: 'src/core/c/compose.ts context and opening regexes',
    argv: ['check', '--format', 'json'],
    make: (n) => patch('body', ['+\treturn 0;'], ` int x =${' '.repeat(n)}y`),
  },
  {
    name: 'a long C line: one word at column 0',
    hotSpot: 'src/core/c/compose.ts definition name',
    argv: ['check', '--format', 'json'],
    make: (n) => patch('body', [`+${'a'.repeat(n)}`, '+\treturn 0;']),
  },
];

/** One hunk of about `bytes` bytes of added C in one function: the 20 MB case. */
export function bigHunk(bytes: number): string {
  const line = '+\tcount += helper(vma, addr + 1);';
  const rows = Math.max(1, Math.floor(bytes / (line.length + 1)));
  const body: string[] = [];
  for (let i = 0; i < rows; i++) body.push(line);
  return patch('body', body);
}

/** C nested `depth` braces deep in one added function. */
export function deepBraces(depth: number): string {
  const rows = ['+int deep(void)', '+{'];
  for (let i = 0; i < depth; i++) rows.push(`+${'\t'.repeat(Math.min(i, 8))}if (a) {`);
  rows.push('+\tmmap_read_lock(mm);');
  for (let i = 0; i < depth; i++) rows.push('+}');
  rows.push('+}');
  return patch('body', rows, '', []);
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPatchFacts, identityMap } from '../../../src/core/c/index.js';
import type { FlowItem } from '../../../src/core/c/facts.js';

/** A new-file patch of `lines`, so every line is a `+` line at diff line 5 + i (input line 6 + i). */
function newFile(path: string, lines: string[]): string {
  return [`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => '+' + l), ''].join('\n');
}

/** Each item as `kind@line`, nested bodies in brackets. */
function shape(flow: FlowItem[]): string {
  return flow
    .map((i) => {
      const at = `${i.kind}@${i.kind === 'call' ? i.call.pos.line : i.kind === 'assign' ? i.assign.pos.line : i.pos.line}`;
      if (i.kind === 'if') return `${at}[${shape(i.then)}]` + (i.else ? `else[${shape(i.else)}]` : '');
      if (i.kind === 'loop') return `${at}[${shape(i.body)}]`;
      return at;
    })
    .join(' ');
}

test('a comment between a condition and its statement keeps the statement in the flow (`if (!x) /* c */ goto out;`)', () => {
  const src = [
    'int f(struct vm_area_struct *vma)',
    '{',
    '\tif (!vma) /* nothing to lock */ goto out;', // 8
    '\tif (vma_start_write_killable(vma)) /* killed */', // 9
    '\t\treturn -EINTR;',
    '\telse /* locked */ vma_start_write(vma);', // 11
    '\twhile (busy(vma)) /* spin */ cpu_relax();', // 12
    '\tdo /* once */ { vma_end_write(vma); } while (0);', // 13
    '\tswitch (vma->vm_flags) /* which */ { case 1: goto out; }', // 14
    'out:', // 15
    '\treturn 0;',
    '}',
  ];
  const facts = extractPatchFacts({ file: 'm.patch', diff: newFile('mm/x.c', src), map: identityMap(40) });
  assert.equal(facts.parse!.hunksWithErrors, 0);
  const fn = facts.functions.find((f) => f.name === 'f')!;
  assert.equal(
    shape(fn.flow),
    'if@8[goto@8] if@9[return@10]else[call@11] call@12 loop@12[call@12] loop@13[call@13] if@14[label@14 goto@14] label@15 return@16',
  );
  const goto = fn.flow[0]!.kind === 'if' ? fn.flow[0]!.then[0] : undefined;
  assert.ok(goto?.kind === 'goto' && goto.label === 'out');
});

test('a hunk that starts at the body\'s `{` belongs to the function the @@ context names', () => {
  // Kernel hunks often start at the opening brace: git puts the signature line
  // above it into the @@ context.  Seen in real mail; reduced here.
  const diff = [
    'diff --git a/mm/thing.c b/mm/thing.c',
    '--- a/mm/thing.c',
    '+++ b/mm/thing.c',
    '@@ -10,3 +10,4 @@ static void thing(struct vm_area_struct *vma)',
    ' {',
    '+\tBUG_ON(!vma);',
    ' \tdo_thing(vma);',
    ' }',
    '',
  ].join('\n');
  const facts = extractPatchFacts({ file: 'x.patch', diff, map: identityMap(diff.split('\n').length) });
  const post = facts.functions.find((f) => f.image === 'post');
  assert.ok(post, 'the post image has a function');
  assert.equal(post.name, 'thing');
  assert.deepEqual(post.calls.map((c) => [c.name, c.change, c.pos.line]), [['BUG_ON', '+', 6], ['do_thing', ' ', 7]]);
});

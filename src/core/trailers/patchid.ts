/**
 * `git patch-id --stable` of a diff (git 2.39 builtin/patch-id.c,
 * get_one_patchid with stable=1, verbatim=0):
 *
 *  - text before the first `diff ` line is ignored; `index` lines are not
 *    hashed; `\ No newline at end of file` lines are skipped;
 *  - every other line of a file section is hashed with all whitespace
 *    removed; `@@` headers are not hashed (line numbers do not matter);
 *  - each file section is hashed on its own and the SHA-1s are summed
 *    byte-wise with carry, so the order of files does not matter;
 *  - the diff ends at the first line that is neither in a hunk nor a header.
 *
 * Two versions of a patch with the same id carry the same change, whatever
 * moved around them: b4 uses this to carry tags forward.
 */
import { createHash, type Hash } from 'node:crypto';

function removeSpace(line: string): string {
  return line.replace(/\s+/g, '');
}

function isAlpha(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z]/.test(c);
}

/** Hunk header counts; a missing count means 1. */
function hunkCounts(line: string): [number, number] | null {
  const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
  if (!m) return null;
  return [m[1] === undefined ? 1 : Number(m[1]), m[2] === undefined ? 1 : Number(m[2])];
}

/** The stable patch id, or null when the text holds no `diff ` section. */
export function patchId(diff: string): string | null {
  const sum = new Uint8Array(20);
  let hash: Hash = createHash('sha1');
  let hashedBytes = 0;
  let before = -1;
  let after = -1;
  let binary = false;
  let preOid = '';
  let postOid = '';

  const flush = () => {
    const digest = hash.digest();
    hash = createHash('sha1');
    let carry = 0;
    for (let i = 0; i < 20; i++) {
      carry += sum[i] + digest[i];
      sum[i] = carry & 0xff;
      carry >>= 8;
    }
  };

  const lines = diff.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('\\ ') && line.length + 1 > 12) continue;
    if (!hashedBytes && !line.startsWith('diff ')) continue;

    if (before === -1) {
      if (line.startsWith('GIT binary patch') || line.startsWith('Binary files')) {
        binary = true;
        before = 0;
        hash.update(preOid);
        hash.update(postOid);
        flush();
        continue;
      } else if (line.startsWith('index ')) {
        const dots = line.indexOf('..');
        if (dots >= 0) {
          const space = line.indexOf(' ', dots);
          preOid = line.slice(6, dots);
          postOid = line.slice(dots + 2, space >= 0 ? space : line.length);
        }
        continue;
      } else if (line.startsWith('--- ')) {
        before = after = 1;
      } else if (!isAlpha(line[0])) {
        break;
      }
    }

    if (binary) {
      if (line.startsWith('diff ')) {
        binary = false;
        before = -1;
      }
      continue;
    }

    if (before === 0 && after === 0) {
      if (line.startsWith('@@ -')) {
        const counts = hunkCounts(line);
        if (counts) [before, after] = counts;
        continue;
      }
      if (!line.startsWith('diff ')) break;
      flush();
      before = after = -1;
    }

    const c = line[0];
    if (c === '-' || c === ' ') before--;
    if (c === '+' || c === ' ') after--;
    // git hashes the line with its newline; remove_space drops both.
    const stripped = removeSpace(line);
    hashedBytes += stripped.length;
    hash.update(stripped, 'utf8');
  }
  if (!hashedBytes) return null;
  flush();
  return Buffer.from(sum).toString('hex');
}

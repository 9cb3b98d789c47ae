/**
 * A patch mail read as the commit `git am` makes of it: the Subject is the
 * title, so the body's first paragraph may already be the trailer block.
 * (Patch.trailers from the series code follow `git interpret-trailers
 * --parse` on the body alone; this view is what trailer collection and the
 * am output need.)  A mail whose line breaks were lost (shape `damaged`)
 * has its run-together trailers split at the known keys.
 */
import type { Patch, Trailer } from '../series/types.js';
import type { MailMessage } from '../types.js';
import type { SplitLines } from '../mail/lines.js';
import { KERNEL_TRAILER_KEYS } from './keys.js';
import { findTrailerBlock, splitRunTogetherTrailers, type RawTrailer } from './parse.js';
import { parsePerson } from './person.js';

export interface CommitParts {
  /** Commit message without the trailer block (title not included). */
  message: string;
  trailers: Trailer[];
}

/** The commit view of a patch, as readPatch (series/patch.ts) computed it. */
export function commitParts(patch: Patch): CommitParts {
  return { message: patch.commitMessage, trailers: patch.trailers };
}

/**
 * Reads the commit of a message: `lines` is its body split at LF and
 * `messageEnd` the body line where the commit text ends (the `---` line or
 * the diff), as series/patch.ts layoutBody finds it.
 */
export function readCommit(m: MailMessage, version: number, lines: SplitLines, messageEnd: number): CommitParts {
  const commitLines = lines.slice(0, messageEnd);
  // In-body `From:` / `Subject:` / `Date:` lines are headers to git am, not commit text.
  let top = 0;
  const inBody = m.inBody?.length ?? 0;
  while (top < inBody && top < commitLines.length && /^(From|Subject|Date):/i.test(commitLines[top])) top++;
  if (top > 0 && top < commitLines.length && commitLines[top].trim() === '') top++;
  const textLines = commitLines.slice(top);
  const block = findTrailerBlock(textLines, { titleGiven: true });
  let raws: RawTrailer[] = block.trailers.map((r) => ({ ...r, line: r.line + top, endLine: r.endLine + top }));
  if (m.shape === 'damaged' && block.start >= 0) {
    // Lost line breaks also lost the blank line before the trailers: the block
    // starts after the last line of prose.
    let lastProse = -1;
    for (let i = block.start; i < block.end; i++) {
      const l = textLines[i];
      if (!/^[A-Za-z0-9-]+\s*:/.test(l) && !/^\(cherry picked from commit /.test(l) && !/^\s/.test(l)) lastProse = i;
    }
    if (lastProse >= 0) raws = raws.filter((r) => r.line - top > lastProse);
  }
  let commitEnd = raws.length ? raws[0].line : commitLines.length;
  if (!raws.length && m.shape === 'damaged') {
    let at = -1;
    for (let i = 0; i < lines.length && at < 0; i++) if (lines.line(i).includes('Signed-off-by:')) at = i;
    if (at >= 0) {
      const line = lines.line(at);
      const from = line.search(/\b(?:Signed-off-by|Co-developed-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by):/);
      const stop = line.indexOf(' --- ', from);
      raws = splitRunTogetherTrailers(line.slice(from, stop > 0 ? stop : undefined), KERNEL_TRAILER_KEYS).map((r) => ({ ...r, line: at, endLine: at + 1 }));
      commitEnd = commitLines.length;
    }
  }
  const map = m.bodyMap;
  const trailers: Trailer[] = raws.map((raw) => {
    const person = parsePerson(raw.value);
    return {
      key: raw.key,
      value: raw.value,
      name: person.name || null,
      email: person.email || null,
      origin: 'patch',
      version,
      pos: {
        file: m.file,
        line: raw.line < map.length ? map.line(raw.line) : m.startLine,
        column: raw.line < map.length ? map.column(raw.line) : 1,
      },
    };
  });
  return { message: commitLines.slice(top, Math.max(top, commitEnd)).join('\n').trimEnd(), trailers };
}

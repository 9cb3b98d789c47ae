/**
 * The Signed-off-by chain of a patch (Documentation/process/submitting-patches.rst,
 * "Sign your work" and "When to use Acked-by:, Cc:, and Co-developed-by:",
 * v6.18; checkpatch.pl's "From:/Signed-off-by: email address mismatch",
 * "email subaddress mismatch" and "Co-developed-by: must be immediately
 * followed by Signed-off-by:"):
 *
 *  - the author (From, or the in-body From: git am honours) signs off;
 *  - the author's Signed-off-by agrees with From: name, address, sub-address;
 *  - each Co-developed-by is immediately followed by that person's Signed-off-by;
 *  - the sender's Signed-off-by comes last among the sign-offs;
 *  - a backport keeps the upstream chain before the backporter's sign-off.
 */
import type { Finding, Severity } from '../findings.js';
import type { Address, SourcePos } from '../types.js';
import type { Patch, Trailer } from '../series/types.js';
import { canonicalEmail, sameName } from './person.js';
import { commitParts } from './commit.js';

const SOURCE = { file: 'Documentation/process/submitting-patches.rst', kernel: 'v6.18' };

function at(pos: SourcePos, rule: string, severity: Severity, message: string): Finding {
  return { rule, severity, file: pos.file, line: pos.line, column: pos.column, message, sources: [SOURCE] };
}

function isSob(t: Trailer): boolean {
  return t.key.toLowerCase() === 'signed-off-by';
}

function samePerson(t: Trailer, who: Address): boolean {
  if (t.email && who.email && canonicalEmail(t.email) === canonicalEmail(who.email)) return true;
  return !!t.name && sameName(t.name, who.name);
}

/** The sign-offs in order: the chain of custody. */
export function signoffChain(patch: Patch): Trailer[] {
  return commitParts(patch).trailers.filter(isSob);
}

/** Checks the chain of one patch (cover letters and diff-less mails are skipped). */
export function checkSignoffChain(patch: Patch, trailers: readonly Trailer[] = commitParts(patch).trailers): Finding[] {
  if (!patch.diff || patch.subject.index === 0) return [];
  const out: Finding[] = [];
  const sobs = trailers.filter(isSob);
  const author = patch.author;
  const headerPos: SourcePos = { file: patch.message.file, line: patch.message.startLine, column: 1 };
  const blockPos = trailers[0]?.pos ?? headerPos;

  if (author) {
    const mine = sobs.find((t) => samePerson(t, author));
    if (!mine) {
      out.push(at(blockPos, 'SOB-MISSING-AUTHOR', 'error', `No Signed-off-by from the author ${author.name} <${author.email}>.`));
    } else if (mine.email && author.email && !author.email.includes('...') && !mine.email.includes('...')) {
      const a = author.email.trim().toLowerCase();
      const s = mine.email.trim().toLowerCase();
      if (a !== s) {
        const what = canonicalEmail(a) === canonicalEmail(s) ? 'sub-address' : 'address';
        out.push(at(mine.pos, 'SOB-FROM-MISMATCH', 'warning', `From: <${author.email}> and the author's Signed-off-by <${mine.email}> differ in the ${what}.`));
      } else if (mine.name && author.name && mine.name.trim().toLowerCase() !== author.name.trim().toLowerCase() && author.name !== author.email) {
        out.push(at(mine.pos, 'SOB-FROM-MISMATCH', 'warning', `From: name "${author.name}" and the author's Signed-off-by name "${mine.name}" differ.`));
      }
    }
  }

  // Co-developed-by: X must be followed at once by Signed-off-by: X.
  for (let i = 0; i < trailers.length; i++) {
    const t = trailers[i];
    if (t.key.toLowerCase() !== 'co-developed-by') continue;
    const next = trailers[i + 1];
    const who: Address = { name: t.name ?? '', email: t.email ?? '' };
    if (!next || !isSob(next) || !samePerson(next, who)) {
      out.push(at(t.pos, 'SOB-CODEV-ORDER', 'error', `${t.key}: ${t.value} is not immediately followed by their Signed-off-by.`));
    }
  }

  // The sender (header From) signs off last when someone else's patch is passed on.
  const sender = patch.message.from;
  const senderIsAuthor =
    !!sender && !!author &&
    ((!!sender.email && !!author.email && canonicalEmail(sender.email) === canonicalEmail(author.email)) || sameName(sender.name, author.name));
  if (sender && author && !senderIsAuthor && sobs.length > 0) {
    const last = sobs[sobs.length - 1];
    if (!samePerson(last, sender)) {
      const senderSob = sobs.find((t) => samePerson(t, sender));
      out.push(
        at(senderSob?.pos ?? last.pos, 'SOB-FROM-MISMATCH', 'warning', senderSob
          ? `The sender ${sender.name}'s Signed-off-by is not the last one.`
          : `The sender ${sender.name} <${sender.email}> passes on ${author.name}'s patch without a Signed-off-by.`),
      );
    }
  }

  // A backport keeps the upstream chain: at least the upstream sign-offs plus the backporter's.
  if (patch.upstreamCommit && sobs.length < 2) {
    out.push(at(sobs[0]?.pos ?? blockPos, 'SOB-MISSING-AUTHOR', 'warning', `Backport of ${patch.upstreamCommit.slice(0, 12)} without the upstream Signed-off-by chain.`));
  }
  return out;
}

/**
 * Trailers: which tags a patch carries, which were given in replies, by
 * whom, on which version, and whether they reach the version being applied.
 *
 * API
 *
 *   parseTrailerBlock(text, { file, map?, firstLine?, origin?, version? })
 *       -> { trailer: Trailer, bodyLine }[]
 *     The trailer block of a commit message (or of a whole body: it stops at
 *     `---`), found exactly as `git interpret-trailers --parse` finds it
 *     (parse.ts).  `bodyLine` is the 0-based line of the trailer in the body
 *     (`firstLine` + line in `text`); `pos` is mapped through `map`.
 *
 *   findTrailerBlock(lines) -> { start, end, messageEnd, trailers }  (parse.ts)
 *   parsePerson(value), sameEmail(a, b), sameName(t, s)              (person.ts)
 *   findReplyTrailers(message) -> ReplyTags                           (replies.ts)
 *     Tags a reply gives, as b4 collects them, plus the ones b4 drops
 *     silently (inline in prose, obfuscated address, no address).
 *
 *   commitParts(patch) -> { message, trailers }                       (commit.ts)
 *     The patch as the commit git am makes: Subject = title (so a body of
 *     only trailers has them), in-body From: skipped, run-together trailers
 *     of a mail whose line breaks were lost split at the known keys.
 *
 *   collectTrailers(series, messages) -> CollectedTrailers            (collect.ts)
 *     Per patch of every version (`of(patch)`): the full list, each a
 *     Trailer plus status (in-patch | collected | carried | dropped |
 *     mismatch | unconfirmed), via, viaCover, sender, notice,
 *     recoveredEmail; `findings` (TAG-*); `coverTags`; `orphans` (tags in
 *     replies whose patch is not in the input).  changelogExplains(version,
 *     tag) finds the changelog line that accounts for tags changing.
 *
 *   patchId(diff) -> string | null                                    (patchid.ts)
 *     `git patch-id --stable` of a diff.
 *
 *   compareSeriesVersions(series, from?, to?) -> VersionComparison    (compare.ts)
 *   changeSincePrevious(series) -> Map<Patch, PatchChange>            (compare.ts)
 *     For each patch of vN: unchanged, commit message only, code changed
 *     (with an interdiff), new; and the patches of vN-1 that were dropped.
 *
 *   checkSignoffChain(patch) -> Finding[]                             (signoff.ts)
 *     SOB-MISSING-AUTHOR, SOB-FROM-MISMATCH, SOB-CODEV-ORDER.
 *
 *   writeAmMbox(collected, series, options) -> string                 (am.ts)
 *     An am-ready mbox of the latest version (missing patches of a partial
 *     re-roll from the version before) with the collected trailers in b4's
 *     order; options: order (b4 trailer-order globs), noAdd, sloppy,
 *     coverTrailers, carried, mySignoff, linkTrailer, copyCcs, ignoreFrom,
 *     unconfirmed.  amTrailerLines(entry, options) gives one patch's lines;
 *     appendTrailers(commitMessage, trailers) adds tags to a local commit
 *     message before any `---` notes it keeps (b4 trailers -u).
 *
 * Finding ids: TAG-NOT-APPLIED, TAG-DROPPED, TAG-SENDER-MISMATCH, TAG-INLINE,
 * TAG-OBFUSCATED, TAG-NO-EMAIL, TAG-DUPLICATE, SOB-MISSING-AUTHOR,
 * SOB-FROM-MISMATCH, SOB-CODEV-ORDER.
 */
import type { LineMap } from '../types.js';
import type { Trailer } from '../series/types.js';
import { findTrailerBlock } from './parse.js';
import { parsePerson } from './person.js';

export { findTrailerBlock, findSeparator, splitRunTogetherTrailers } from './parse.js';
export type { RawTrailer, TrailerBlockLayout } from './parse.js';
export { parsePerson, sameEmail, sameName, isObfuscated, canonicalEmail, formatPerson } from './person.js';
export type { Person } from './person.js';

export { KERNEL_TRAILER_KEYS, PERSON_TRAILER_KEYS, canonicalKey } from './keys.js';

export interface ParseTrailerOptions {
  file: string;
  /** Maps body lines to input lines; without it, lines are 1-based text lines + firstLine. */
  map?: LineMap;
  /** Body line (0-based) where `text` starts. */
  firstLine?: number;
  origin?: 'patch' | 'reply';
  version?: number;
}

export interface ParsedTrailer {
  trailer: Trailer;
  /** 0-based body line of the trailer's first line. */
  bodyLine: number;
}

/** The trailer block of `text` (see the API note above); never throws. */
export function parseTrailerBlock(text: string, options: ParseTrailerOptions): ParsedTrailer[] {
  const first = options.firstLine ?? 0;
  const block = findTrailerBlock(text.split('\n'));
  return block.trailers.map((raw) => {
    const bodyLine = first + raw.line;
    const person = parsePerson(raw.value);
    const mapped = options.map && bodyLine < options.map.length;
    return {
      bodyLine,
      trailer: {
        key: raw.key,
        value: raw.value,
        name: person.name || null,
        email: person.email || null,
        origin: options.origin ?? 'patch',
        version: options.version ?? 1,
        pos: {
          file: options.file,
          line: mapped ? options.map!.line(bodyLine) : bodyLine + 1,
          column: mapped ? options.map!.column(bodyLine) : 1,
        },
      },
    };
  });
}

export { findReplyTags, isTagKey } from './replies.js';
export type { ReplyTag } from './replies.js';
export { collectTrailers, amTags, changelogExplains } from './collect.js';
export type { CollectedTag, CollectedTrailers, PatchTrailers, TagStatus } from './collect.js';
export { commitParts } from './commit.js';
export type { CommitParts } from './commit.js';
export { patchId } from './patchid.js';
export { compareVersions, changeSincePrevious, interdiff } from './compare.js';
export type { PatchChange, PatchChangeKind, VersionComparison } from './compare.js';
export { checkSignoffChain, signoffChain } from './signoff.js';
export { amMessage, amTrailerLines, appendTrailers, usableAddress, writeAmMbox, DEFAULT_LINK_TRAILER } from './am.js';
export type { AmOptions } from './am.js';

import type { Address, MailMessage, SourcePos } from '../types.js';

/** What the `[RFC PATCH v4 02/09]` part of a subject says. */
export interface SubjectInfo {
  /** The subject as in the mail. */
  raw: string;
  /** The patch title: prefixes, brackets and `Re:` removed. */
  title: string;
  /** `Re:` / `RE:` / `答复:` / `AW:` ... in front: this is a reply. */
  isReply: boolean;
  isPatch: boolean;
  rfc: boolean;
  resend: boolean;
  /** 1 when no `vN` is given. */
  version: number;
  /** N of N/M, or null for a lone patch. 0 is a cover letter. */
  index: number | null;
  /** M of N/M, or null. */
  total: number | null;
  /** Other words inside the brackets (`mm-unstable`, `net-next`, `-next`). */
  tags: string[];
}

/** One file touched by a patch, counted like `git apply --numstat`. */
export interface FileStat {
  path: string;
  /** For renames and copies. */
  oldPath?: string;
  /** null for binary patches (numstat prints `-`). */
  added: number | null;
  deleted: number | null;
  status: 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'binary';
}

/** A trailer line (`Reviewed-by: Name <a@b>`). */
export interface Trailer {
  /** Key as written (`Reviewed-by`). */
  key: string;
  /** Everything after `key: `, continuation lines joined. */
  value: string;
  /** Parsed person, when the value names one. */
  name: string | null;
  email: string | null;
  /** Where the tag came from. */
  origin: 'patch' | 'reply';
  /** The series version the tag was given on. */
  version: number;
  pos: SourcePos;
}

/** A message of the series that carries a patch (or the cover letter). */
export interface Patch {
  message: MailMessage;
  subject: SubjectInfo;
  author: Address | null;
  /** Author date: an in-body `Date:` over the mail's Date header. */
  date: string | null;
  /** Commit message: body up to the `---` line, without the trailer block. */
  commitMessage: string;
  /** Trailers in the patch itself. */
  trailers: Trailer[];
  /** The diff text (from the first `diff --git` / `--- a/` on), or ''. */
  diff: string;
  /** Body line (0-based) where `diff` starts, to map hunks back. */
  diffBodyLine: number;
  files: FileStat[];
  /** Upstream commit for backports (`commit X upstream`, `cherry picked from commit X`). */
  upstreamCommit: string | null;
}

export interface SeriesVersion {
  version: number;
  cover: Patch | null;
  /** Patches by index (1..total); missing ones are absent. */
  patches: Patch[];
  total: number;
  /** Indices 1..total with no patch in the input. */
  missing: number[];
  /** Version changelog lines (`v4:`, `Changes since v1:` ...), from the cover or patches. */
  changelog: {
    version: string;
    lines: string[];
    pos: SourcePos;
    /** The header as written (`Changes since v3 [2]`, `v5`), colon dropped.  (series) */
    heading?: string;
  }[];
  /** Replies to any message of this version. */
  replies: MailMessage[];
  /**
   * Other mails carrying a patch whose index is already present (a
   * `[PATCH RESEND 2/3]`, the same patch sent again), oldest first.  The
   * patch in `patches` is the first copy; replies to a resend belong to it.
   * Absent when there are none.  (series)
   */
  resent?: Patch[];
}

export interface Series {
  /** Title of the cover letter, or of the first patch. */
  title: string;
  /** All versions present, oldest first. */
  versions: SeriesVersion[];
  /** When only a cover letter is present: the titles from its shortlog. */
  shortlogTitles: string[];
  /** Files from the cover letter's diffstat. */
  coverDiffstat: FileStat[];
}

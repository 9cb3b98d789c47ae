/**
 * The shapes that cross module boundaries in the core.  Every stage (mail ->
 * series -> trailers / diff -> c facts -> checks) hands these on, so that a
 * finding made deep inside a hunk can still be put at the exact line and
 * column of the document the reviewer has open.
 *
 * Conventions: lines and columns are 1-based, as editors and compilers print
 * them.  `file` is the input's name as the user gave it.
 */

/** A place in an input document. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** Something in the input that could not be read, reported where it is. */
export interface Problem extends SourcePos {
  /** Short machine-readable kind, e.g. `mime-decode`, `damaged-diff`. */
  kind: string;
  message: string;
}

export interface Address {
  name: string;
  email: string;
  /**
   * The address was obfuscated by an archive (`akpm@...ux-foundation.org`,
   * `[email protected]`); `email` then holds what is visible.
   */
  obfuscated?: boolean;
}

/**
 * Maps line i (0-based) of a decoded text back to the input document.
 * For plain 8bit bodies this is an offset; for quoted replies (`> > `) the
 * column moves; for quoted-printable or base64 parts it points at the nearest
 * line the decoder can vouch for and `exact` is false.
 */
export interface LineMap {
  /** Number of lines mapped. */
  readonly length: number;
  /** Input line (1-based) of text line i (0-based). */
  line(i: number): number;
  /** Input column (1-based) where text line i starts. */
  column(i: number): number;
  /** Whether line i maps to the input exactly (false inside base64, say). */
  exact(i: number): boolean;
}

/** How a message reached us: decides what can be trusted in it. */
export type MessageShape =
  | 'mbox' // one message of an mbox (mboxo or mboxrd)
  | 'rfc2822' // a single message / git format-patch file
  | 'lore-page' // text copied from a lore / lkml page ("Posted by NAME ...")
  | 'openwall-page' // text copied from lists.openwall.net, navigation around it
  | 'quoted-reply' // a reply body with no headers, quoting the patch
  | 'damaged'; // a mail whose line breaks were lost

export interface Header {
  /** Header name as written (case kept). */
  name: string;
  /** Unfolded, RFC 2047-decoded value. */
  value: string;
  /** Input line of the header's first line. */
  line: number;
}

/** One mail message as read from the input, decoded to text. */
export interface MailMessage {
  /** Input file name. */
  file: string;
  /** Index of the message within its input file (0-based). */
  index: number;
  shape: MessageShape;
  /** Input lines the message spans (1-based, inclusive). */
  startLine: number;
  endLine: number;
  headers: Header[];
  /** RFC 2047-decoded subject, unfolded, as in the header (prefixes kept). */
  subject: string;
  from: Address | null;
  to: Address[];
  cc: Address[];
  /** The Date header as written (normalised whitespace), or null. */
  date: string | null;
  /** Message-ID without angle brackets, or null. */
  messageId: string | null;
  inReplyTo: string | null;
  /** References, oldest first, without angle brackets. */
  references: string[];
  /**
   * The text a reviewer reads: the decoded text/plain body, joined with any
   * inline text/x-patch / text/x-diff part, LF line ends, no trailing CR.
   */
  body: string;
  /** Where each line of `body` sits in the input. */
  bodyMap: LineMap;
  /**
   * Diffs recovered from text that quotes them (`> > diff --git ...` in a
   * reply): the quote markers removed, each with its own line map.
   */
  quotedDiffs: {
    text: string;
    map: LineMap;
    depth: number;
    /**
     * Who wrote the quoted text, from the nearest "On ..., NAME wrote:" line
     * introducing this depth; null/absent when no attribution says.  (mail)
     */
    author?: Address | null;
  }[];
  /**
   * "On <date>, NAME wrote:" lines in the body: `depth` is the quote depth
   * of the text they introduce (1 for an unquoted attribution line); `line`
   * is the input line.  Absent when there are none.  (mail)
   */
  attributions?: { depth: number; name: string; email: string | null; line: number }[];
  /**
   * `From:` / `Subject:` / `Date:` lines at the top of the body, which
   * `git am` honours over the mail's own headers (a patch sent on behalf of
   * its author).  Absent when there are none.
   */
  inBody?: Header[];
  /** What could not be read in this message. */
  problems: Problem[];
}

/** Result of reading one input file. */
export interface ReadResult {
  file: string;
  messages: MailMessage[];
  /** Problems that belong to no message (e.g. garbage between messages). */
  problems: Problem[];
}

/**
 * Line indexes over one analysis, for one document: which findings, which
 * trailer, which patch sit on a given line.  Built once per analysis, so a
 * hover is a map lookup, not a scan of the series.
 */
import type { Finding } from '../core/findings.js';
import type { Patch, Series, SeriesVersion, Trailer } from '../core/series/types.js';
import type { MailMessage, Problem } from '../core/types.js';
import type { Analysis } from './analyze.js';

export interface TrailerAt {
  trailer: Trailer;
  /** The patch the tag belongs to. */
  patch: Patch;
  version: SeriesVersion;
  series: Series;
  /** The message whose text holds the tag line. */
  message: MailMessage | null;
}

export interface PatchAt {
  patch: Patch;
  version: SeriesVersion;
  series: Series;
  /** Line of the subject (or the first line of the message when it has no headers). */
  line: number;
  /** Whether this is the cover letter. */
  cover: boolean;
}

/** A finding may span lines; a hover anywhere inside should show it, up to this many lines. */
const MAX_SPAN = 200;

export class DocumentIndex {
  readonly findingsByLine = new Map<number, Finding[]>();
  /** Tags by input line; one line can hold a tag and, for later versions, its carried or dropped copy. */
  readonly trailersByLine = new Map<number, TrailerAt[]>();
  readonly patches: PatchAt[] = [];
  /** Findings and problems of this document. */
  readonly findings: Finding[] = [];
  readonly problems: Problem[] = [];
  private readonly messages: MailMessage[];

  constructor(readonly analysis: Analysis, readonly file: string) {
    this.messages = analysis.reads.filter((r) => r.file === file).flatMap((r) => r.messages);
    for (const f of analysis.findings) {
      if (f.file !== file) continue;
      this.findings.push(f);
      const last = Math.min(f.endLine ?? f.line, f.line + MAX_SPAN);
      for (let l = f.line; l <= last; l++) push(this.findingsByLine, l, f);
    }
    for (const p of analysis.problems) if (p.file === file) this.problems.push(p);
    for (const series of analysis.series) {
      for (const version of series.versions) {
        const all = version.cover ? [version.cover, ...version.patches] : version.patches;
        for (const patch of all) {
          if (patch.message.file === file) {
            this.patches.push({ patch, version, series, line: subjectLine(patch.message), cover: patch === version.cover });
          }
          for (const trailer of analysis.trailersOf(patch)) {
            if (trailer.pos.file !== file) continue;
            push(this.trailersByLine, trailer.pos.line, { trailer, patch, version, series, message: this.messageAt(trailer.pos.line) });
          }
        }
      }
    }
    this.patches.sort((a, b) => a.line - b.line);
  }

  /** The message spanning input line `line`, by binary search over the input order. */
  messageAt(line: number): MailMessage | null {
    const ms = this.messages;
    let lo = 0;
    let hi = ms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = ms[mid];
      if (line < m.startLine) hi = mid - 1;
      else if (line > m.endLine) lo = mid + 1;
      else return m;
    }
    return null;
  }
}

export function subjectLine(m: MailMessage): number {
  const h = m.headers.find((x) => x.name.toLowerCase() === 'subject');
  return h ? h.line : m.startLine;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

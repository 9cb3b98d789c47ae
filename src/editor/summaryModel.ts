/**
 * What "Summarize Series" shows, computed from one analysis: versions,
 * patches present or missing, the tag matrix (patch x reviewer x kind, with
 * where each tag came from and whether it survived to the latest version),
 * findings by rule and the version changelogs.  Plain data: the webview
 * renders it, the e2e tests read it.
 */
import type { Finding, Severity } from '../core/findings.js';
import type { Patch, Series, Trailer } from '../core/series/types.js';
import type { Analysis } from './analyze.js';

export type TagState =
  /** given in a reply to this version, not yet in a patch */
  | 'reply'
  /** written in this version's patch, first seen here */
  | 'patch'
  /** written in this version's patch, and given on an earlier version too */
  | 'carried'
  /** given on an earlier version, missing from the latest version of the patch */
  | 'dropped'
  /** the sender does not match the tag's person (b4 ignores it) */
  | 'mismatch'
  /** written inline, obfuscated or without an address: not applied */
  | 'unconfirmed';

/** The trailers engineer's statuses (CollectedTag.status), in the summary's words. */
const STATUS: Record<string, TagState> = {
  'in-patch': 'patch', collected: 'reply', carried: 'carried', dropped: 'dropped', mismatch: 'mismatch', unconfirmed: 'unconfirmed',
};

function statusOf(t: Trailer): TagState | undefined {
  const s = (t as Trailer & { status?: string }).status;
  return s ? STATUS[s] : undefined;
}

export interface TagCell {
  kind: string;
  state: TagState;
  /** Version the tag was given on. */
  version: number;
  file: string;
  line: number;
}

export interface PatchRow {
  /** `2/9`, `0/9` for the cover, or `` for a lone patch. */
  label: string;
  title: string;
  state: 'present' | 'missing';
  /** Version of the newest copy of this patch. */
  version: number;
  file?: string;
  line?: number;
  /** Index into `Summary.locations`, for a click on the title. */
  loc?: number;
  /** Tags per reviewer key (see `reviewers`). */
  tags: Map<string, TagCell[]>;
  findings: number;
}

export interface Reviewer {
  key: string;
  name: string;
  email: string;
}

export interface SeriesSummary {
  title: string;
  versions: { version: number; total: number; present: number; missing: number[]; hasCover: boolean }[];
  patches: PatchRow[];
  reviewers: Reviewer[];
  changelog: { version: string; lines: string[]; file: string; line: number }[];
}

export interface FindingRef {
  /** Index into `Summary.locations`, what the webview sends back when clicked. */
  id: number;
  finding: Finding;
}

export interface Summary {
  series: SeriesSummary[];
  findingsByRule: { rule: string; severity: Severity; items: FindingRef[] }[];
  findingList: Finding[];
  /** Places the page can jump to; the webview sends back only an index into this list. */
  locations: { file: string; line: number; column: number }[];
  problems: number;
}

/** Kinds of tags a reviewer gives; Signed-off-by belongs to the chain of authors, not here. */
const REVIEW_KINDS = new Set(['reviewed-by', 'acked-by', 'tested-by', 'reported-by', 'suggested-by', 'nacked-by']);

export function personKey(t: { name: string | null; email: string | null; value: string }): string {
  return (t.email || t.name || t.value).trim().toLowerCase();
}

/** Key of one patch across versions: its title, the way b4 matches them. */
function titleKey(p: Patch): string {
  return p.subject.title.trim().toLowerCase().replace(/\s+/g, ' ');
}

export function summarize(a: Analysis): Summary {
  const findingList = [...a.findings].sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line || x.column - y.column));
  const locations: Summary['locations'] = findingList.map((f) => ({ file: f.file, line: f.line, column: f.column }));
  const byRule = new Map<string, { rule: string; severity: Severity; items: FindingRef[] }>();
  findingList.forEach((f, id) => {
    let g = byRule.get(f.rule);
    if (!g) byRule.set(f.rule, (g = { rule: f.rule, severity: f.severity, items: [] }));
    if (rank(f.severity) < rank(g.severity)) g.severity = f.severity;
    g.items.push({ id, finding: f });
  });
  const findingsByRule = [...byRule.values()].sort((x, y) => rank(x.severity) - rank(y.severity) || x.rule.localeCompare(y.rule));
  const series = a.series.map((s) => summarizeSeries(s, a, findingList));
  for (const s of series) {
    for (const p of s.patches) {
      if (p.file === undefined || p.line === undefined) continue;
      p.loc = locations.length;
      locations.push({ file: p.file, line: p.line, column: 1 });
    }
  }
  return { series, findingsByRule, findingList, locations, problems: a.problems.length };
}

function rank(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}

function summarizeSeries(s: Series, a: Analysis, findings: Finding[]): SeriesSummary {
  const versions = s.versions.map((v) => ({
    version: v.version, total: v.total, present: v.patches.length, missing: [...v.missing], hasCover: v.cover !== null,
  }));
  // Every copy of every patch, grouped by title; versions are oldest first.
  const groups = new Map<string, { patch: Patch; version: number }[]>();
  const order: string[] = [];
  for (const v of s.versions) {
    for (const p of v.cover ? [v.cover, ...v.patches] : v.patches) {
      const k = (p === v.cover ? '\u0000cover:' : '') + titleKey(p);
      let g = groups.get(k);
      if (!g) {
        groups.set(k, (g = []));
        order.push(k);
      }
      g.push({ patch: p, version: v.version });
    }
  }
  const reviewers = new Map<string, Reviewer>();
  const rows: PatchRow[] = [];
  for (const k of order) {
    const copies = groups.get(k)!;
    const latest = copies[copies.length - 1];
    const latestTags = a.trailersOf(latest.patch).filter(isReviewTag);
    const tags = new Map<string, TagCell[]>();
    const add = (t: Trailer, state: TagState): void => {
      const rk = personKey(t);
      if (!reviewers.has(rk)) reviewers.set(rk, { key: rk, name: t.name ?? t.value, email: t.email ?? '' });
      const list = tags.get(rk) ?? [];
      list.push({ kind: t.key, state, version: t.version, file: t.pos.file, line: t.pos.line });
      tags.set(rk, list);
    };
    const earlier = copies.slice(0, -1).flatMap((c) => a.trailersOf(c.patch).filter(isReviewTag));
    const sameTag = (x: Trailer, y: Trailer): boolean => x.key.toLowerCase() === y.key.toLowerCase() && personKey(x) === personKey(y);
    if (latestTags.some((t) => statusOf(t))) {
      // The collection already knows what was carried, collected or dropped.
      for (const t of latestTags) add(t, statusOf(t) ?? (t.origin === 'reply' ? 'reply' : 'patch'));
    } else for (const t of latestTags) {
      if (t.origin === 'reply') add(t, 'reply');
      else add(t, earlier.some((e) => sameTag(e, t)) ? 'carried' : 'patch');
    }
    const seen: Trailer[] = [];
    if (!latestTags.some((t) => statusOf(t))) for (const e of earlier) {
      if (latestTags.some((t) => sameTag(t, e)) || seen.some((x) => sameTag(x, e))) continue;
      seen.push(e);
      add(e, 'dropped');
    }
    const p = latest.patch;
    const m = p.message;
    const nFindings = findings.filter((f) => f.file === m.file && f.line >= m.startLine && f.line <= m.endLine).length;
    rows.push({
      label: p.subject.index === null ? '' : `${p.subject.index}/${p.subject.total ?? '?'}`,
      title: p.subject.title || m.subject, state: 'present', version: latest.version,
      file: m.file, line: m.startLine, tags, findings: nFindings,
    });
  }
  // Patches the newest version announces but the input lacks.
  const newest = s.versions[s.versions.length - 1];
  if (newest) {
    // Missing patches with a known title (from the cover's shortlog) get a row
    // each; runs of unknown ones share a row (`3–9/9`), so they do not bury
    // the patches that are there.
    let run: number[] = [];
    const flush = (): void => {
      if (!run.length) return;
      const label = run.length === 1 ? `${run[0]}/${newest.total}` : `${run[0]}\u2013${run[run.length - 1]}/${newest.total}`;
      rows.push({ label, title: '(not in the input)', state: 'missing', version: newest.version, tags: new Map(), findings: 0 });
      run = [];
    };
    for (const i of newest.missing) {
      const title = s.shortlogTitles[i - 1];
      if (title) {
        flush();
        rows.push({ label: `${i}/${newest.total}`, title, state: 'missing', version: newest.version, tags: new Map(), findings: 0 });
      } else {
        if (run.length && run[run.length - 1] !== i - 1) flush();
        run.push(i);
      }
    }
    flush();
  }
  rows.sort((x, y) => labelIndex(x.label) - labelIndex(y.label));
  const changelog = s.versions.flatMap((v) => v.changelog.map((c) => ({ version: c.version, lines: c.lines, file: c.pos.file, line: c.pos.line })));
  return { title: s.title, versions, patches: rows, reviewers: [...reviewers.values()], changelog };
}

function labelIndex(label: string): number {
  const n = parseInt(label, 10);
  return Number.isNaN(n) ? -1 : n;
}

function isReviewTag(t: Trailer): boolean {
  return REVIEW_KINDS.has(t.key.toLowerCase());
}

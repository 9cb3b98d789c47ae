/**
 * The series summary as data (for `summarize --json` and the VS Code
 * webview) and as text (for a terminal).  Both are built from the same
 * SeriesRead, so the two can never disagree.
 */
import type { SeriesRead } from './review.js';
import type { FileStat, Patch, Series, SeriesVersion } from './series/types.js';
import type { CollectedTag } from './trailers/collect.js';
import type { MailMessage, Problem } from './types.js';
import { readPatch } from './series/patch.js';
import { parseSubject } from './series/subject.js';
import { patchId } from './trailers/patchid.js';

export interface TrailerJson {
  key: string;
  value: string;
  name: string | null;
  email: string | null;
  origin: 'patch' | 'reply';
  version: number;
  /** in-patch, collected (from a reply), carried (from an earlier version), dropped, mismatch, unconfirmed. */
  status: string;
  notice?: string;
  /** Given in a reply to the cover letter: it applies to every patch of the version. */
  viaCover?: boolean;
  file: string;
  line: number;
}

export interface PatchJson {
  index: number;
  version: number;
  subject: string;
  title: string;
  author: { name: string; email: string } | null;
  date: string | null;
  messageId: string | null;
  file: string;
  line: number;
  files: { path: string; oldPath?: string; added: number | null; deleted: number | null; status: FileStat['status'] }[];
  trailers: TrailerJson[];
  upstreamCommit: string | null;
  changeSincePrevious?: string;
  /** The same patch sent again (`[PATCH RESEND 2/3]`), where each copy is. */
  resent?: { subject: string; date: string | null; messageId: string | null; file: string; line: number; diffDiffers?: boolean }[];
}

export interface VersionJson {
  version: number;
  /**
   * How the summary names the version: `v4`; `v1 backport` when every patch
   * is a backport and another v1 is present; `v1 (14 patches)` when two
   * postings share a number.
   */
  label: string;
  total: number;
  present: number;
  missing: number[];
  cover: { subject: string; file: string; line: number } | null;
  /** Patches of the version before that this one no longer has (by index there). */
  dropped?: { index: number; title: string }[];
  patches: PatchJson[];
  /** `heading`: the list's header as written (`Changes since v3`). */
  changelog: { version: string; heading?: string; lines: string[]; file: string; line: number }[];
  replies: ReplyJson[];
}

/** A reply to the version; `files` when it carries a diff (a fixlet, an interdiff). */
export interface ReplyJson {
  /** The patch of the version the reply answers (0: the cover letter), up its In-Reply-To chain; absent when unknown. */
  answers?: number;
  from: { name: string; email: string } | null;
  subject: string;
  date: string | null;
  messageId: string | null;
  file: string;
  line: number;
  files: PatchJson['files'];
  /**
   * Tags in the reply that reach no patch of the input (the patch it
   * answers is not here): shown so they are not lost, never applied.
   */
  trailers?: TrailerJson[];
}

export interface SeriesJson {
  title: string;
  /** Latest version present. */
  version: number;
  total: number;
  present: number;
  missing: number[];
  /** Patches of the latest version. */
  patches: PatchJson[];
  versions: VersionJson[];
  shortlog: string[];
  coverDiffstat: { path: string; added: number | null; deleted: number | null }[];
}

export interface SummaryJson {
  series: SeriesJson[];
  problems: { file: string; line: number; column: number; kind: string; message: string }[];
}

export function summaryJson(read: SeriesRead): SummaryJson {
  return {
    series: read.series.map((s) => seriesJson(s, read)),
    problems: problemsJson(read),
  };
}

/** Everything that could not be read, and the inputs that were empty. */
export function problemsJson(read: SeriesRead): SummaryJson['problems'] {
  return [...read.problems.map(problemJson), ...emptyInputs(read)];
}

/** A file that gave no message and no problem was empty (or blank): say so. */
function emptyInputs(read: SeriesRead): SummaryJson['problems'] {
  return read.reads
    .filter((r) => r.messages.length === 0 && r.problems.length === 0)
    .map((r) => ({ file: r.file, line: 1, column: 1, kind: 'no-mail', message: 'no mail in this file (it is empty)' }));
}

function problemJson(p: Problem): SummaryJson['problems'][number] {
  return { file: p.file, line: p.line, column: p.column, kind: p.kind, message: p.message };
}

function seriesJson(series: Series, read: SeriesRead): SeriesJson {
  const versions = series.versions.map((v, i) => versionJson(v, read, series.versions[i - 1]));
  const isBackport = (v: VersionJson) => v.patches.length > 0 && v.patches.every((p) => p.upstreamCommit !== null);
  for (const v of versions) {
    const twins = versions.filter((o) => o.version === v.version && o !== v);
    if (!twins.length) continue;
    if (isBackport(v)) v.label = `v${v.version} backport`;
    else if (twins.some((o) => !isBackport(o))) v.label = `v${v.version} (${v.total} patches)`;
  }
  const latest = versions[versions.length - 1];
  return {
    title: series.title,
    version: latest.version,
    total: latest.total,
    present: latest.present,
    missing: latest.missing,
    patches: latest.patches,
    versions,
    shortlog: series.shortlogTitles,
    coverDiffstat: series.coverDiffstat.map((f) => ({ path: f.path, added: f.added, deleted: f.deleted })),
  };
}

/**
 * Patches of the version before that this one no longer has: not re-rolled
 * into any patch here, and not a hole this version still counts (a partial
 * re-roll leaves those to the older copy).
 */
function droppedSince(version: SeriesVersion, previous: SeriesVersion | undefined, read: SeriesRead): Patch[] {
  if (!previous) return [];
  const rerolled = new Set(version.patches.map((p) => read.changeSincePrevious(p)?.from).filter((p) => p));
  const hole = (p: Patch) => previous.total === version.total && version.missing.includes(p.subject.index ?? 0);
  return previous.patches.filter((p) => !rerolled.has(p) && !hole(p));
}

function versionJson(version: SeriesVersion, read: SeriesRead, previous?: SeriesVersion): VersionJson {
  const dropped = droppedSince(version, previous, read);
  return {
    ...(dropped.length ? { dropped: dropped.map((p) => ({ index: p.subject.index ?? 1, title: p.subject.title })) } : {}),
    version: version.version,
    label: `v${version.version}`,
    total: version.total,
    present: version.patches.length,
    missing: version.missing,
    cover: version.cover
      ? { subject: version.cover.subject.raw, file: version.cover.message.file, line: version.cover.message.startLine }
      : null,
    patches: version.patches.map((p) => withResends(patchJson(p, read), p, version)),
    changelog: version.changelog.map((c) => ({
      version: c.version,
      ...(c.heading ? { heading: c.heading } : {}),
      lines: c.lines,
      file: c.pos.file,
      line: c.pos.line,
    })),
    replies: version.replies.map((r) => {
      const json = replyJson(r, read);
      const answers = answeredIndex(r, version, read);
      return answers === null ? json : { answers, ...json };
    }),
  };
}

/** Bound on the walk up a reply chain. */
const MAX_CHAIN = 200;

/** Which patch of `version` (0 = cover) a reply answers, walking In-Reply-To, then References. */
function answeredIndex(reply: MailMessage, version: SeriesVersion, read: SeriesRead): number | null {
  const indexOf = new Map<string, number>();
  const add = (p: Patch | null) => {
    if (p?.message.messageId) indexOf.set(p.message.messageId, p.subject.index ?? (p === version.cover ? 0 : 1));
  };
  add(version.cover);
  for (const p of [...version.patches, ...(version.resent ?? [])]) add(p);
  const byId = new Map<string, MailMessage>();
  for (const m of version.replies) if (m.messageId) byId.set(m.messageId, m);
  let current: MailMessage | undefined = reply;
  for (let depth = 0; current && depth < MAX_CHAIN; depth++) {
    const parent: string | null = current.inReplyTo;
    if (!parent) break;
    const index = indexOf.get(parent);
    if (index !== undefined) return index;
    current = byId.get(parent);
  }
  for (let i = reply.references.length - 1; i >= 0; i--) {
    const index = indexOf.get(reply.references[i]);
    if (index !== undefined) return index;
  }
  // No threading (an archive page's copy): the `Re: [PATCH v4 2/9]` subject says.
  if (!reply.inReplyTo && !reply.references.length) {
    const subject = parseSubject(reply.subject);
    if (subject.isReply && subject.index !== null && subject.version === version.version) return subject.index;
  }
  return null;
}

function replyJson(message: MailMessage, read: SeriesRead): ReplyJson {
  const asPatch = readPatch(message);
  const orphanTags = read.trailers.orphans.filter((o) => o.message === message).flatMap((o) => o.tags);
  return {
    ...(orphanTags.length ? { trailers: orphanTags.map(trailerJson) } : {}),
    from: message.from ? { name: message.from.name, email: message.from.email } : null,
    subject: message.subject,
    date: message.date,
    messageId: message.messageId,
    file: message.file,
    line: message.startLine,
    files: asPatch.files.map(fileJson),
  };
}

function patchJson(patch: Patch, read: SeriesRead): PatchJson {
  const trailers = read.trailersOf(patch);
  const json: PatchJson = {
    index: patch.subject.index ?? 1,
    version: patch.subject.version,
    subject: patch.subject.raw,
    title: patch.subject.title,
    author: patch.author ? { name: patch.author.name, email: patch.author.email } : null,
    date: patch.date,
    messageId: patch.message.messageId,
    file: patch.message.file,
    line: patch.message.startLine,
    files: patch.files.map(fileJson),
    trailers: trailers.map(trailerJson),
    upstreamCommit: patch.upstreamCommit,
  };
  const change = read.changeSincePrevious(patch);
  if (change && change.fromVersion !== null) json.changeSincePrevious = change.kind;
  return json;
}

function withResends(json: PatchJson, patch: Patch, version: SeriesVersion): PatchJson {
  const copies = (version.resent ?? []).filter((c) => (c.subject.index ?? 1) === (patch.subject.index ?? 1));
  if (copies.length) {
    const id = patchId(patch.diff);
    json.resent = copies.map((c) => ({
      subject: c.subject.raw,
      date: c.date,
      messageId: c.message.messageId,
      file: c.message.file,
      line: c.message.startLine,
      // A resend is meant to be the same patch; say so when it is not.
      ...(patchId(c.diff) !== id || (id === null && c.diff !== patch.diff) ? { diffDiffers: true } : {}),
    }));
  }
  return json;
}

function fileJson(f: FileStat): PatchJson['files'][number] {
  return {
    path: f.path,
    ...(f.oldPath !== undefined ? { oldPath: f.oldPath } : {}),
    added: f.added,
    deleted: f.deleted,
    status: f.status,
  };
}

function trailerJson(t: CollectedTag): TrailerJson {
  return {
    status: t.status,
    ...(t.notice ? { notice: t.notice } : {}),
    ...(t.viaCover ? { viaCover: true } : {}),
    key: t.key,
    value: t.value,
    name: t.name,
    email: t.email,
    origin: t.origin,
    version: t.version,
    file: t.pos.file,
    line: t.pos.line,
  };
}

/** The same summary for a terminal. */
export function summaryText(read: SeriesRead): string {
  const json = summaryJson(read);
  const out: string[] = [];
  for (const series of json.series) {
    const versions = series.versions.map((v) => v.label).join(', ');
    const latest = series.versions[series.versions.length - 1];
    out.push(`${series.title}`);
    out.push(
      series.total === 0 && series.present === 0
        ? `  no patch in the input, only replies to it`
        : `  ${latest.label}: ${series.present} of ${series.total} patches present` +
            (series.missing.length ? ` (missing ${missingText(series)})` : '') +
            (series.versions.length > 1 ? `; versions ${versions}` : ''),
    );
    if (latest.cover) out.push(`  cover letter: ${latest.cover.subject || '(no subject)'} (${latest.cover.file}:${latest.cover.line})`);
    else if (series.total > 1 && series.patches.length && series.patches[0].index > 1 && !series.versions.some((v) => v.cover)) {
      // Else the title reads as the series' own name.
      out.push(`  no cover letter here: named after its first patch present, [${series.patches[0].index}/${series.total}]`);
    }
    if (!series.patches.length && series.shortlog.length) {
      out.push('  patches named by the cover letter:');
      series.shortlog.forEach((t, i) => out.push(`    ${i + 1}. ${t}`));
    }
    for (const patch of series.patches) {
      out.push(`  [${patch.index}/${series.total}] ${patch.title || '(no subject)'}`);
      const who = patch.author ? (patch.author.email ? `${patch.author.name} <${patch.author.email}>` : patch.author.name) : 'unknown author';
      out.push(`      ${who}${patch.date ? `, ${patch.date}` : ''}`);
      if (patch.upstreamCommit) out.push(`      backport of ${patch.upstreamCommit}`);
      for (const copy of patch.resent ?? []) {
        out.push(`      sent again: ${copy.subject} (${copy.file}:${copy.line})${copy.diffDiffers ? '; its diff differs from this one' : ''}`);
      }
      for (const f of patch.files) {
        const counts = f.added === null ? 'binary' : `+${f.added} -${f.deleted}`;
        const name = f.oldPath !== undefined && f.oldPath !== f.path ? `${f.oldPath} => ${f.path}` : f.path;
        const what = f.status === 'added' ? ' (new file)' : f.status === 'deleted' ? ' (deleted)' : f.status === 'copied' ? ' (copied)' : '';
        out.push(`      ${name}  ${counts}${what}`);
      }
      // A [PATCH] mail with nothing to apply: cut short, or the diff went elsewhere.
      if (!patch.files.length) out.push('      no diff in this mail');
      for (const t of patch.trailers) {
        const from = t.origin === 'reply' ? `  (${t.viaCover ? 'reply to the cover letter' : 'reply'} on v${t.version}, ${t.file}:${t.line})` : '';
        const state = t.status === 'in-patch' || t.status === 'collected' ? '' : `  [${t.status}${t.notice ? `: ${t.notice}` : ''}]`;
        out.push(`      ${t.key}: ${t.value}${from}${state}`);
      }
    }
    if (!series.patches.length && series.coverDiffstat.length) {
      out.push(`  diffstat of the cover letter: ${series.coverDiffstat.length} files`);
    }
    for (const [i, version] of series.versions.entries()) {
      for (const d of version.dropped ?? []) {
        const before = series.versions[i - 1];
        out.push(`  ${version.label} drops ${before.label}'s [${d.index}/${before.total}] ${d.title}`);
      }
      for (const log of version.changelog) {
        // As the author wrote it: "Changes since v3" and "Changes for v3" say different things.
        const heading = log.heading ? `"${log.heading}"` : log.version;
        out.push(`  changelog in the ${version.label} mail, ${heading} (${log.file}:${log.line}):`);
        for (const line of log.lines) out.push(`    - ${line}`);
      }
      for (const reply of version.replies) {
        const who = reply.from ? reply.from.name || reply.from.email : 'unknown sender';
        // A reply with no subject and no threading says nothing of its version.
        const to = reply.answers !== undefined ? ` to ${version.label} ${reply.answers}/${version.total}` : reply.subject ? ` on ${version.label}` : '';
        out.push(`  reply${to} from ${who} (${reply.file}:${reply.line})`);
        for (const f of reply.files) {
          out.push(`      carries a diff: ${f.path}  ${f.added === null ? 'binary' : `+${f.added} -${f.deleted}`}`);
        }
        for (const t of reply.trailers ?? []) {
          out.push(`      ${t.key}: ${t.value}  [${t.status}${t.notice ? `: ${t.notice}` : ''}] (${t.file}:${t.line})`);
        }
      }
    }
    out.push('');
  }
  out.push(...problemsText(read));
  return out.join('\n');
}

/**
 * The "could not be read" block every text command ends with (empty when
 * all was read), so a file that gave nothing never passes in silence.
 */
export function problemsText(read: SeriesRead): string[] {
  const problems = [...read.problems.map(problemJson), ...emptyInputs(read)];
  if (!problems.length) return [];
  return ['could not be read:', ...problems.map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.message}`), ''];
}

/**
 * "1, 3-5", and where an older version of the same count has them (a b4
 * partial re-roll resends only what changed): "1, in v2".
 */
function missingText(series: SeriesJson): string {
  const latest = series.versions[series.versions.length - 1];
  const parts = [ranges(series.missing)];
  for (const older of series.versions.slice(0, -1).reverse()) {
    if (older.total !== latest.total) continue;
    const has = series.missing.filter((i) => older.patches.some((p) => p.index === i));
    if (has.length) parts.push(`${has.length === series.missing.length ? '' : ranges(has) + ' '}in v${older.version}`);
    break;
  }
  return parts.join(', ');
}

/** 1,3,4,5,9 -> "1, 3-5, 9" */
function ranges(numbers: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(j > i ? `${numbers[i]}-${numbers[j]}` : `${numbers[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

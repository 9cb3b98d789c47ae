/**
 * Messages -> series.  Patches and cover letters are grouped by thread first
 * (Message-ID / In-Reply-To / References), then by version and counter when
 * the threading headers are missing (archive copies, format-patch files);
 * groups of different versions with the same titles become one series.
 * Replies are attached to the version they answer.
 */
import type { MailMessage } from '../types.js';
import { findChangelogs } from './changelog.js';
import { readCoverSummary } from './cover.js';
import { readPatch } from './patch.js';
import { parseSubject, titleKey } from './subject.js';
import type { Patch, Series, SeriesVersion, SubjectInfo } from './types.js';

/** A counter above this is noise, not a series (keeps `missing` bounded). */
const MAX_SERIES_LENGTH = 999;

/** Series that share one grouping key (same author, version and count, no threading) told apart by title. */
const MAX_PARALLEL_SERIES = 50;

type Role = 'patch' | 'cover' | 'reply';

interface Classified {
  message: MailMessage;
  subject: SubjectInfo;
  role: Role;
  patch: Patch | null;
}

/** A version of a series while it is being put together. */
interface Group {
  key: string;
  version: number;
  total: number;
  cover: Patch | null;
  patches: Map<number, Patch>;
  /** Patches whose index collides with one already present (resends). */
  extra: Patch[];
  replies: MailMessage[];
  /** Title from a reply's subject when neither cover nor patch is present. */
  titleHint: string;
}

function classify(message: MailMessage): Classified {
  const subject = parseSubject(message.subject);
  if (subject.isReply || message.shape === 'quoted-reply') {
    return { message, subject, role: 'reply', patch: null };
  }
  const patch = readPatch(message, subject);
  if (subject.index === 0) return { message, subject, role: 'cover', patch };
  if (patch.diff || subject.isPatch) return { message, subject, role: 'patch', patch };
  // No subject prefix and no diff: a cover letter body (shortlog + diffstat)
  // or a plain reply that lost its headers.
  if (readCoverSummary(message.body).titles.length > 0) {
    return { message, subject, role: 'cover', patch };
  }
  return { message, subject, role: 'reply', patch: null };
}

export function assembleSeries(messages: readonly MailMessage[]): Series[] {
  const classified = uniqueMessages(messages).map(classify);
  const byId = new Map<string, Classified>();
  for (const c of classified) if (c.message.messageId) byId.set(c.message.messageId, c);

  const groups = new Map<string, Group>();
  const groupOfMessage = new Map<Classified, Group>();
  const getGroup = (key: string, version: number, total: number): Group => {
    let group = groups.get(key);
    if (!group) {
      group = { key, version, total, cover: null, patches: new Map(), extra: [], replies: [], titleHint: '' };
      groups.set(key, group);
    }
    group.total = Math.max(group.total, total);
    return group;
  };

  const covers = coverIndex(classified);
  // Cover letters first: patches thread under them.
  for (const c of classified) {
    if (c.role !== 'cover' || !c.patch) continue;
    const group = getGroup(coverKey(c), c.subject.version, c.subject.total ?? 0);
    // The key is the cover's own Message-ID (or file and position): one per group.
    if (!group.cover) group.cover = c.patch;
    groupOfMessage.set(c, group);
  }
  for (const c of classified) {
    if (c.role !== 'patch' || !c.patch) continue;
    const key = patchKey(c, byId, covers);
    const index = c.subject.index ?? 1;
    const title = titleKey(c.subject.title);
    let group = getGroup(key, c.subject.version, c.subject.total ?? 1);
    // The place is taken by a patch with another title: not a resend but
    // another series sent the same way (two unthreaded 1/3s by one author).
    for (let n = 2; n <= MAX_PARALLEL_SERIES; n++) {
      const taken = group.patches.get(index);
      if (!taken || titleKey(taken.subject.title) === title) break;
      group = getGroup(`${key}#${n}`, c.subject.version, c.subject.total ?? 1);
    }
    if (!group.patches.has(index)) group.patches.set(index, c.patch);
    else if (!c.patch.diff) {
      // `[PATCH] title` again with no diff: a reply whose `Re:` was lost.
      c.role = 'reply';
      continue;
    } else group.extra.push(c.patch);
    groupOfMessage.set(c, group);
  }
  for (const c of classified) {
    if (c.role !== 'reply') continue;
    const group = replyGroup(c, byId, groupOfMessage, groups) ?? placeholderGroup(c, getGroup);
    group.replies.push(c.message);
    groupOfMessage.set(c, group);
  }
  return mergeVersions([...groups.values()]);
}

/**
 * The same Message-ID twice (an mbox built from two lists' copies, a thread
 * saved twice) is one mail: the first copy stands for it.  So is the same
 * Message-ID-less mail twice.
 */
function uniqueMessages(messages: readonly MailMessage[]): MailMessage[] {
  const seen = new Set<string>();
  /** Bodies of the Message-ID-less mails seen, by sender, date and subject. */
  const bodies = new Map<string, string[]>();
  return messages.filter((m) => {
    if (m.messageId) {
      const key = `id:${m.messageId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }
    // Without a Message-ID (format-patch files), the same file given twice
    // is the same mail: same sender, date, subject and text.  The body is
    // compared, not made part of the key: a key holding a 20 MB body is a
    // copy of it (issue 13).
    const key = `${m.from?.email ?? ''}\n${m.date ?? ''}\n${m.subject}`;
    const same = bodies.get(key);
    if (same?.includes(m.body)) return false;
    if (same) same.push(m.body);
    else bodies.set(key, [m.body]);
    return true;
  });
}

function coverKey(c: Classified): string {
  return c.message.messageId ? `id:${c.message.messageId}` : `cover:${c.subject.version}:${titleKey(c.subject.title)}:${c.message.file}:${c.message.index}`;
}

/**
 * The group of a patch: the cover letter or first patch it threads under,
 * else its version, counter and author (format-patch files have no threading).
 * `seen` bounds the walk up a deep chain (each patch replying to the last).
 */
/**
 * The cover letter of an unthreaded patch (archive copies lose Message-IDs):
 * same version and count, and its shortlog names the patch; a cover with
 * no shortlog is taken when it is the only one by the patch's author.
 */
function coverListing(c: Classified, covers: CoverIndex): Classified | null {
  if (c.subject.total === null) return null;
  const same = covers.byCount(c.subject.version, c.subject.total);
  if (!same.length) return null;
  const title = titleKey(c.subject.title);
  const listing = same.find((k) => covers.titles(k).has(title));
  if (listing) return listing;
  const mine = c.patch ? authorKeys(c.patch) : [];
  const byAuthor = same.filter((k) => covers.titles(k).size === 0 && k.patch && authorKeys(k.patch).some((a) => a && mine.includes(a)));
  return byAuthor.length === 1 ? byAuthor[0] : null;
}

interface CoverIndex {
  /** Covers of this version and patch count. */
  byCount(version: number, total: number): Classified[];
  /** Title keys of a cover's shortlog (read once per cover). */
  titles(cover: Classified): Set<string>;
}

function coverIndex(classified: Classified[]): CoverIndex {
  const cache = new Map<Classified, Set<string>>();
  const byCount = new Map<string, Classified[]>();
  for (const k of classified) {
    if (k.role !== 'cover' || !k.patch) continue;
    const key = `${k.subject.version}/${k.subject.total}`;
    const list = byCount.get(key) ?? [];
    list.push(k);
    byCount.set(key, list);
  }
  return {
    byCount: (version, total) => byCount.get(`${version}/${total}`) ?? [],
    titles(cover) {
      let set = cache.get(cover);
      if (!set) cache.set(cover, (set = new Set(readCoverSummary(cover.message.body).titles.map(titleKey))));
      return set;
    },
  };
}

function patchKey(c: Classified, byId: Map<string, Classified>, covers: CoverIndex, seen = new Set<Classified>()): string {
  seen.add(c);
  const ancestors = [...c.message.references].reverse();
  if (c.message.inReplyTo) ancestors.unshift(c.message.inReplyTo);
  const parents = ancestors.map((id) => byId.get(id)).filter((p): p is Classified => p !== undefined);
  // A partial re-roll (v3 2/2 sent in reply to the v2 cover) is its own version.
  const cover = parents.find((p) => p.role === 'cover' && p.subject.version === c.subject.version);
  if (cover) return coverKey(cover);
  // `[PATCH 1/3]` threaded under `[PATCH v2 0/3]`: the sender dropped the v2
  // from the patches' subjects, not a v1.
  const versionless = parents.find(
    (p) => p.role === 'cover' && c.subject.version === 1 && p.subject.version > 1 && p.subject.total === c.subject.total && c.subject.total !== null,
  );
  if (versionless) return coverKey(versionless);
  const chained = parents.find(
    (p) => p.role === 'patch' && !seen.has(p) && p.subject.version === c.subject.version && p.subject.total === c.subject.total,
  );
  if (chained) return patchKey(chained, byId, covers, seen);
  const listed = coverListing(c, covers);
  if (listed) return coverKey(listed);
  if (c.subject.total !== null && c.subject.total > 1) {
    const author = c.patch?.author?.email.toLowerCase() ?? '';
    return `counter:${c.subject.version}:${c.subject.total}:${author}`;
  }
  return c.message.messageId ? `id:${c.message.messageId}` : `lone:${c.subject.version}:${titleKey(c.subject.title)}`;
}

/** The group of the message a reply answers, walking up the thread. */
function replyGroup(
  c: Classified,
  byId: Map<string, Classified>,
  groupOfMessage: Map<Classified, Group>,
  groups: Map<string, Group>,
): Group | null {
  const ancestors = [...c.message.references].reverse();
  if (c.message.inReplyTo) ancestors.unshift(c.message.inReplyTo);
  for (const id of ancestors) {
    const parent = byId.get(id);
    const group = parent ? groupOfMessage.get(parent) : undefined;
    if (group) return group;
  }
  // No threading headers (archive copies): match version and title.
  const title = titleKey(c.subject.title);
  if (!title) return null;
  for (const group of groups.values()) {
    if (group.version !== c.subject.version) continue;
    if (group.cover && titleKey(group.cover.subject.title) === title) return group;
    for (const patch of group.patches.values()) {
      if (titleKey(patch.subject.title) === title) return group;
    }
  }
  return null;
}

/** A reply to a message we do not have still tells us the series exists. */
function placeholderGroup(c: Classified, getGroup: (key: string, version: number, total: number) => Group): Group {
  const sender = c.message.from?.name || c.message.from?.email;
  const quoted = c.message.attributions?.find((a) => a.depth === 1)?.name;
  const who = sender ? `from ${sender}` : quoted ? `quoting ${quoted}` : 'from an unknown sender';
  const title = c.subject.title || `(a reply with no subject, ${who})`;
  const key = `reply:${c.subject.version}:${titleKey(title)}`;
  const group = getGroup(key, c.subject.version, c.subject.total ?? 0);
  if (!group.titleHint) group.titleHint = title;
  return group;
}

function groupTitle(group: Group): string {
  if (group.cover?.subject.title) return group.cover.subject.title;
  if (group.cover) {
    // A cover letter body without its headers (seed 004): say what it is.
    const names = /^(.{1,80}?) \(\d{1,4}\):/m.exec(group.cover.message.body);
    const by = names ? ` by ${names[1].trim()}` : '';
    const count = group.total || readCoverSummary(group.cover.message.body).titles.length;
    return `(cover letter with no subject: ${count} patches${by})`;
  }
  const first = [...group.patches.entries()].sort((a, b) => a[0] - b[0])[0];
  if (first) return first[1].subject.title;
  return group.titleHint;
}

/**
 * Titles that identify a group across versions, each with its author: a
 * generic title ("selftests/mm: fix build") in two people's series must not
 * make them one series.
 */
function identityKeys(group: Group): string[] {
  const keys: string[] = [];
  if (group.cover?.subject.title) {
    for (const who of authorKeys(group.cover)) keys.push(`c:${who}:${titleKey(group.cover.subject.title)}`);
  } else if (isPlaceholder(group)) keys.push(`r:${titleKey(group.titleHint)}`);
  for (const patch of group.patches.values()) {
    if (!patch.subject.title) continue;
    for (const who of authorKeys(patch)) keys.push(`p:${who}:${titleKey(patch.subject.title)}`);
  }
  return keys;
}

/**
 * A patch renamed between versions (real/049 v1 "introduce
 * pte_offset_map_{readonly|maywrite}_nolock()", real/009 v5
 * "..._{ro|rw}_nolock()"): same author, same place in the series, the same
 * two or more files, a title that starts the same.  Those two versions are
 * one series.
 */
function joinRetitledRevisions(groups: Group[], parent: number[], find: (i: number) => number): void {
  const buckets = new Map<string, { group: number; patch: Patch }[]>();
  groups.forEach((group, i) => {
    for (const [index, patch] of group.patches) {
      if (patch.files.length < 2) continue;
      const files = patch.files.map((f) => f.path).sort().join('\n');
      for (const who of authorKeys(patch)) {
        const key = `${who}\n${index}\n${files}`;
        const list = buckets.get(key) ?? [];
        if (list.length < MAX_PARALLEL_SERIES) list.push({ group: i, patch });
        buckets.set(key, list);
      }
    }
  });
  for (const list of buckets.values()) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const x = list[a];
        const y = list[b];
        if (groups[x.group].version === groups[y.group].version) continue;
        if (!similarTitles(x.patch.subject.title, y.patch.subject.title)) continue;
        parent[find(x.group)] = find(y.group);
      }
    }
  }
}

/** Titles that share their first 60% (the subsystem prefix and the verb, at least). */
function similarTitles(a: string, b: string): boolean {
  const x = titleKey(a);
  const y = titleKey(b);
  let common = 0;
  while (common < x.length && common < y.length && x[common] === y[common]) common++;
  return common >= 0.6 * Math.min(x.length, y.length);
}

/** A group of replies only: the message they answer is not in the input. */
function isPlaceholder(group: Group): boolean {
  return !group.cover && group.patches.size === 0 && !!group.titleHint;
}

/**
 * Who wrote a patch, as comparable keys: the address and the name, so that
 * a new employer's address or an archive that hides addresses still match.
 */
function authorKeys(patch: Patch): string[] {
  const a = patch.author;
  if (!a) return [''];
  const keys: string[] = [];
  if (a.email && !a.obfuscated) keys.push('e=' + a.email.trim().toLowerCase());
  if (a.name.trim()) keys.push('n=' + a.name.trim().toLowerCase());
  return keys.length ? keys : [''];
}

/** Joins groups that share a title into one series, one entry per version. */
function mergeVersions(groups: Group[]): Series[] {
  const owner = new Map<string, number>();
  const parent = groups.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  groups.forEach((group, i) => {
    for (const key of identityKeys(group)) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  joinRetitledRevisions(groups, parent, find);
  // Replies whose message is not here know only a title: they join the
  // series that has it, whoever wrote it.
  const byTitle = new Map<string, number>();
  groups.forEach((group, i) => {
    if (isPlaceholder(group)) return;
    for (const title of [group.cover?.subject.title, ...[...group.patches.values()].map((p) => p.subject.title)]) {
      if (title && !byTitle.has(titleKey(title))) byTitle.set(titleKey(title), i);
    }
  });
  groups.forEach((group, i) => {
    const j = isPlaceholder(group) ? byTitle.get(titleKey(group.titleHint)) : undefined;
    if (j !== undefined) parent[find(i)] = find(j);
  });
  const clusters = new Map<number, Group[]>();
  groups.forEach((group, i) => {
    const root = find(i);
    const list = clusters.get(root) ?? [];
    list.push(group);
    clusters.set(root, list);
  });
  const series: Series[] = [];
  for (const cluster of clusters.values()) {
    // A stable backport of v1 comes after the v1 posting it was taken from.
    cluster.sort((a, b) => a.version - b.version || Number(isBackport(a)) - Number(isBackport(b)));
    const versions = sameVersionsJoined(cluster).map(toVersion);
    const latest = cluster[cluster.length - 1];
    const covers = cluster.map((g) => g.cover).filter((c): c is Patch => c !== null);
    const coverBody = covers.length ? covers[covers.length - 1].message.body : '';
    const summary = readCoverSummary(coverBody);
    series.push({
      // A cover letter names the series best, even an older version's
      // (a partial re-roll resends patches without one).
      title: (covers.length ? groupTitle(cluster.filter((g) => g.cover).pop()!) : groupTitle(latest)) || summary.titles[0] || '(untitled)',
      versions,
      shortlogTitles: summary.titles,
      coverDiffstat: summary.files,
    });
  }
  return series;
}

/** Every patch says `commit X upstream` / `cherry picked from commit X`. */
function isBackport(group: Group): boolean {
  return group.patches.size > 0 && [...group.patches.values()].every((p) => p.upstreamCommit !== null);
}

/**
 * Two groups of one version and count with the same titles are one posting seen twice
 * (a whole-series RESEND, an unthreaded copy): one version, the later
 * copies as resends.  `groups` is sorted by version.
 */
function sameVersionsJoined(groups: Group[]): Group[] {
  const out: Group[] = [];
  for (const group of groups) {
    const last = out[out.length - 1];
    // A different count is a different posting (v1 of 2 patches, then "v1" of 3).
    if (!last || last.version !== group.version || (last.total && group.total && last.total !== group.total)) {
      out.push(group);
      continue;
    }
    const joined: Group = { ...last, patches: new Map(last.patches), extra: [...last.extra], replies: [...last.replies] };
    joined.total = Math.max(last.total, group.total);
    if (!joined.cover) joined.cover = group.cover;
    for (const [index, patch] of group.patches) {
      if (joined.patches.has(index)) joined.extra.push(patch);
      else joined.patches.set(index, patch);
    }
    joined.extra.push(...group.extra);
    joined.replies.push(...group.replies);
    out[out.length - 1] = joined;
  }
  return out;
}

function toVersion(group: Group): SeriesVersion {
  const patches = [...group.patches.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  let total = group.total;
  if (total === 0) total = group.cover ? readCoverSummary(group.cover.message.body).titles.length : patches.length;
  // `[PATCH 2/1]`: the sender miscounted; the series has at least 2 patches.
  for (const p of patches) {
    const index = p.subject.index ?? 1;
    if (p.subject.total === null || index <= p.subject.total) continue;
    total = Math.max(total, index);
    const header = p.message.headers.find((h) => h.name.toLowerCase() === 'subject');
    if (p.message.problems.some((q) => q.kind === 'subject-counter')) continue; // assembled before
    p.message.problems.push({
      file: p.message.file,
      line: header?.line ?? p.message.startLine,
      column: 1,
      kind: 'subject-counter',
      message: `the subject counts ${index}/${p.subject.total}: the index is past the total, so the series is taken to have at least ${index} patches`,
    });
  }
  const missing: number[] = [];
  if (total <= MAX_SERIES_LENGTH) {
    for (let i = 1; i <= total; i++) if (!group.patches.has(i)) missing.push(i);
  }
  const sources = [group.cover, ...patches].filter((p): p is Patch => p !== null).map((p) => p.message);
  const changelog = findChangelogs([...sources, ...group.replies]);
  const resent = group.extra;
  return {
    version: inferVersion(group, changelog),
    cover: group.cover,
    patches,
    total,
    missing,
    changelog,
    replies: group.replies,
    ...(resent.length ? { resent } : {}),
  };
}

/**
 * A cover letter that lost its subject still says which version it is:
 * "Changes since v1" is written in v2.
 */
function inferVersion(group: Group, changelog: SeriesVersion['changelog']): number {
  if (group.version !== 1 || group.cover?.subject.raw) return group.version;
  let since = 0;
  for (const entry of changelog) {
    const m = /^v(\d+)$/.exec(entry.version);
    if (m) since = Math.max(since, Number(m[1]));
  }
  return since ? since + 1 : group.version;
}

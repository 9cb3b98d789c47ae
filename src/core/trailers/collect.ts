/**
 * Tag collection across replies and versions (what `b4 am` does, and what it
 * drops silently, listed with a notice).
 *
 * Per patch of every version the list holds:
 *  - the patch's own trailers (`in-patch`);
 *  - tags from replies (`collected`): a reply to a reply reaches the patch
 *    it answers (In-Reply-To chain, then References, nearest first); a reply
 *    to the cover letter applies to every patch of that version; the sender
 *    must match the tag's address (b4's fuzzy match) or name, otherwise the
 *    tag is kept apart (`mismatch`, TAG-SENDER-MISMATCH) as b4's "ignored
 *    due to from/email mismatches"; a tag the patch already carries is
 *    merged silently, whoever restates it (upstream b4);
 *  - tags written inline in prose, with an obfuscated address or with none
 *    (`unconfirmed`: TAG-INLINE / TAG-OBFUSCATED / TAG-NO-EMAIL; an
 *    address is recovered from other messages of the same person when the
 *    input has one);
 *  - tags of the previous version: `carried` when the diff's patch-id is
 *    unchanged, `dropped` (TAG-DROPPED) when it changed; a tag given in a
 *    reply that the next version's patch does not carry is TAG-NOT-APPLIED;
 *    a tag that vanished from the patch itself with no changelog line that
 *    explains it is TAG-DROPPED.
 * Which of them an am-ready mbox carries: `in-patch`, `collected`, `carried`.
 */
import type { Finding, Severity } from '../findings.js';
import type { Address, MailMessage, SourcePos } from '../types.js';
import type { Patch, Series, SeriesVersion, Trailer } from '../series/types.js';
import { PERSON_TRAILER_KEYS, canonicalKey } from './keys.js';
import { patchId } from './patchid.js';
import { canonicalEmail, isObfuscated, obfuscatedMatches, parsePerson, sameEmail, sameName } from './person.js';
import { sameNameTags, sameTags } from './tagindex.js';
import { findReplyTags, type ReplyTag } from './replies.js';
import { commitParts } from './commit.js';
import { previousOf } from './compare.js';
import { parseSubject, titleKey } from '../series/subject.js';

export type TagStatus = 'in-patch' | 'collected' | 'carried' | 'dropped' | 'mismatch' | 'unconfirmed';

export interface CollectedTag extends Trailer {
  status: TagStatus;
  /** How it was written: the patch's trailer block, a tag line in a reply, prose, a quote. */
  via: 'patch' | 'line' | 'inline' | 'quoted';
  /** The reply was to the cover letter: the tag applies to every patch of the version. */
  viaCover: boolean;
  /** Sender of the message holding the tag. */
  sender: Address | null;
  messageId: string | null;
  /** An address found in other messages of the same person, for an obfuscated or missing one. */
  recoveredEmail?: string;
  /** Why the tag is kept apart or carried; shown next to it. */
  notice?: string;
}

export interface PatchTrailers {
  series: Series;
  version: SeriesVersion;
  patch: Patch;
  /** 1-based index in the series (0 for a lone patch). */
  index: number;
  tags: CollectedTag[];
}

export interface CollectedTrailers {
  patches: PatchTrailers[];
  findings: Finding[];
  /** Tags given in replies to cover letters (they are also in each patch's list). */
  coverTags: { version: SeriesVersion; tags: CollectedTag[] }[];
  /**
   * Tags in replies whose patch is not in the input (a review saved on its
   * own): shown, never applied.
   */
  orphans: { series: Series | null; version: SeriesVersion | null; message: MailMessage; tags: CollectedTag[] }[];
  of(patch: Patch): PatchTrailers | undefined;
}

/** Tags that say someone looked at the code: what carries across versions. */
const REVIEW_KEYS = new Set(['reviewed-by', 'acked-by', 'tested-by']);
const MAX_THREAD_DEPTH = 200;

function sameValue(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim().toLowerCase() === b.replace(/\s+/g, ' ').trim().toLowerCase();
}

function finding(rule: string, severity: Severity, pos: SourcePos, message: string): Finding {
  return { rule, severity, file: pos.file, line: pos.line, column: pos.column, message };
}

function posOf(message: MailMessage, bodyLine: number): SourcePos {
  const map = message.bodyMap;
  if (bodyLine < map.length) return { file: message.file, line: map.line(bodyLine), column: map.column(bodyLine) };
  return { file: message.file, line: message.startLine, column: 1 };
}

function describe(tag: { key: string; value: string }): string {
  return `${tag.key}: ${tag.value}`;
}

type Target = { kind: 'patch'; entry: PatchTrailers } | { kind: 'cover'; version: SeriesVersion; entries: PatchTrailers[] };

export function collectTrailers(series: readonly Series[], messages: readonly MailMessage[]): CollectedTrailers {
  const findings: Finding[] = [];
  const patches: PatchTrailers[] = [];
  const byPatch = new Map<Patch, PatchTrailers>();
  const targetOfMessage = new Map<MailMessage, Target>();
  const versionEntries = new Map<SeriesVersion, PatchTrailers[]>();
  const coverTags: { version: SeriesVersion; tags: CollectedTag[] }[] = [];
  const orphans: CollectedTrailers['orphans'] = [];

  // 1. Every patch with its own trailers.
  for (const s of series) {
    for (const v of s.versions) {
      const entries: PatchTrailers[] = [];
      for (const patch of v.patches) {
        const entry: PatchTrailers = { series: s, version: v, patch, index: patch.subject.index ?? 0, tags: [] };
        for (const t of commitParts(patch).trailers) {
          // Only the same line twice is a duplicate: `Cc: <stable@vger.kernel.org> # 6.1`
          // next to a bare one says something the bare one does not (real/059).
          const dup = sameTags(entry.tags, t).find((o) => sameValue(o.value, t.value));
          if (dup) {
            findings.push(finding('TAG-DUPLICATE', 'info', t.pos, `${describe(t)} appears twice in the patch (also at line ${dup.pos.line}).`));
            continue;
          }
          entry.tags.push({ ...t, key: t.key, status: 'in-patch', via: 'patch', viaCover: false, sender: patch.author, messageId: patch.message.messageId });
        }
        entries.push(entry);
        patches.push(entry);
        byPatch.set(patch, entry);
        targetOfMessage.set(patch.message, { kind: 'patch', entry });
      }
      // A RESEND of a patch is the same patch: replies to it count for it, and
      // tags the author added when resending are the patch's own.
      for (const copy of v.resent ?? []) {
        const entry = entries.find((e) => e.index === (copy.subject.index ?? 0));
        if (!entry) continue;
        targetOfMessage.set(copy.message, { kind: 'patch', entry });
        for (const t of commitParts(copy).trailers) {
          if (sameTags(entry.tags, t).length) continue;
          entry.tags.push({ ...t, status: 'in-patch', via: 'patch', viaCover: false, sender: copy.author, messageId: copy.message.messageId });
        }
      }
      versionEntries.set(v, entries);
      if (v.cover) targetOfMessage.set(v.cover.message, { kind: 'cover', version: v, entries });
    }
  }

  // 2. Replies, in input order (the order b4 receives them in).
  const byId = new Map<string, MailMessage>();
  for (const m of messages) if (m.messageId && !byId.has(m.messageId)) byId.set(m.messageId, m);
  const replyVersion = new Map<MailMessage, SeriesVersion>();
  const replySeries = new Map<MailMessage, Series>();
  for (const s of series) {
    for (const v of s.versions) {
      for (const r of v.replies) {
        replyVersion.set(r, v);
        replySeries.set(r, s);
      }
    }
  }
  const people = knownPeople(series, messages);

  for (const message of messages) {
    if (targetOfMessage.has(message)) continue;
    const { target, parentMissing } = findTarget(message, byId, targetOfMessage, replyVersion, versionEntries);
    const tags = findReplyTags(message, { quotedParent: parentMissing });
    if (!target) {
      const version = replyVersion.get(message) ?? null;
      const kept = tags
        .map((tag) => judge(tag, message, version?.version ?? 1, false, people, findings))
        .filter((t): t is CollectedTag => t !== null)
        .map((t) => (t.status === 'collected' ? { ...t, status: 'unconfirmed' as const, notice: 'the patch it answers is not in the input' } : t));
      if (kept.length) orphans.push({ series: replySeries.get(message) ?? null, version, message, tags: kept });
      continue;
    }
    for (const tag of tags) {
      const entries = target.kind === 'patch' ? [target.entry] : target.entries;
      // Restating what the patch already carries (quoting it, say) is no news.
      const probe = { key: canonicalKey(tag.key), value: tag.value, name: tag.person.name || null, email: tag.person.email || null };
      if (entries.every((e) => sameTags(e.tags, probe).some((o) => o.status === 'in-patch'))) continue;
      const version = target.kind === 'patch' ? target.entry.version.version : target.version.version;
      const collected = judge(tag, message, version, target.kind === 'cover', people, findings);
      if (!collected) continue;
      if (target.kind === 'cover') {
        let cover = coverTags.find((c) => c.version === target.version);
        if (!cover) coverTags.push((cover = { version: target.version, tags: [] }));
        if (!sameTags(cover.tags, collected).some((o) => o.status === collected.status)) cover.tags.push(collected);
      }
      for (const entry of entries) addTag(entry, collected, findings);
    }
  }

  // 3. Across versions, oldest first so carried tags carry again.
  for (const s of series) {
    for (let i = 1; i < s.versions.length; i++) {
      const prev = versionEntries.get(s.versions[i - 1]) ?? [];
      const cur = versionEntries.get(s.versions[i]) ?? [];
      for (const entry of cur) {
        const before = matchPrevious(entry, prev);
        if (before) carryAcross(before, entry, findings);
      }
    }
  }

  return { patches, findings: latestPerTag(findings), coverTags, orphans, of: (patch) => byPatch.get(patch) };
}

/**
 * A tag followed through v1 -> v2 -> v3 is reported once, for the newest
 * version it fails to reach, at the line where it was given.
 */
function latestPerTag(all: Finding[]): Finding[] {
  // A cover-letter tag is judged once per patch: one notice is enough.
  const seen = new Set<string>();
  const findings = all.filter((f) => {
    const k = `${f.rule}|${f.file}|${f.line}|${f.column}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const lastIndex = new Map<string, number>();
  findings.forEach((f, i) => {
    if (f.rule === 'TAG-NOT-APPLIED' || f.rule === 'TAG-DROPPED') lastIndex.set(`${f.rule}|${f.file}|${f.line}|${f.column}`, i);
  });
  return findings.filter((f, i) => {
    if (f.rule !== 'TAG-NOT-APPLIED' && f.rule !== 'TAG-DROPPED') return true;
    return lastIndex.get(`${f.rule}|${f.file}|${f.line}|${f.column}`) === i;
  });
}

/** Where a reply belongs: the In-Reply-To chain first, then References, then its version's patches. */
function findTarget(
  message: MailMessage,
  byId: Map<string, MailMessage>,
  targets: Map<MailMessage, Target>,
  replyVersion: Map<MailMessage, SeriesVersion>,
  versionEntries: Map<SeriesVersion, PatchTrailers[]>,
): { target: Target | null; parentMissing: boolean } {
  const parentMissing = !message.inReplyTo || !byId.has(message.inReplyTo);
  let current: MailMessage | undefined = message;
  for (let depth = 0; current && depth < MAX_THREAD_DEPTH; depth++) {
    const parentId: string | null = current.inReplyTo;
    const parent: MailMessage | undefined = parentId ? byId.get(parentId) : undefined;
    if (!parent || parent === current) break;
    const t = targets.get(parent);
    if (t) return { target: t, parentMissing };
    current = parent;
  }
  for (let i = message.references.length - 1; i >= 0; i--) {
    const ref = byId.get(message.references[i]);
    const t = ref && targets.get(ref);
    if (t) return { target: t, parentMissing };
  }
  // No threading headers (an archive copy): the version the series put it in,
  // then the patch whose files its quoted diff touches.
  const version = replyVersion.get(message);
  if (!version) return { target: null, parentMissing };
  const entries = versionEntries.get(version) ?? [];
  // `Re: [PATCH v2 3/5] title` names the patch: believe it when that patch has the title.
  const subject = parseSubject(message.subject);
  if (subject.isReply && subject.index !== null && subject.version === version.version) {
    if (subject.index === 0 && version.cover && entries.length > 0) return { target: { kind: 'cover', version, entries }, parentMissing };
    const named = entries.find((e) => e.index === subject.index && titleKey(e.patch.subject.title) === titleKey(subject.title));
    if (named) return { target: { kind: 'patch', entry: named }, parentMissing };
  }
  const quotedFiles = new Set<string>();
  for (const q of message.quotedDiffs) {
    for (const m of q.text.matchAll(/^(?:\+\+\+ b\/|--- a\/|diff --git a\/)(\S+)/gm)) quotedFiles.add(m[1]);
  }
  let best: PatchTrailers | null = null;
  let bestScore = 0;
  for (const e of entries) {
    const score = e.patch.files.filter((f) => quotedFiles.has(f.path)).length;
    if (score > bestScore) [best, bestScore] = [e, score];
  }
  if (best) return { target: { kind: 'patch', entry: best }, parentMissing };
  if (entries.length === 1) return { target: { kind: 'patch', entry: entries[0] }, parentMissing };
  if (version.cover && entries.length > 0) return { target: { kind: 'cover', version, entries }, parentMissing };
  return { target: null, parentMissing };
}

interface KnownPerson {
  name: string;
  email: string;
}

/** Every name/address pair the input shows, to recover hidden or missing addresses. */
function knownPeople(series: readonly Series[], messages: readonly MailMessage[]): KnownPerson[] {
  const out: KnownPerson[] = [];
  const seen = new Set<string>();
  const add = (name: string | null | undefined, email: string | null | undefined) => {
    if (!name || !email || isObfuscated(email) || !email.includes('@')) return;
    const k = `${name.toLowerCase()}\n${email.toLowerCase()}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ name, email });
  };
  for (const m of messages) {
    add(m.from?.name, m.from?.email);
    for (const a of [...m.to, ...m.cc]) add(a.name, a.email);
  }
  for (const s of series) for (const v of s.versions) for (const p of v.patches) for (const t of commitParts(p).trailers) add(t.name, t.email);
  return out;
}

function recoverEmail(name: string, hidden: string, people: KnownPerson[]): string | undefined {
  const n = name.toLowerCase();
  const byHidden = hidden ? people.find((p) => obfuscatedMatches(hidden, p.email)) : undefined;
  if (byHidden) return byHidden.email;
  return n ? people.find((p) => p.name.toLowerCase() === n)?.email : undefined;
}

/** Decides what a reply tag is: collected, kept apart, or unconfirmed; records the notice. */
function judge(
  tag: ReplyTag,
  message: MailMessage,
  version: number,
  viaCover: boolean,
  people: KnownPerson[],
  findings: Finding[],
): CollectedTag | null {
  const pos = posOf(message, tag.bodyLine);
  const sender = message.from;
  const isPerson = PERSON_TRAILER_KEYS.has(tag.key.toLowerCase());
  let value = tag.value;
  // HTML mailers: `a@b<mailto:a@b>`; keep what the person meant.
  if (/<mailto:/i.test(value)) value = `${tag.person.name} <${tag.person.email}>`;
  const base: CollectedTag = {
    key: canonicalKey(tag.key),
    value,
    name: tag.person.name || null,
    email: tag.person.email || null,
    origin: 'reply',
    version,
    pos,
    status: 'collected',
    via: tag.via,
    viaCover,
    sender,
    messageId: message.messageId,
  };
  const who = sender ? `${sender.name}${sender.email ? ` <${sender.email}>` : ''}` : 'an unknown sender';

  if (tag.via === 'inline') {
    base.status = 'unconfirmed';
    base.notice = `written inside prose by ${who}: confirm before applying`;
    findings.push(finding('TAG-INLINE', 'warning', pos, `${describe(tag)} is written inside a sentence, not on its own line; b4 ignores it. Confirm before applying.`));
    return base;
  }
  if (isPerson && tag.person.obfuscated) {
    base.recoveredEmail = recoverEmail(tag.person.name, tag.person.email, people);
    base.status = 'unconfirmed';
    base.notice = base.recoveredEmail
      ? `address hidden by the archive; ${base.recoveredEmail} found in other messages of ${tag.person.name}`
      : 'address hidden by the archive and not found elsewhere in the input';
    findings.push(
      finding('TAG-OBFUSCATED', base.recoveredEmail ? 'info' : 'warning', pos, `${describe(tag)}: the address is obfuscated; ${base.recoveredEmail ? `recovered as <${base.recoveredEmail}> from other messages` : 'no other message of this person shows it'}.`),
    );
    if (tag.via === 'quoted') base.notice += `; quoted from ${tag.attributedTo}'s reply, which is not in the input`;
    return base;
  }
  if (isPerson && !tag.person.email) {
    base.recoveredEmail = recoverEmail(tag.person.name, '', people);
    base.status = 'unconfirmed';
    base.notice = base.recoveredEmail ? `no address; ${base.recoveredEmail} found in other messages` : 'no address';
    findings.push(finding('TAG-NO-EMAIL', 'warning', pos, `${describe(tag)} has no address; b4 ignores it.${base.recoveredEmail ? ` The input shows <${base.recoveredEmail}> for this name.` : ''}`));
    return base;
  }
  if (tag.via === 'quoted') {
    base.status = 'unconfirmed';
    base.notice = `quoted from ${tag.attributedTo}'s reply, which is not in the input`;
    findings.push(finding('TAG-NOT-APPLIED', 'info', pos, `${describe(tag)} is only seen quoted (from ${tag.attributedTo}); the reply that gave it is not in the input.`));
    return base;
  }
  if (isPerson && sender) {
    const match =
      (tag.person.email && sender.email && sameEmail(tag.person.email, sender.email)) || sameName(tag.person.name, sender.name);
    if (!match) {
      base.status = 'mismatch';
      base.notice = `sent by ${who}`;
      return base; // reported once per patch in addTag (b4 lists it once per series)
    }
  }
  return base;
}

/** Adds a reply tag to a patch: merged when the patch already has it. */
function addTag(entry: PatchTrailers, tag: CollectedTag, findings: Finding[]): void {
  const existing = sameTags(entry.tags, tag)[0];
  if (existing) {
    if (existing.status === 'in-patch') return; // restating what the patch says is no news (upstream b4)
    if (existing.status === tag.status && existing.messageId !== tag.messageId && tag.status === 'collected') {
      findings.push(finding('TAG-DUPLICATE', 'info', tag.pos, `${describe(tag)} was already given at ${existing.pos.file}:${existing.pos.line}; merged.`));
    }
    if (existing.status === tag.status || existing.status === 'collected') return;
  }
  const twin = tag.email ? sameNameTags(entry.tags, tag).find((o) => !!o.email) : undefined;
  if (twin && tag.status === 'collected' && !sameTags(entry.tags, tag).some((o) => o.pos === tag.pos)) {
    findings.push(
      finding('TAG-DUPLICATE', 'warning', tag.pos, `${describe(tag)}: ${tag.name} also gave ${twin.key} as <${twin.email}> (${twin.pos.file}:${twin.pos.line}); the addresses differ, one may be mistyped.`),
    );
  }
  if (tag.status === 'mismatch' && !sameTags(entry.tags, tag).some((o) => o.status === 'mismatch' && o.pos === tag.pos)) {
    findings.push(
      finding('TAG-SENDER-MISMATCH', 'warning', tag.pos, `${describe(tag)} ignored: ${tag.notice}, which matches neither its address nor its name (b4: "ignored due to from/email mismatches").`),
    );
  }
  entry.tags.push({ ...tag });
}

/** The patch of the previous version this one re-rolls (compare.ts previousOf). */
function matchPrevious(entry: PatchTrailers, prev: PatchTrailers[]): PatchTrailers | null {
  const p = previousOf(entry.patch, prev.map((e) => e.patch));
  return p ? (prev.find((e) => e.patch === p) ?? null) : null;
}

/**
 * The changelog line of this version that accounts for its tags changing,
 * or null: "Propagated tags (thanks Vlastimil, Suren!)" (seed 003), "Dropped
 * R-b due to the rework", "Removed Vlastimil's Reviewed-by".
 */
export function changelogExplains(version: SeriesVersion, tag: { name: string | null }): { line: string; pos: SourcePos } | null {
  const first = (tag.name ?? '').toLowerCase().split(/\s+/)[0] ?? '';
  for (const c of version.changelog) {
    for (const line of c.lines) {
      const l = line.toLowerCase();
      const verb = /(propagat|pick(?:ed)? up|collect|carr(?:y|ied)|add(?:ed)?|drop|remov|lost|strip|did not (?:pick|carry|keep)|didn't (?:pick|carry|keep))/.test(l);
      if (!verb) continue;
      if (/\b(tags?|trailers?|r-?bs?|a-?bs?|t-?bs?|acks?|reviews?|review(?:ed)?-by|acked-by|tested-by)\b/.test(l)) return { line, pos: c.pos };
      if (first.length > 2 && l.includes(first) && /(drop|remov)/.test(l)) return { line, pos: c.pos };
    }
  }
  return null;
}

function carryAcross(before: PatchTrailers, entry: PatchTrailers, findings: Finding[]): void {
  const oldId = patchId(before.patch.diff);
  const newId = patchId(entry.patch.diff);
  const unchanged = oldId !== null && oldId === newId;
  const to = `v${entry.version.version}`;
  for (const tag of before.tags) {
    if (!REVIEW_KEYS.has(tag.key.toLowerCase())) continue;
    if (tag.status !== 'in-patch' && tag.status !== 'collected' && tag.status !== 'carried') continue;
    const same = sameTags(entry.tags, tag);
    if (same.some((o) => o.status === 'in-patch' || o.status === 'collected' || o.status === 'carried')) continue;
    if (same.some((o) => o.status === tag.status)) continue;
    const explained = changelogExplains(entry.version, tag) !== null;
    const wasInPatch = tag.via === 'patch';
    const where = wasInPatch ? `in v${tag.version}'s patch` : `given on v${tag.version} in a reply`;
    if (unchanged) {
      entry.tags.push({ ...tag, status: 'carried', notice: `${where}; the diff is unchanged in ${to} (same patch-id)` });
      if (wasInPatch && !explained) {
        findings.push(finding('TAG-DROPPED', 'warning', tag.pos, `${describe(tag)} was ${where} but is missing from ${to}, whose diff is unchanged, and no changelog line explains it.`));
      } else if (!wasInPatch) {
        findings.push(finding('TAG-NOT-APPLIED', 'warning', tag.pos, `${describe(tag)} ${where} is not in ${to}'s patch; the diff is unchanged, so it carries over.`));
      }
    } else {
      entry.tags.push({ ...tag, status: 'dropped', notice: `${where}; the code changed in ${to}` });
      findings.push(
        finding('TAG-DROPPED', explained ? 'info' : 'warning', tag.pos, `${describe(tag)} ${where} does not carry to ${to}: the code changed${explained ? ' (the changelog says so)' : ''}.`),
      );
    }
  }
}

/** Tags an am-ready mbox of the patch carries: its own, then new ones in the order received. */
export function amTags(entry: PatchTrailers): CollectedTag[] {
  return entry.tags.filter((t) => t.status === 'in-patch' || t.status === 'collected' || t.status === 'carried');
}

export { parsePerson, canonicalEmail };

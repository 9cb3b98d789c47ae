/**
 * An am-ready mbox of one version with the collected trailers, in b4's order
 * (b4 `LoreMessage.fix_trailers`, upstream at 1f2f768c):
 *  - trailers already in the patch stay where they are;
 *  - new ones follow in the order they were received (replies in input
 *    order, cover-letter tags where their reply falls, carried ones last);
 *  - with a trailer order (`Cc,Tested*,Reviewed*,*`, b4's `trailer-order`),
 *    the new ones, plus the patch's own trailers after its last
 *    Signed-off-by (still in our chain of custody), are sorted by the first
 *    glob they match;
 *  - the applier's own Signed-off-by always goes last.
 */
import type { MailMessage } from '../types.js';
import type { Patch, Series, SeriesVersion } from '../series/types.js';
import type { CollectedTag, CollectedTrailers, PatchTrailers } from './collect.js';
import { layoutBody } from '../series/patch.js';
import { SplitLines } from '../mail/lines.js';
import { parsePerson, sameEmail } from './person.js';
import { findTrailerBlock } from './parse.js';
import { commitParts } from './commit.js';

export interface AmOptions {
  /** b4 trailer-order syntax: comma-separated globs, `*` = as received. */
  order?: string;
  /** Add no trailers from replies (b4 `--no-add-trailers`). */
  noAdd?: boolean;
  /** Also apply tags whose sender does not match (b4 `-S`). */
  sloppy?: boolean;
  /** Apply tags sent to the cover letter to every patch (default true; b4 0.12 needs `-t`). */
  coverTrailers?: boolean;
  /** Apply tags carried from an earlier version with an unchanged diff (default true). */
  carried?: boolean;
  /** The applier's Signed-off-by, added last (b4 `-s`). */
  mySignoff?: { name: string; email: string };
  /** Add a link trailer per patch; `%s` is the Message-ID (b4 `-l`, linktrailermask). */
  linkTrailer?: string;
  /** Add `Cc:` for every To/Cc address not already named (b4 `--copy-ccs`). */
  copyCcs?: boolean;
  /** Addresses whose tags are never applied (b4 `trailers-ignore-from`). */
  ignoreFrom?: string[];
  /**
   * Also apply tags that need confirmation (inline in prose, hidden or
   * missing address) when an address is known for them; the caller shows
   * each one's notice.
   */
  unconfirmed?: boolean;
}

export const DEFAULT_LINK_TRAILER = 'Link: https://patch.msgid.link/%s';

interface Line {
  key: string;
  value: string;
}

function lineOf(t: { key: string; value: string }): Line {
  return { key: t.key, value: t.value };
}

function lname(l: Line): string {
  return l.key.toLowerCase();
}

/** b4's trailer equality: same key, same address for persons, else same value. */
function equal(a: Line, b: Line): boolean {
  if (lname(a) !== lname(b)) return false;
  const pa = parsePerson(a.value);
  const pb = parsePerson(b.value);
  if (pa.email && pb.email) return pa.email.toLowerCase() === pb.email.toLowerCase();
  return a.value.trim().toLowerCase() === b.value.trim().toLowerCase();
}

/** The address a tag can be applied with: recovered, or as written when not hidden. */
export function usableAddress(t: CollectedTag): string | null {
  if (t.recoveredEmail) return t.recoveredEmail;
  if (t.email && t.email.includes('@') && !t.email.includes('...') && !/protected\]/.test(t.email)) return t.email;
  return null;
}

/** fnmatch with `*` and `?`, case-insensitive; no backtracking blowup on short globs. */
function globMatch(glob: string, text: string): boolean {
  const re = new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(text);
}

/** The trailer lines an am of this patch carries, in b4's order. */
export function amTrailerLines(entry: PatchTrailers, options: AmOptions = {}): Line[] {
  const own = entry.tags.filter((t) => t.status === 'in-patch').map(lineOf);
  const wanted = (t: CollectedTag): boolean => {
    if (t.status === 'collected') return !(t.viaCover && options.coverTrailers === false);
    if (t.status === 'carried') return options.carried !== false;
    if (t.status === 'mismatch') return !!options.sloppy;
    if (t.status === 'unconfirmed') return !!options.unconfirmed && usableAddress(t) !== null;
    return false;
  };
  const asLine = (t: CollectedTag): Line => {
    if (t.status !== 'unconfirmed') return lineOf(t);
    return { key: t.key, value: `${t.name ?? ''} <${usableAddress(t)}>`.trim() };
  };
  let fresh: Line[] = options.noAdd ? [] : entry.tags.filter(wanted).map(asLine);
  const mySob = options.mySignoff ? { key: 'Signed-off-by', value: `${options.mySignoff.name} <${options.mySignoff.email}>` } : null;
  let addMySob = !!mySob;
  let body = own;
  if (mySob) {
    // Our own sign-off always moves to the bottom.
    if (body.some((l) => equal(l, mySob))) body = body.filter((l) => !equal(l, mySob));
    fresh = fresh.filter((l) => !equal(l, mySob));
  }
  if (options.linkTrailer) {
    const [key, ...rest] = options.linkTrailer.replace('%s', entry.patch.message.messageId ?? '').split(':');
    fresh.push({ key: key.trim(), value: rest.join(':').trim() });
  }
  if (options.copyCcs) fresh.push(...copiedCcs(entry.patch.message, [...body, ...fresh]));

  if (options.order && options.order.trim() !== '*') {
    // Trailers after the last Signed-off-by are still in our chain of custody.
    let lastSob = -1;
    body.forEach((l, i) => {
      if (lname(l) === 'signed-off-by') lastSob = i;
    });
    const custody = body.slice(lastSob + 1);
    body = body.slice(0, lastSob + 1);
    fresh = [...custody, ...fresh];
    const ordered: Line[] = [];
    for (const glob of options.order.split(',').map((g) => g.trim().toLowerCase())) {
      if (!fresh.length) break;
      const hit = fresh.filter((l) => globMatch(glob, lname(l)));
      ordered.push(...hit);
      fresh = fresh.filter((l) => !hit.includes(l));
    }
    fresh = [...ordered, ...fresh];
  }

  const ignore = (options.ignoreFrom ?? []).map((e) => e.toLowerCase());
  const out = [...body];
  for (const l of fresh) {
    if (out.some((o) => equal(o, l))) continue;
    const p = parsePerson(l.value);
    if (p.email && ignore.includes(p.email.toLowerCase())) continue;
    out.push(l);
  }
  if (addMySob && mySob) out.push(mySob);
  return out;
}

function copiedCcs(message: MailMessage, present: Line[]): Line[] {
  const dests = [...message.to, ...message.cc].filter((a) => a.email);
  dests.sort((a, b) => sortKey(a.email).localeCompare(sortKey(b.email)));
  const out: Line[] = [];
  for (const d of dests) {
    const known = [...present, ...out].some((l) => {
      const p = parsePerson(l.value);
      return !!p.email && sameEmail(p.email, d.email);
    });
    if (!known) out.push({ key: 'Cc', value: d.name && d.name !== d.email ? `${d.name} <${d.email}>` : d.email });
  }
  return out;
}

function sortKey(email: string): string {
  const at = email.indexOf('@');
  return at > 0 ? email.slice(at + 1) + email.slice(0, at) : email;
}

/** One patch as an mbox message `git am` applies: commit message, trailers, `---`, the rest. */
export function amMessage(entry: PatchTrailers, options: AmOptions = {}): string {
  const patch = entry.patch;
  const m = patch.message;
  const lines = new SplitLines(m.body);
  const layout = layoutBody(lines);
  const s = patch.subject;
  const prefix = ['PATCH'];
  if (s.rfc) prefix.unshift('RFC');
  if (s.version > 1) prefix.push(`v${s.version}`);
  if (s.index !== null && s.total !== null && s.total > 0) prefix.push(`${s.index}/${s.total}`);
  const header = [
    'From git@z Thu Jan  1 00:00:00 1970',
    `Subject: [${prefix.join(' ')}] ${s.title}`,
    `From: ${patch.author ? (patch.author.name && patch.author.name !== patch.author.email ? `${patch.author.name} <${patch.author.email}>` : patch.author.email) : 'unknown'}`,
  ];
  if (m.date) header.push(`Date: ${m.date}`);
  if (m.messageId) header.push(`Message-Id: <${m.messageId}>`);
  header.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: 8bit');
  const trailers = amTrailerLines(entry, options).map((l) => `${l.key}: ${l.value}`);
  const commit = commitParts(patch).message;
  let rest = lines.slice(layout.messageEnd);
  if (rest[0] !== '---') rest = ['---', ...rest];
  while (rest.length && rest[rest.length - 1] === '') rest.pop();
  const body = [commit, ...(commit && trailers.length ? [''] : []), ...trailers, ...rest];
  // mboxrd: escape `From ` lines in the body.
  const escaped = body.map((l) => (/^>*From /.test(l) ? '>' + l : l));
  return [...header, '', ...escaped, ''].join('\n') + '\n';
}

/**
 * The am-ready mbox of the latest version of a series.  A partial re-roll
 * (patches missing from the latest version) takes them from the newest
 * earlier version that has them, as b4 does.
 */
export function writeAmMbox(collected: CollectedTrailers, series: Series, options: AmOptions = {}): string {
  const latest = series.versions[series.versions.length - 1];
  if (!latest) return '';
  const chosen: Patch[] = [...latest.patches];
  for (const index of latest.missing) {
    for (let v = series.versions.length - 2; v >= 0; v--) {
      const p = series.versions[v].patches.find((x) => x.subject.index === index);
      if (p) {
        chosen.push(p);
        break;
      }
    }
  }
  chosen.sort((a, b) => (a.subject.index ?? 0) - (b.subject.index ?? 0));
  let out = '';
  for (const p of chosen) {
    const entry = collected.of(p);
    if (entry) out += amMessage(entry, options);
  }
  return out;
}

export type { SeriesVersion };

/**
 * Adds trailers to a commit message (what `b4 trailers -u` does to a local
 * commit): after the existing trailer block, before any `---` notes kept in
 * the message; those already present are not repeated.
 */
export function appendTrailers(message: string, trailers: readonly { key: string; value: string }[]): string {
  const lines = message.split('\n');
  const block = findTrailerBlock(lines);
  const present = block.trailers.map((t) => ({ key: t.key, value: t.value }));
  const add = trailers.filter((t) => !present.some((p) => equal(p, t))).map((t) => `${t.key}: ${t.value}`);
  if (!add.length) return message;
  if (block.start >= 0) {
    lines.splice(block.end, 0, ...add);
    return lines.join('\n');
  }
  let at = block.messageEnd;
  while (at > 0 && lines[at - 1].trim() === '') at--;
  lines.splice(at, 0, ...(at > 0 ? [''] : []), ...add);
  return lines.join('\n');
}

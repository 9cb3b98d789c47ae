/**
 * Finding the tags of a list that name the same person for the same key
 * (sameTag), without comparing every pair: a patch with 2,500 Reviewed-by
 * lines took 5 s when each new tag was compared with all the others
 * (issue 13).
 *
 * sameTag(a, b) holds only when the keys match and one of these does:
 *   - both have a usable address and the addresses are the same for b4
 *     (person.ts sameEmail), so their canonical local parts are equal;
 *   - the names are equal (ignoring case);
 *   - the values are equal (ignoring case and surrounding space).
 * So each tag is filed under up to three buckets (key + local part, key +
 * name, key + value), and a look-up compares only the tags of the query's
 * buckets.  Lists are append-only; the index catches up with appended tags
 * on each look-up, so the places that push onto a list need not know of it.
 */
import { canonicalEmail, isObfuscated, sameEmail } from './person.js';

export interface TagLike {
  key: string;
  name: string | null;
  email: string | null;
  value: string;
}

export function sameTag(a: TagLike, b: TagLike): boolean {
  if (a.key.toLowerCase() !== b.key.toLowerCase()) return false;
  if (a.email && b.email && !isObfuscated(a.email) && !isObfuscated(b.email)) return sameEmail(a.email, b.email);
  if (a.name && b.name) return a.name.toLowerCase() === b.name.toLowerCase();
  return a.value.trim().toLowerCase() === b.value.trim().toLowerCase();
}

function bucketKeys(t: TagLike): string[] {
  const key = t.key.toLowerCase();
  const keys = [`${key}\0v\0${t.value.trim().toLowerCase()}`];
  if (t.name) keys.push(`${key}\0n\0${t.name.toLowerCase()}`);
  if (t.email && !isObfuscated(t.email)) {
    const canonical = canonicalEmail(t.email);
    const at = canonical.indexOf('@');
    keys.push(`${key}\0e\0${at < 0 ? canonical : canonical.slice(0, at)}`);
  }
  return keys;
}

class TagIndex<T extends TagLike> {
  /** How many tags of the list are filed. */
  count = 0;
  readonly buckets = new Map<string, T[]>();
  readonly order = new Map<T, number>();

  add(t: T): void {
    this.order.set(t, this.count++);
    for (const k of bucketKeys(t)) {
      const list = this.buckets.get(k);
      if (list) list.push(t);
      else this.buckets.set(k, [t]);
    }
  }
}

const indexes = new WeakMap<object, TagIndex<TagLike>>();

function indexOf<T extends TagLike>(tags: readonly T[]): TagIndex<T> {
  let index = indexes.get(tags) as TagIndex<T> | undefined;
  if (!index) indexes.set(tags, (index = new TagIndex<T>() as TagIndex<TagLike> as TagIndex<T>));
  while (index.count < tags.length) index.add(tags[index.count]!);
  return index;
}

/** The tags of `tags` for which sameTag(tag, probe) holds, in list order. */
export function sameTags<T extends TagLike>(tags: readonly T[], probe: TagLike): T[] {
  const index = indexOf(tags);
  const seen = new Set<T>();
  for (const k of bucketKeys(probe)) {
    for (const t of index.buckets.get(k) ?? []) if (!seen.has(t) && sameTag(t, probe)) seen.add(t);
  }
  const found = [...seen];
  if (found.length > 1) found.sort((a, b) => index.order.get(a)! - index.order.get(b)!);
  return found;
}

/** The tags of `tags` with the same key and the same name (ignoring case) as `probe`, in list order. */
export function sameNameTags<T extends TagLike>(tags: readonly T[], probe: TagLike): T[] {
  if (!probe.name) return [];
  return (indexOf(tags).buckets.get(`${probe.key.toLowerCase()}\0n\0${probe.name.toLowerCase()}`) ?? []).slice();
}

/** Trailer keys: the set the kernel documents, and which name a person. */

/** The tags the kernel uses (Documentation/process/submitting-patches.rst, v6.18). */
export const KERNEL_TRAILER_KEYS: readonly string[] = [
  'Signed-off-by',
  'Co-developed-by',
  'Reviewed-by',
  'Acked-by',
  'Tested-by',
  'Reported-by',
  'Suggested-by',
  'Closes',
  'Link',
  'Fixes',
  'Cc',
  'Assisted-by',
];

/** Tags whose value names a person (the others carry a commit, a URL ...). */
export const PERSON_TRAILER_KEYS: ReadonlySet<string> = new Set(
  ['signed-off-by', 'co-developed-by', 'reviewed-by', 'acked-by', 'tested-by', 'reported-by', 'suggested-by', 'cc', 'assisted-by'],
);

/** The canonical spelling of a known key (`reviewed-By` -> `Reviewed-by`), else the key as written. */
export function canonicalKey(key: string): string {
  const lower = key.toLowerCase();
  return KERNEL_TRAILER_KEYS.find((k) => k.toLowerCase() === lower) ?? key;
}

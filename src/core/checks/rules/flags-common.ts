/** VM_* defines of a series: what they are worth and where they sit. */
import type { DefineFact } from '../../c/facts.js';
import type { Model } from '../../model/index.js';
import type { PatchInput } from '../types.js';

/** A single-bit flag define's value: the extractor's, else BIT(n) / _BITUL(n) / (1UL << n) / a literal. */
export function defineValue(d: DefineFact): bigint | null {
  if (d.value !== null) return d.value;
  const t = d.text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  let m = /^(?:BIT|_BITUL|BIT_ULL|_BITULL)\((\d+)\)$/.exec(t);
  if (m) return 1n << BigInt(m[1]);
  m = /^1U?L{0,2}<<(\d+)$/i.exec(t);
  if (m) return 1n << BigInt(m[1]);
  m = /^(0x[0-9a-f]+|\d+)U?L{0,2}$/i.exec(t);
  if (m) return BigInt(m[1]);
  return null;
}

export function isSingleBit(v: bigint): boolean {
  return v > 0n && (v & (v - 1n)) === 0n;
}

export function bitOf(v: bigint): number {
  let b = 0;
  while (v > 1n && b < 128) {
    v >>= 1n;
    b++;
  }
  return b;
}

/** A define that names a VMA flag (not a mask, alias, bit number or helper macro). */
export function isFlagDefine(d: DefineFact): boolean {
  if (!/^VM_[A-Z0-9_]+$/.test(d.name)) return false;
  if (/_(BIT|BITS|MASK|FLAGS|SHIFT|DEFAULT_FLAGS)$/.test(d.name) || d.name === 'VM_NONE') return false;
  const t = d.text.trim();
  if (/^VM_[A-Z0-9_]+$/.test(t) || t.includes('|') || t === '0') return false;
  return true;
}

/** Every VM_* define of the series, with the patch it is in. */
export function seriesDefines(patches: PatchInput[]): { d: DefineFact; patch: PatchInput }[] {
  const out: { d: DefineFact; patch: PatchInput }[] = [];
  for (const patch of patches) for (const d of patch.facts.defines) if (d.name.startsWith('VM_')) out.push({ d, patch });
  return out;
}

/** Names a series removes (`-` define) and does not define again (`+`). */
export function removedDefines(patches: PatchInput[]): Set<string> {
  const minus = new Set<string>();
  const plus = new Set<string>();
  for (const { d } of seriesDefines(patches)) (d.change === '-' ? minus : d.change === '+' ? plus : new Set()).add(d.name);
  return new Set([...minus].filter((n) => !plus.has(n)));
}

/** The flags of VM_ATOMIC_SET_ALLOWED: as the series defines it, else the model's. */
export function atomicAllowed(model: Model, patches: PatchInput[]): { flags: Set<string>; fromSeries: boolean } {
  for (const { d } of seriesDefines(patches)) {
    if (d.name === 'VM_ATOMIC_SET_ALLOWED' && d.change !== '-') {
      return { flags: new Set(d.text.match(/\bVM_[A-Z0-9_]+\b/g) ?? []), fromSeries: true };
    }
  }
  return { flags: new Set(model.masks.get('VM_ATOMIC_SET_ALLOWED')?.flags ?? []), fromSeries: false };
}

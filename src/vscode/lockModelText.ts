/**
 * "Show Lock Model": the VMA locking model as a Markdown document a
 * reviewer can read top to bottom: lock objects, their order, the helpers
 * with what each requires / acquires / releases / asserts, and the flags.
 */
import type { Model } from '../core/model/types.js';
import { lockUse, orderPosition } from '../editor/hoverText.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function src(refs: { file: string; kernel?: string }[]): string {
  return cell(refs.map((r) => `${r.file}${r.kernel ? ` (${r.kernel})` : ''}`).join('; '));
}

export function lockModelMarkdown(model: Model): string {
  const out: string[] = ['# PatchLens VMA locking model', ''];
  if (model.overrides.length) out.push(`Overrides from: ${model.overrides.map((f) => '`' + f + '`').join(', ')}`, '');
  out.push('## Locks', '', '| lock | what | modes | sleeps | protects | order |', '|---|---|---|---|---|---|');
  for (const l of model.locks.values()) {
    out.push(`| ${l.lock} | ${cell(l.title)} | ${l.modes.join(', ')} | ${l.sleeps ? 'yes' : 'no'} | ${cell(l.protects)} | ${cell(orderPosition(model, l.lock))} |`);
  }
  out.push('', '## Lock order (outer before inner)', '');
  for (const e of model.order) out.push(`- ${e.outer} → ${e.inner}: ${e.why} (${src(e.source)})`);
  out.push('', '## Helpers', '', '| helper | kind | requires | acquires | releases | asserts | source |', '|---|---|---|---|---|---|---|');
  const helpers = [...model.helpers.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const h of helpers) {
    const u = (x?: Parameters<typeof lockUse>[0][]) => cell((x ?? []).map(lockUse).join(', '));
    out.push(`| \`${h.name}()\` | ${h.kind} | ${u(h.requires)} | ${u(h.acquires)} | ${u(h.releases)} | ${u(h.asserts)} | ${src(h.source)} |`);
  }
  out.push('', '## Flags', '', '| flag | bit | value | smaps | note | source |', '|---|---|---|---|---|---|');
  const flags = [...model.flags.values()].sort((a, b) => a.bit - b.bit || a.name.localeCompare(b.name));
  for (const f of flags) {
    const value = f.bit >= 0 ? '0x' + (1n << BigInt(f.bit)).toString(16) : '';
    out.push(`| \`${f.name}\` | ${f.bit} | ${value} | ${f.smaps ?? ''} | ${cell(f.note ?? '')} | ${src(f.source)} |`);
  }
  if (model.masks.size) {
    out.push('', '## Masks', '');
    for (const m of model.masks.values()) out.push(`- \`${m.name}\` = ${m.flags.join(' | ')}: ${m.usedFor}`);
  }
  return out.join('\n') + '\n';
}

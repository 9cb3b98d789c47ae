/**
 * The text of hovers and code lenses, as Markdown.  Everything that came
 * from a mail is escaped: a hover must never turn a subject into a link or
 * an image.  No `vscode` import, so it is unit-tested under plain Node.
 */
import type { Finding, SourceRef } from '../core/findings.js';
import type { FlagSpec, HelperSpec, LockClass, LockUse, Model } from '../core/model/types.js';
import type { Trailer } from '../core/series/types.js';
import type { PatchAt, TrailerAt } from './locate.js';
import { contextWords } from '../core/checks/output.js';

/** Escapes Markdown syntax and HTML, so the text shows as written. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~&"']/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c));
}

/** Inline code span that cannot be broken out of. */
function code(text: string): string {
  const t = text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ');
  return '`' + t + '`';
}

export function lockUse(u: LockUse): string {
  const mode = u.mode === 'any' ? 'read or write' : u.mode;
  const inst = u.instance === undefined ? '' : u.instance === 'return' ? ', on the returned object' : `, on argument ${u.instance + 1}`;
  return `${u.lock} (${mode}${inst}${u.all ? ', every instance' : ''})`;
}

/** The fact sheet the model is written from, as the project ships it. */
const FACT_SHEET = 'docs/vma-locking-facts.md';

/**
 * A source as a kernel person can follow it, in plain text: a kernel file
 * and version, a fact-sheet section, or a mail.  A path inside the PatchLens
 * repository (a test fixture, say) means nothing to a reader of the hover,
 * so it is left out and only the note (who said it, where) stays.
 */
export function sourceText(s: SourceRef): { where: string | null; rest: string[] } {
  const rest = [s.kernel, s.note].filter((x): x is string => !!x);
  if (s.file === FACT_SHEET) return { where: null, rest: ['PatchLens VMA locking fact sheet', ...rest] };
  if (isProjectPath(s.file)) return { where: null, rest: rest.length ? rest : ['PatchLens test material'] };
  return { where: s.file, rest };
}

/** Paths of the PatchLens repository, not of a kernel tree. */
function isProjectPath(file: string): boolean {
  return /^(test|src|bench|out|dist|node_modules|\.e2e)\//.test(file) || /^\//.test(file) || /\.(txt|mbox|eml|ts|js|json)$/.test(file);
}

export function sourceLine(s: SourceRef): string {
  const t = sourceText(s);
  return [...(t.where ? [code(t.where)] : []), ...t.rest.map(md)].join(' — ');
}

/** Where a lock class sits in the lock order: what must be taken before it, and what after. */
export function orderPosition(model: Model, lock: LockClass): string {
  const before = model.order.filter((e) => e.inner === lock).map((e) => e.outer);
  const after = model.order.filter((e) => e.outer === lock).map((e) => e.inner);
  if (!before.length && !after.length) return `${lock}: not in the lock order`;
  const parts = [];
  if (before.length) parts.push(`taken after ${[...new Set(before)].join(', ')}`);
  if (after.length) parts.push(`before ${[...new Set(after)].join(', ')}`);
  return `${lock}: ${parts.join('; ')}`;
}

export function helperHover(h: HelperSpec, model: Model): string {
  const out = [`**${md(h.name)}()** — ${h.kind}`];
  if (h.note) out.push('', md(h.note));
  const rows: [string, LockUse[] | undefined][] = [
    ['requires', h.requires], ['acquires', h.acquires], ['releases', h.releases], ['asserts', h.asserts],
  ];
  const list: string[] = [];
  for (const [what, uses] of rows) if (uses?.length) list.push(`- ${what}: ${uses.map(lockUse).join(', ')}`);
  if (h.success && h.success !== 'always') list.push(`- locked only when the result is ${h.success === 'zero' ? '0' : h.success === 'true' ? 'true' : 'non-NULL'}`);
  if (h.mustCheck) list.push('- `__must_check`: the result must be used');
  if (h.maySleep) list.push('- may sleep');
  if (h.flagBitArg !== undefined) list.push(`- the flag bit is argument ${h.flagBitArg + 1}`);
  if (h.withoutPerVmaLock) list.push(`- without CONFIG_PER_VMA_LOCK: ${md(h.withoutPerVmaLock)}`);
  const locks = new Set<LockClass>();
  for (const [, uses] of rows) for (const u of uses ?? []) locks.add(u.lock);
  for (const l of locks) list.push(`- order: ${orderPosition(model, l)}`);
  if (list.length) out.push('', ...list);
  if (h.source.length) out.push('', 'Source: ' + h.source.map(sourceLine).join('; '));
  return out.join('\n');
}

export function flagHover(f: FlagSpec): string {
  const value = f.bit >= 0 ? `bit ${f.bit} = 0x${(1n << BigInt(f.bit)).toString(16)}` : 'no bit';
  const out = [`**${md(f.name)}** — VMA flag, ${value}`];
  const list: string[] = [];
  if (f.smaps) list.push(`- smaps: ${code(f.smaps)}`);
  if (f.trace) list.push(`- tracepoint name: ${code(f.trace)}`);
  if (f.historicBits?.length) list.push(`- other bits: ${f.historicBits.map((h) => `${h.bit} in ${md(h.kernel)}`).join(', ')}`);
  if (f.shared) list.push('- shares its bit with arch- or config-specific flags');
  if (f.mayBeNone) list.push('- may be VM_NONE (0) in some configurations');
  if (f.note) list.push(`- ${md(f.note)}`);
  if (list.length) out.push('', ...list);
  if (f.source.length) out.push('', 'Source: ' + f.source.map(sourceLine).join('; '));
  return out.join('\n');
}

export function trailerHover(at: TrailerAt): string {
  const t = at.trailer;
  const who = t.name || t.email ? `${md(t.name ?? '')}${t.email ? ` &lt;${md(t.email)}&gt;` : ''}` : md(t.value);
  const out = [`**${md(t.key)}** from ${who}`, ''];
  const pv = at.patch.subject;
  const where = pv.index === null ? `v${t.version}` : `v${t.version} ${pv.index}/${pv.total ?? '?'}`;
  out.push(`- given on ${where} of ${md(at.series.title)}`);
  const c = t as Trailer & { status?: string; notice?: string };
  const latest = at.series.versions[at.series.versions.length - 1]?.version;
  const status: Record<string, string> = {
    'in-patch': 'written in the patch itself',
    collected: 'given in a reply',
    carried: `carried to v${at.version.version}: the diff did not change`,
    dropped: `dropped from v${at.version.version}`,
    mismatch: 'ignored: the sender does not match the person in the tag',
    unconfirmed: 'not applied: written inline, obfuscated or without an address',
  };
  out.push(`- ${c.status && status[c.status] ? status[c.status] : t.origin === 'reply' ? 'given in a reply' : 'written in the patch itself'}`);
  if (c.notice) out.push(`- ${md(c.notice)}`);
  if (latest !== undefined && latest !== at.version.version) out.push(`- the latest version in the input is v${latest}`);
  const m = at.message;
  if (m) {
    out.push(`- in the message ${m.subject ? md(m.subject) : '(no subject)'}${m.from ? ` from ${md(m.from.name || m.from.email)}` : ''}${m.date ? `, ${md(m.date)}` : ''}`);
    if (m.messageId) out.push(`- Message-ID: ${code('<' + m.messageId + '>')}`);
  }
  out.push(`- line ${t.pos.line}`);
  return out.join('\n');
}

/**
 * What a finding's hover adds to its diagnostic.  The editor already shows
 * the diagnostic's message right above the hover, so the message is not
 * repeated: the rule, why it may be wrong, the lock path, the rule's source.
 */
export function findingHover(f: Finding): string {
  const out = [`**${md(f.rule)}** (${f.severity})`];
  if (f.uncertain) out.push('', `Uncertain: ${md(f.uncertain)}`);
  const ctx = contextWords(f.context);
  if (ctx) out.push('', `Context: ${md(ctx)}`);
  if (f.patchFile) out.push('', `In ${code(f.patchFile)}${f.patchLine ? ` line ${f.patchLine}` : ''}`);
  if (f.path?.length) {
    out.push('', 'Path:');
    f.path.forEach((s, i) => out.push(`${i + 1}. line ${s.line}: ${md(s.what)}`));
  }
  if (f.sources?.length) out.push('', 'Rule source: ' + [...new Set(f.sources.map(sourceLine))].join('; '));
  return out.join('\n');
}

/** Short tag names a reviewer reads at a glance. */
const TAG_ABBREV: Record<string, string> = {
  'reviewed-by': 'R-b', 'acked-by': 'A-b', 'tested-by': 'T-b', 'reported-by': 'Rep-b', 'suggested-by': 'Sug-b',
};

/** `v4 2/9 · R-b 3 · A-b 1 · 2 findings`: the code lens over a patch's subject. */
export function codeLensTitle(at: PatchAt, tags: Trailer[], findings: number): string {
  const s = at.patch.subject;
  const parts = [s.index === null ? `v${at.version.version}` : `v${at.version.version} ${s.index}/${s.total ?? at.version.total}`];
  if (at.cover) parts[0] += ' cover';
  const counts = new Map<string, number>();
  for (const t of tags) {
    const a = TAG_ABBREV[t.key.toLowerCase()];
    if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  for (const a of Object.values(TAG_ABBREV)) if (counts.has(a)) parts.push(`${a} ${counts.get(a)}`);
  parts.push(findings === 1 ? '1 finding' : `${findings} findings`);
  return parts.join(' · ');
}

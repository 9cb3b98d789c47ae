/**
 * `patchlens trailers [--json] FILE...`: every tag of every patch, by person:
 * the tag, the version it was given on, where (the patch itself or a reply,
 * with file:line), and what became of it (collected, carried from an older
 * version, dropped, kept apart).
 *
 * `patchlens trailers --am OUT.mbx [--order GLOBS] [-S] [--no-cover-trailers]
 * [--add-link] [--accept-unconfirmed] FILE...` writes an am-ready mbox of the latest version with
 * the collected trailers, in b4's order.
 */
import type { Command } from '../io.js';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import { readInputs, reportNoMail } from '../files.js';
import { readSeries } from '../../core/review.js';
import type { CollectedTag, CollectedTrailers } from '../../core/trailers/collect.js';
import { amTrailerLines, usableAddress, writeAmMbox, DEFAULT_LINK_TRAILER, type AmOptions } from '../../core/trailers/am.js';
import type { Series } from '../../core/series/types.js';
import type { Finding } from '../../core/findings.js';
import { problemsJson, problemsText } from '../../core/summary.js';
import { parseCommand, type CommandSpec } from '../args.js';

export const spec: CommandSpec = {
  name: 'trailers',
  summary: 'Every tag of every patch, by person: given on which version, where (patch or reply, FILE:LINE), and what became of it. With --am, an am-ready mbox of the latest version with the collected tags, in b4\'s order.',
  operands: '[FILE...]',
  options: {
    json: { type: 'boolean', help: 'print JSON' },
    am: { type: 'string', value: 'OUT.mbx', help: 'write an am-ready mbox of the latest version to OUT.mbx' },
    order: { type: 'string', value: 'GLOBS', help: 'with --am: trailer order, as b4\'s trailer-order (comma-separated globs)' },
    sloppy: { type: 'boolean', short: 'S', help: 'with --am: apply tags whose sender does not match (b4 -S)' },
    'no-cover-trailers': { type: 'boolean', help: 'with --am: do not apply tags given on the cover letter' },
    'add-link': { type: 'boolean', help: 'with --am: add a Link: trailer to each patch' },
    'accept-unconfirmed': { type: 'boolean', help: 'with --am: apply tags written inline or with a recovered address' },
  },
};

/** Short names for the matrix cells. */
const ABBREV: Record<string, string> = {
  'signed-off-by': 'SOB',
  'co-developed-by': 'CDB',
  'reviewed-by': 'R-b',
  'acked-by': 'A-b',
  'tested-by': 'T-b',
  'reported-by': 'Rep',
  'suggested-by': 'Sug',
  'assisted-by': 'Ass',
  cc: 'Cc',
};

const MARK: Record<string, string> = {
  'in-patch': '',
  collected: '+',
  carried: '>',
  dropped: 'x',
  mismatch: '!',
  unconfirmed: '?',
};

export const run: Command = async (argv, io) => {
  const args = parseCommand(spec, argv, io);
  if (typeof args === 'number') return args;
  const v = args.values;
  const json = Boolean(v.json);
  const amOut = typeof v.am === 'string' ? v.am : null;
  const am: AmOptions = {};
  if (typeof v.order === 'string') am.order = v.order;
  if (v.sloppy) am.sloppy = true;
  if (v['no-cover-trailers']) am.coverTrailers = false;
  if (v['add-link']) am.linkTrailer = DEFAULT_LINK_TRAILER;
  if (v['accept-unconfirmed']) am.unconfirmed = true;
  const input = readInputs(args.files, io, spec.name);
  if (!input) return EXIT_USAGE;
  const inputs = input.inputs;
  const read = await readSeries(inputs);
  // readSeries collected the tags already (replies, carried, dropped).
  const collected = read.trailers;
  const failed = input.unreadable + reportNoMail(read.reads, io, spec.name) > 0;

  if (amOut !== null) {
    const mbox = read.series.map((s) => writeAmMbox(collected, s, am)).join('');
    if (!mbox) {
      const names = inputs.map((i) => i.file).join(', ') || 'the input';
      io.err(`patchlens trailers: no patch in ${names}: nothing written to ${amOut}\n`);
      return EXIT_USAGE;
    }
    try {
      io.writeFile(amOut, mbox);
    } catch (e) {
      io.err(`patchlens trailers: cannot write ${amOut}: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
    io.out(amSummary(read.series, collected, am, amOut));
    return failed ? EXIT_USAGE : EXIT_OK;
  }
  io.out(
    json
      ? JSON.stringify({ ...trailersJson(read.series, collected), problems: problemsJson(read) }, null, 2) + '\n'
      : trailersText(read.series, collected) + problemsText(read).join('\n'),
  );
  return failed ? EXIT_USAGE : EXIT_OK;
};

function who(t: CollectedTag): string {
  if (t.name && t.email) return `${t.name} <${t.recoveredEmail ?? t.email}>`;
  if (t.name) return t.recoveredEmail ? `${t.name} <${t.recoveredEmail}>` : t.name;
  return t.email ?? t.value;
}

function personKey(t: CollectedTag): string {
  return (t.name ?? t.email ?? t.value).toLowerCase();
}

export function trailersText(series: readonly Series[], collected: CollectedTrailers): string {
  const out: string[] = [];
  for (const s of series) {
    out.push(`Series: ${s.title}`);
    for (const v of s.versions) {
      const entries = collected.patches.filter((p) => p.version === v);
      if (!entries.length) continue;
      out.push(`  v${v.version}${v === s.versions[s.versions.length - 1] ? ' (latest)' : ''}`);
      // The matrix: one row per person, one column per patch.
      const people = new Map<string, string>();
      for (const e of entries) for (const t of e.tags) if (!people.has(personKey(t)) && (t.name || t.email)) people.set(personKey(t), t.name ?? t.email ?? '');
      const cols = entries.map((e) => (e.index ? `${e.index}/${v.total}` : 'patch'));
      const width = Math.min(40, Math.max(6, ...[...people.values()].map((n) => n.length)));
      const cellWidth = Math.max(...cols.map((c) => c.length), 9);
      out.push('    ' + ''.padEnd(width) + '  ' + cols.map((c) => c.padEnd(cellWidth)).join(' '));
      for (const [key, name] of people) {
        const cells = entries.map((e) => {
          const tags = e.tags.filter((t) => personKey(t) === key && t.key.toLowerCase() !== 'cc');
          const text = tags.map((t) => (ABBREV[t.key.toLowerCase()] ?? t.key) + MARK[t.status]).join(',');
          return (text || '.').padEnd(cellWidth);
        });
        if (cells.every((c) => c.trim() === '.')) continue;
        out.push('    ' + name.slice(0, width).padEnd(width) + '  ' + cells.join(' '));
      }
      out.push('    (+ from a reply, > carried from an earlier version, x dropped, ! sender mismatch, ? needs confirmation)');
      for (const e of entries) {
        out.push(`    [${e.index ? `${e.index}/${v.total}` : 'PATCH'}] ${e.patch.subject.title}`);
        for (const t of e.tags) {
          const where = `${t.origin}${t.viaCover ? ' (cover letter)' : ''} ${t.pos.file}:${t.pos.line}`;
          out.push(`      ${(MARK[t.status] || ' ')} ${t.key}: ${who(t)}  [v${t.version}, ${where}]${t.status === 'in-patch' || t.status === 'collected' ? '' : ` ${t.status}`}${t.notice ? ` — ${t.notice}` : ''}`);
        }
      }
    }
  }
  // Tags in replies whose patch is not in the input: listed so none is lost, never applied.
  const orphans = collected.orphans.filter((o) => o.tags.length);
  if (orphans.length) {
    out.push('Tags in replies whose patch is not in the input (not applied):');
    for (const o of orphans) {
      const from = o.message.from ? o.message.from.name || o.message.from.email : 'unknown sender';
      out.push(`  ${o.message.subject || '(no subject)'} — reply from ${from} (${o.message.file}:${o.message.startLine})`);
      for (const t of o.tags) out.push(`    ${MARK[t.status] || ' '} ${t.key}: ${who(t)}  [${t.pos.file}:${t.pos.line}] ${t.status}${t.notice ? ` — ${t.notice}` : ''}`);
    }
  }
  if (collected.findings.length) {
    out.push('Notices:');
    for (const f of collected.findings) out.push(`  ${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`);
  }
  return out.join('\n') + '\n';
}

function tagJson(t: CollectedTag) {
  return {
    key: t.key,
    value: t.value,
    name: t.name,
    email: t.email,
    recoveredEmail: t.recoveredEmail ?? null,
    status: t.status,
    origin: t.origin,
    version: t.version,
    via: t.via,
    viaCover: t.viaCover,
    file: t.pos.file,
    line: t.pos.line,
    column: t.pos.column,
    notice: t.notice ?? null,
  };
}

export function trailersJson(series: readonly Series[], collected: CollectedTrailers) {
  return {
    series: series.map((s) => ({
      title: s.title,
      versions: s.versions.map((v) => ({
        version: v.version,
        patches: collected.patches
          .filter((p) => p.version === v)
          .map((p) => ({ index: p.index, total: v.total, title: p.patch.subject.title, tags: p.tags.map(tagJson) })),
      })),
    })),
    findings: collected.findings.map((f: Finding) => f),
  };
}

function amSummary(series: readonly Series[], collected: CollectedTrailers, am: AmOptions, out: string): string {
  const lines: string[] = [];
  for (const s of series) {
    const latest = s.versions[s.versions.length - 1];
    if (!latest) continue;
    for (const p of collected.patches.filter((e) => e.version === latest)) {
      lines.push(`  [PATCH${latest.version > 1 ? ` v${latest.version}` : ''}${p.index ? ` ${p.index}/${latest.total}` : ''}] ${p.patch.subject.title}`);
      const own = new Set(p.tags.filter((t) => t.status === 'in-patch').map((t) => `${t.key}: ${t.value}`));
      for (const l of amTrailerLines(p, am)) if (!own.has(`${l.key}: ${l.value}`)) lines.push(`    + ${l.key}: ${l.value}`);
      for (const t of p.tags.filter((t) => t.status === 'mismatch' || t.status === 'unconfirmed' || t.status === 'dropped')) {
        const applied = t.status === 'unconfirmed' && am.unconfirmed && usableAddress(t) !== null;
        lines.push(`    ${MARK[t.status]} ${t.key}: ${t.value} (${applied ? 'applied, ' : 'not applied, '}${t.status}${t.notice ? `: ${t.notice}` : ''})`);
      }
    }
    if (latest.missing.length) lines.push(`  missing in v${latest.version}: ${latest.missing.join(', ')} (taken from an earlier version when present)`);
  }
  lines.push(`Wrote ${out}`);
  return lines.join('\n') + '\n';
}

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
import { readInputs } from '../files.js';
import { readSeries } from '../../core/review.js';
import type { CollectedTag, CollectedTrailers } from '../../core/trailers/collect.js';
import { amTrailerLines, usableAddress, writeAmMbox, DEFAULT_LINK_TRAILER, type AmOptions } from '../../core/trailers/am.js';
import type { Series } from '../../core/series/types.js';
import type { Finding } from '../../core/findings.js';
import { problemsText } from '../../core/summary.js';

const USAGE = `usage: patchlens trailers [--json] FILE...
       patchlens trailers --am OUT.mbx [--order GLOBS] [-S|--sloppy] [--no-cover-trailers] [--add-link]
                          [--accept-unconfirmed] FILE...
`;

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
  let json = false;
  let amOut: string | null = null;
  const am: AmOptions = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--am' || arg === '--order') {
      const value = argv[++i];
      if (value === undefined) {
        io.err(`patchlens trailers: ${arg} needs a value\n${USAGE}`);
        return EXIT_USAGE;
      }
      if (arg === '--am') amOut = value;
      else am.order = value;
    } else if (arg.startsWith('--am=')) amOut = arg.slice(5);
    else if (arg.startsWith('--order=')) am.order = arg.slice(8);
    else if (arg === '-S' || arg === '--sloppy') am.sloppy = true;
    else if (arg === '--no-cover-trailers') am.coverTrailers = false;
    else if (arg === '--add-link') am.linkTrailer = DEFAULT_LINK_TRAILER;
    else if (arg === '--accept-unconfirmed') am.unconfirmed = true;
    else if (arg === '--') continue;
    else if (arg.startsWith('-')) {
      io.err(`patchlens trailers: unknown option ${arg}\n${USAGE}`);
      return EXIT_USAGE;
    } else files.push(arg);
  }
  if (!files.length) {
    io.err(USAGE);
    return EXIT_USAGE;
  }
  const inputs = readInputs(files, io);
  if (!inputs) return EXIT_USAGE;
  const read = await readSeries(inputs);
  // readSeries collected the tags already (replies, carried, dropped).
  const collected = read.trailers;

  if (amOut !== null) {
    const mbox = read.series.map((s) => writeAmMbox(collected, s, am)).join('');
    if (!mbox) {
      io.err('patchlens trailers: no patch found in the input\n');
      return EXIT_USAGE;
    }
    try {
      io.writeFile(amOut, mbox);
    } catch (e) {
      io.err(`patchlens trailers: cannot write ${amOut}: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
    io.out(amSummary(read.series, collected, am, amOut));
    return EXIT_OK;
  }
  io.out(json ? JSON.stringify(trailersJson(read.series, collected), null, 2) + '\n' : trailersText(read.series, collected) + problemsText(read).join('\n'));
  return EXIT_OK;
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

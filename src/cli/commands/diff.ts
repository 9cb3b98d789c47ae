/**
 * `patchlens diff [--from vA] [--to vB] [--json] FILE...`: what changed
 * between two versions of each series, from the mail alone: per patch of the
 * newer version unchanged / commit message only / code changed (with an
 * interdiff) / new, and the patches the newer version dropped.  Defaults:
 * the two latest versions.
 */
import type { Command } from '../io.js';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import { readInputs, reportNoMail } from '../files.js';
import { parseCommand, type CommandSpec } from '../args.js';
import { readSeries } from '../../core/review.js';
import { compareVersions, type VersionComparison } from '../../core/trailers/compare.js';
import type { Series, SeriesVersion } from '../../core/series/types.js';
import { problemsText } from '../../core/summary.js';

export const spec: CommandSpec = {
  name: 'diff',
  summary: 'What changed between two versions of each series: per patch unchanged, commit message only, code changed (with an interdiff) or new; the patches dropped.',
  operands: '[FILE...]',
  options: {
    from: { type: 'string', value: 'vN', help: 'the older version (default: the one before --to)' },
    to: { type: 'string', value: 'vN', help: 'the newer version (default: the latest)' },
    json: { type: 'boolean', help: 'print JSON' },
  },
};

const KIND_TEXT = { unchanged: 'unchanged', message: 'commit message only', code: 'code changed', new: 'new' } as const;

function parseVersion(text: string): number | null {
  const m = /^v?(\d{1,4})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}

export const run: Command = async (argv, io) => {
  const args = parseCommand(spec, argv, io);
  if (typeof args === 'number') return args;
  const versions: Record<'from' | 'to', number | null> = { from: null, to: null };
  for (const opt of ['from', 'to'] as const) {
    const text = args.values[opt];
    if (typeof text !== 'string') continue;
    versions[opt] = parseVersion(text);
    if (versions[opt] === null) {
      io.err(`patchlens diff: --${opt} needs a version such as v3 (got '${text}')\nTry 'patchlens help diff'.\n`);
      return EXIT_USAGE;
    }
  }
  const { from, to } = versions;
  const json = Boolean(args.values.json);
  const input = readInputs(args.files, io, spec.name);
  if (!input) return EXIT_USAGE;
  const read = await readSeries(input.inputs);
  const status = input.unreadable || reportNoMail(read.reads, io, spec.name) ? EXIT_USAGE : EXIT_OK;
  const comparisons: { series: Series; comparison: VersionComparison | null; note?: string }[] = [];
  for (const s of read.series) {
    const pick = pickVersions(s, from, to);
    if ('note' in pick) comparisons.push({ series: s, comparison: null, note: pick.note });
    else comparisons.push({ series: s, comparison: compareVersions(pick.a, pick.b) });
  }
  if (json) {
    io.out(JSON.stringify(comparisons.map(toJson), null, 2) + '\n');
    return status;
  }
  const out: string[] = [];
  for (const { series, comparison, note } of comparisons) {
    out.push(`Series: ${series.title}`);
    if (!comparison) {
      out.push(`  ${note}`);
      continue;
    }
    out.push(`  v${comparison.from.version} -> v${comparison.to.version}`);
    for (const { patch, change } of comparison.patches) {
      const idx = patch.subject.index ? `${patch.subject.index}/${comparison.to.total}` : 'PATCH';
      const moved = change.from && change.from.subject.index !== patch.subject.index ? `${change.from.subject.index}/${comparison.from.total}` : '';
      const retitled = change.from && change.from.subject.title !== patch.subject.title ? `"${change.from.subject.title}"` : '';
      const was = moved || retitled ? ` (was ${[moved, retitled].filter(Boolean).join(' ')})` : '';
      out.push(`  [${idx}] ${patch.subject.title}: ${KIND_TEXT[change.kind]}${was}`);
      if (change.interdiff) for (const line of change.interdiff.replace(/\n$/, '').split('\n')) out.push(`      ${line}`);
    }
    for (const p of comparison.dropped) out.push(`  dropped: [${p.subject.index ?? ''}/${comparison.from.total}] ${p.subject.title}`);
    for (const p of comparison.notResent) {
      out.push(`  not resent in v${comparison.to.version}: [${p.subject.index}/${comparison.from.total}] ${p.subject.title} (v${comparison.from.version}'s is the latest copy here)`);
    }
  }
  const problems = problemsText(read);
  if (problems.length) out.push('', ...problems);
  io.out(out.join('\n') + '\n');
  return status;
};

function pickVersions(s: Series, from: number | null, to: number | null): { a: SeriesVersion; b: SeriesVersion } | { note: string } {
  const versions = s.versions;
  const find = (n: number) => versions.find((v) => v.version === n);
  const b = to !== null ? find(to) : versions[versions.length - 1];
  if (!b) return { note: `no v${to} in the input (versions: ${versions.map((v) => 'v' + v.version).join(', ')})` };
  const older = versions.filter((v) => v.version < b.version);
  const a = from !== null ? find(from) : older[older.length - 1];
  if (!a) {
    return {
      note: from !== null ? `no v${from} in the input (versions: ${versions.map((v) => 'v' + v.version).join(', ')})` : `only v${b.version} in the input: nothing to compare`,
    };
  }
  return { a, b };
}

function toJson(c: { series: Series; comparison: VersionComparison | null; note?: string }) {
  if (!c.comparison) return { title: c.series.title, note: c.note };
  return {
    title: c.series.title,
    from: c.comparison.from.version,
    to: c.comparison.to.version,
    patches: c.comparison.patches.map(({ patch, change }) => ({
      index: patch.subject.index,
      title: patch.subject.title,
      change: change.kind,
      fromIndex: change.from?.subject.index ?? null,
      interdiff: change.interdiff ?? null,
    })),
    dropped: c.comparison.dropped.map((p) => ({ index: p.subject.index, title: p.subject.title })),
    notResent: c.comparison.notResent.map((p) => ({ index: p.subject.index, title: p.subject.title })),
  };
}

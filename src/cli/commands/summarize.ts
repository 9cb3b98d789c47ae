/**
 * `patchlens summarize [--json] [FILE...]`: per series, the title, version
 * and how many of its patches are here; per patch, subject, author, date,
 * files with +/- counts and trailers; and everything that could not be read.
 * With no FILE and no mail on standard input: the bundled example series.
 */
import type { Command } from '../io.js';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import { parseCommand, type CommandSpec } from '../args.js';
import { exampleFiles, readInputs, reportNoMail } from '../files.js';
import { readSeries } from '../../core/review.js';
import { summaryJson, summaryText } from '../../core/summary.js';

export const spec: CommandSpec = {
  name: 'summarize',
  summary: 'Series, patches, authors, files with +/- counts, trailers, and what could not be read.',
  operands: '[FILE...]',
  options: {
    json: { type: 'boolean', help: 'print JSON' },
  },
  notes: 'With no FILE, and no mail on standard input, the bundled example series (examples/) is summarized.',
};

export const run: Command = async (argv, io) => {
  const args = parseCommand(spec, argv, io);
  if (typeof args === 'number') return args;
  const read = readInputs(args.files, io, spec.name, exampleFiles);
  if (!read) return EXIT_USAGE;
  const result = await readSeries(read.inputs);
  io.out(args.values.json ? JSON.stringify(summaryJson(result), null, 2) + '\n' : summaryText(result));
  const noMail = reportNoMail(result.reads, io, spec.name);
  return read.unreadable || noMail ? EXIT_USAGE : EXIT_OK;
};

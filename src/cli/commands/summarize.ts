/**
 * `patchlens summarize [--json] FILE...`: per series, the title, version and
 * how many of its patches are here; per patch, subject, author, date, files
 * with +/- counts and trailers; and everything that could not be read.
 */
import type { Command } from '../io.js';
import { EXIT_OK, EXIT_USAGE } from '../io.js';
import { exampleFiles, readInputs } from '../files.js';
import { readSeries } from '../../core/review.js';
import { summaryJson, summaryText } from '../../core/summary.js';

export const run: Command = async (argv, io) => {
  let json = false;
  const files: string[] = [];
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--') continue;
    else if (arg.startsWith('-')) {
      io.err(`patchlens summarize: unknown option ${arg}\nusage: patchlens summarize [--json] FILE...\n`);
      return EXIT_USAGE;
    } else files.push(arg);
  }
  const inputs = readInputs(files.length ? files : exampleFiles(), io);
  if (!inputs) return EXIT_USAGE;
  const result = await readSeries(inputs);
  io.out(json ? JSON.stringify(summaryJson(result), null, 2) + '\n' : summaryText(result));
  return EXIT_OK;
};

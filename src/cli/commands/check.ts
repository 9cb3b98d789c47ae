/**
 * `patchlens check [--format text|json|sarif|b4] [--fail-on error|warning|never]
 *                  [--model FILE] [--tree DIR] [FILE...]`
 *
 * The VMA-locking checks over patch mail.  Exit 1 when a finding reaches
 * --fail-on (default: error), 2 on bad usage or an input that is missing,
 * unreadable, empty or not mail, else 0.
 *
 * `--format b4` is b4 review's check command (see ../b4.ts): one message on
 * standard input (or FILE when given), a JSON array of results on stdout.
 * Its verdict is in the JSON, so findings do not change the exit status.
 */
import { existsSync } from 'node:fs';
import type { Command } from '../io.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io.js';
import { parseCommand, type CommandSpec } from '../args.js';
import { isDirectory, packageVersion, readInputs, reportNoMail } from '../files.js';
import { b4Results } from '../b4.js';
import type { Finding } from '../../core/findings.js';
import type { Problem } from '../../core/types.js';
import { problemsJson } from '../../core/summary.js';

const FORMATS = ['text', 'json', 'sarif', 'b4'] as const;
const FAIL_ON = ['error', 'warning', 'never'] as const;
type Format = (typeof FORMATS)[number];
type FailOn = (typeof FAIL_ON)[number];

export const spec: CommandSpec = {
  name: 'check',
  summary: 'The VMA locking checks: each finding with its rule, input line, kernel file and line, and the model entries it relied on.',
  operands: '[FILE...]',
  options: {
    format: { type: 'string', choices: FORMATS, default: 'text', help: 'output: text, JSON, SARIF 2.1.0, or b4 review\'s check JSON' },
    'fail-on': { type: 'string', choices: FAIL_ON, default: 'error', help: 'exit 1 when a finding is at least this severe' },
    model: { type: 'string', value: 'FILE', help: 'JSON that adds or overrides helpers and flags of the locking model' },
    tree: { type: 'string', value: 'DIR', help: 'kernel-tree mode: apply each patch to the files of DIR, analyse whole functions' },
  },
  notes: [
    'As b4 review\'s check command (one message on standard input, B4_TRACKING_FILE in the environment):',
    '  git config b4.review-perpatch-check-cmd "patchlens check --format b4"',
    '  git config b4.review-series-check-cmd "patchlens check --format b4"',
  ].join('\n'),
};

export const run: Command = async (argv, io) => {
  const args = parseCommand(spec, argv, io);
  if (typeof args === 'number') return args;
  const format = args.values.format as Format;
  const failOn = args.values['fail-on'] as FailOn;
  const model = args.values.model as string | undefined;
  const tree = args.values.tree as string | undefined;
  if (tree !== undefined && !isDirectory(tree)) {
    // A tree that is not there must not silently turn kernel-tree mode off.
    io.err(`patchlens check: --tree ${tree}: ${existsSync(tree) ? 'not a directory' : 'no such directory'}\n`);
    return EXIT_USAGE;
  }
  if (model !== undefined) {
    try {
      io.readFile(model);
    } catch (e) {
      io.err(`patchlens check: --model ${model}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  const input = readInputs(args.files, io, spec.name);
  if (!input) return EXIT_USAGE;
  const [{ review }, out, { RULES }] = await Promise.all([
    import('../../core/review.js'),
    import('../../core/checks/output.js'),
    import('../../core/checks/index.js'),
  ]);
  const result = await review(input.inputs, { ...(model ? { modelFile: model } : {}), ...(tree ? { kernelTree: tree } : {}) });
  // The lock checks only: trailer and sign-off findings belong to `patchlens trailers`.
  const ids = new Set(RULES.map((r) => r.id));
  const findings: Finding[] = result.findings.filter((f) => ids.has(f.rule));
  // The problems, with a line for each input that was empty.
  const problems: Problem[] = problemsJson(result.read);
  const fromRead = new Set(result.read.problems);
  for (const p of result.problems) if (!fromRead.has(p)) problems.push(p);
  const noMail = reportNoMail(result.reads, io, spec.name);
  const failed = input.unreadable > 0 || noMail > 0;
  switch (format) {
    case 'text':
      io.out(out.formatText(findings, problems));
      break;
    case 'json':
      io.out(`${JSON.stringify(out.toJson(findings, problems), null, 2)}\n`);
      break;
    case 'sarif':
      io.out(`${JSON.stringify(out.toSarif(findings, problems, RULES, packageVersion()), null, 2)}\n`);
      break;
    case 'b4': {
      const empty = result.reads.filter((r) => r.messages.length === 0).map((r) => r.file);
      io.out(`${JSON.stringify(b4Results(findings, problems, failed && !empty.length ? ['an input that could not be read'] : empty))}\n`);
      return failed ? EXIT_USAGE : EXIT_OK;
    }
  }
  if (failed) return EXIT_USAGE;
  return out.reaches(findings, failOn) ? EXIT_FINDINGS : EXIT_OK;
};

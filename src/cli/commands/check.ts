/**
 * `patchlens check [--format text|json|sarif|b4] [--fail-on error|warning|never]
 *                  [--model FILE] [--tree DIR] FILE...`
 *
 * The VMA-locking checks over patch mail.  Exit 1 when a finding reaches
 * --fail-on (default: error), 2 on bad usage or unreadable files, else 0.
 * `--format b4` reads one message on stdin and prints b4's check JSON; its
 * verdict is in the JSON, so it exits 0 unless the usage is wrong.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../io.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io.js';
import { packageRoot, readInputs } from '../files.js';
import type { Finding } from '../../core/findings.js';
import type { Problem } from '../../core/types.js';

const USAGE = 'usage: patchlens check [--format text|json|sarif|b4] [--fail-on error|warning|never] [--model FILE] [--tree DIR] FILE...\n';
const FORMATS = ['text', 'json', 'sarif', 'b4'] as const;
const FAIL_ON = ['error', 'warning', 'never'] as const;
type Format = (typeof FORMATS)[number];
type FailOn = (typeof FAIL_ON)[number];

interface Args {
  format: Format;
  failOn: FailOn;
  model?: string;
  tree?: string;
  files: string[];
}

/** Parses argv; a string is a usage error. Accepts `--opt value` and `--opt=value`. */
export function parseArgs(argv: string[]): Args | string {
  const args: Args = { format: 'text', failOn: 'error', files: [] };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const take = (): string | undefined => value ?? argv[++i];
    switch (arg) {
      case '--format': {
        const v = take();
        if (!FORMATS.includes(v as Format)) return `--format must be one of ${FORMATS.join(', ')}`;
        args.format = v as Format;
        break;
      }
      case '--fail-on': {
        const v = take();
        if (!FAIL_ON.includes(v as FailOn)) return `--fail-on must be one of ${FAIL_ON.join(', ')}`;
        args.failOn = v as FailOn;
        break;
      }
      case '--model': {
        const v = take();
        if (!v) return '--model needs a FILE';
        args.model = v;
        break;
      }
      case '--tree': {
        const v = take();
        if (!v) return '--tree needs a DIR';
        args.tree = v;
        break;
      }
      case '--':
        args.files.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
        args.files.push(arg);
    }
  }
  return args;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const run: Command = async (argv, io) => {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`patchlens check: ${args}\n${USAGE}`);
    return EXIT_USAGE;
  }
  // A tree that is not there must not silently turn kernel-tree mode off.
  if (args.tree !== undefined && !isDirectory(args.tree)) {
    io.err(`patchlens check: --tree ${args.tree}: no such directory\n`);
    return EXIT_USAGE;
  }
  let inputs;
  if (args.format === 'b4') {
    inputs = [{ file: '<stdin>', data: io.readStdin() }];
  } else {
    if (args.files.length === 0) {
      io.err(`patchlens check: no FILE given\n${USAGE}`);
      return EXIT_USAGE;
    }
    inputs = readInputs(args.files, io);
    if (!inputs) return EXIT_USAGE;
  }
  const [{ review }, out, { RULES }] = await Promise.all([
    import('../../core/review.js'),
    import('../../core/checks/output.js'),
    import('../../core/checks/index.js'),
  ]);
  const result = await review(inputs, {
    ...(args.model ? { modelFile: args.model } : {}),
    ...(args.tree ? { kernelTree: args.tree } : {}),
  });
  // The lock checks only: trailer and sign-off findings belong to `patchlens trailers`.
  const ids = new Set(RULES.map((r) => r.id));
  const findings: Finding[] = result.findings.filter((f) => ids.has(f.rule));
  const problems: Problem[] = result.problems;
  switch (args.format) {
    case 'text':
      io.out(out.formatText(findings, problems));
      break;
    case 'json':
      io.out(`${JSON.stringify(out.toJson(findings, problems), null, 2)}\n`);
      break;
    case 'sarif':
      io.out(`${JSON.stringify(out.toSarif(findings, problems, RULES, toolVersion()), null, 2)}\n`);
      break;
    case 'b4':
      io.out(`${JSON.stringify(out.toB4(findings, problems))}\n`);
      return EXIT_OK;
  }
  return out.reaches(findings, args.failOn) ? EXIT_FINDINGS : EXIT_OK;
};

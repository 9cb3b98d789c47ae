/**
 * `patchlens COMMAND [options] FILE...`: the core as a command-line tool for
 * CI and for reviewers at a terminal.  Each command lives in commands/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CliIO, Command } from './io.js';
import { EXIT_USAGE } from './io.js';

const USAGE = `usage: patchlens <command> [options] [FILE...]

commands:
  summarize [--json] FILE...        series, patches, authors, files, trailers
  trailers [--json] [--am OUT] FILE...  tags per patch and person; am-ready mbox
  diff [--from vA] [--to vB] FILE...   what changed between versions
  check [--format text|json|sarif|b4] [--fail-on error|warning|never]
        [--model FILE] [--tree DIR] FILE...   VMA locking checks
  facts [--json] FILE...            C facts per hunk (debug view)
  lsp --stdio                       language server (Neovim, Emacs, VS Code)
`;

/** Commands load lazily: `summarize` never pays for tree-sitter. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  summarize: async () => (await import('./commands/summarize.js')).run,
  trailers: async () => (await import('./commands/trailers.js')).run,
  diff: async () => (await import('./commands/diff.js')).run,
  check: async () => (await import('./commands/check.js')).run,
  facts: async () => (await import('./commands/facts.js')).run,
  lsp: async () => (await import('./commands/lsp.js')).run,
};

export const nodeIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => readFileSync(path),
  writeFile: (path, data) => writeFileSync(path, data),
  readStdin: () => readFileSync(0),
};

export async function main(argv: string[], io: CliIO = nodeIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`patchlens: unknown command '${name}'\n${USAGE}`);
    return EXIT_USAGE;
  }
  let command: Command;
  try {
    command = await load();
  } catch (e) {
    io.err(`patchlens: command '${name}' is not available: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  return command(rest, io);
}

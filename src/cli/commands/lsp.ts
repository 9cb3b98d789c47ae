/**
 * `patchlens lsp --stdio`: the PatchLens language server on stdin/stdout,
 * for Neovim, Emacs (eglot), Helix and VS Code.  It runs until the client
 * sends `exit` (or closes stdin).
 */
import { parseArgs } from 'node:util';
import type { CliIO } from '../io.js';
import { EXIT_USAGE } from '../io.js';

const USAGE = 'usage: patchlens lsp --stdio\n';

export async function run(args: string[], io: CliIO): Promise<number> {
  let stdio: boolean | undefined;
  try {
    ({ values: { stdio } } = parseArgs({ args, options: { stdio: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    io.err(`patchlens lsp: ${(e as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (!stdio) {
    io.err(`patchlens lsp: only --stdio is supported\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { startStdioServer } = await import('../../lsp/stdio.js');
  startStdioServer();
  // The connection keeps the process alive; it exits on the client's `exit`.
  return new Promise<number>(() => undefined);
}

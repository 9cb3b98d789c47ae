/**
 * The language server on this process's stdin and stdout: what
 * `patchlens lsp --stdio` and the extension's server process (main.ts) run.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { startServer } from './server.js';

export function startStdioServer(): void {
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}

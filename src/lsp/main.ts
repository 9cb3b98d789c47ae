/**
 * Entry point of the language server as its own process: the VS Code
 * extension starts this file (bundled as dist/server.cjs); the CLI's
 * `patchlens lsp --stdio` runs the same startServer().  The transport comes
 * from the command line (`--stdio`, `--node-ipc`, `--socket=N`), as
 * vscode-languageserver reads it.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { startServer } from './server.js';

startServer(createConnection(ProposedFeatures.all));

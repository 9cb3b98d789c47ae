/**
 * The language server as its own program: the VS Code extension starts
 * this file, bundled as dist/server.cjs, with `--stdio` (the same server
 * the CLI's `patchlens lsp --stdio` runs).
 */
import { startStdioServer } from './stdio.js';

startStdioServer();

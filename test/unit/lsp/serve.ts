/**
 * `patchlens lsp --stdio` from the sources (no build needed): the server
 * command of the LSP tests, the Neovim test and nothing else.
 */
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(['lsp', '--stdio']);

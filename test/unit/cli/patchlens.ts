/**
 * The CLI as a process, from the TypeScript sources (bin/patchlens.js runs
 * the bundle, which is only as new as the last `npm install`): for tests
 * that need a real process (stdin, environment, the tree-sitter binding).
 */
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

/**
 * vscode-languageclient, bundled on its own (dist/languageclient.cjs) and
 * loaded when the first patch mail starts the server: the extension's own
 * bundle, which VS Code loads at activation, stays small.
 */
export { LanguageClient, TransportKind } from 'vscode-languageclient/node.js';

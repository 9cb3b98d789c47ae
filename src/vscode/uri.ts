import * as vscode from 'vscode';

/** A URI from a finding's `file`: a path, or a URI for documents without one (untitled). */
export function uriOf(file: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
}

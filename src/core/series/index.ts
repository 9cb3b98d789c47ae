/**
 * Series assembly: subject prefixes, cover letters, threading, versions,
 * missing patches, changelogs and backport markers.
 *
 *   assembleSeries(messages) -> Series[]
 *   parseSubject(subject)    -> SubjectInfo
 *   readPatch(message)       -> Patch (commit message, trailers, diff, files)
 */
export { assembleSeries } from './assemble.js';
export { parseSubject, titleKey } from './subject.js';
export { readPatch, layoutBody, findUpstreamCommit, parseAddress } from './patch.js';
export { readCoverSummary } from './cover.js';
export { findChangelogs } from './changelog.js';
export type * from './types.js';

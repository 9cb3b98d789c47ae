/**
 * The subject prefix grammar of patch mail:
 *   [PATCH]  [RFC PATCH v2 3/7]  [PATCH mm-unstable v4 02/10]  [PATCH v6,19/24]
 *   [RFC][PATCH 1/2]  [PATCHv3 0/5]  [PATCH RESEND v2]  Re: [PATCH ...]
 *   [BUG] Re: [PATCH v3 10/13] ...   答复: [PATCH] ...
 * Everything before the title is read; the title is what `git mailinfo`
 * would keep (all leading bracket groups and reply markers removed).
 */
import type { SubjectInfo } from './types.js';

/** Reply and forward markers in the languages seen on the lists. */
const REPLY_MARKER = /^(?:re|aw|sv|vs|antw|fwd?|回复|回覆|答复|答覆)\s*(?:\[\d+\])?\s*[:：]\s*/i;
const BRACKET = /^\[([^\]]{0,200})\]\s*/;

/** Subject prefixes are short: never scan more than this many groups. */
const MAX_PREFIX_GROUPS = 16;

export function parseSubject(raw: string): SubjectInfo {
  const info: SubjectInfo = {
    raw,
    title: '',
    isReply: false,
    isPatch: false,
    rfc: false,
    resend: false,
    version: 1,
    index: null,
    total: null,
    tags: [],
  };
  let rest = raw.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < MAX_PREFIX_GROUPS; i++) {
    const reply = REPLY_MARKER.exec(rest);
    if (reply) {
      info.isReply = true;
      rest = rest.slice(reply[0].length);
      continue;
    }
    const bracket = BRACKET.exec(rest);
    if (bracket) {
      readBracket(bracket[1], info);
      rest = rest.slice(bracket[0].length);
      continue;
    }
    break;
  }
  info.title = rest.trim();
  return info;
}

/** Reads the words of one `[...]` group into `info`. */
function readBracket(inner: string, info: SubjectInfo): void {
  const words = inner.split(/[\s,]+/).filter(Boolean);
  let sawPatchWord = false;
  for (const word of words) {
    const upper = word.toUpperCase();
    // PATCHv3, PATCH-v2: the version glued to the word
    const glued = /^(PATCH|RFC)-?V(\d{1,4})$/.exec(upper);
    if (glued) {
      if (glued[1] === 'RFC') info.rfc = true;
      sawPatchWord = true;
      info.version = Number(glued[2]);
      continue;
    }
    if (upper === 'PATCH' || upper === 'PATCHES') {
      sawPatchWord = true;
      continue;
    }
    if (upper === 'RFC' || upper === 'RFT') {
      info.rfc = true;
      sawPatchWord = true;
      continue;
    }
    if (upper === 'RESEND') {
      info.resend = true;
      continue;
    }
    const version = /^V(\d{1,4})$/.exec(upper);
    if (version) {
      info.version = Number(version[1]);
      continue;
    }
    const counter = /^(\d{1,4})\/(\d{1,4})$/.exec(word);
    if (counter) {
      info.index = Number(counter[1]);
      info.total = Number(counter[2]);
      sawPatchWord = true;
      continue;
    }
    info.tags.push(word);
  }
  if (sawPatchWord) info.isPatch = true;
}

/** A title folded for comparison across versions and mailers. */
export function titleKey(title: string): string {
  return title.toLowerCase().replace(/\s+/g, ' ').trim();
}

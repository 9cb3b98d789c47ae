/**
 * The HTML of the series summary webview.  Everything in it that came from
 * mail (subjects, names, addresses, tags, changelog lines, finding messages)
 * goes through `esc` and is cut to a bounded length; nothing is ever put in
 * an attribute that the browser would act on (href, src, style, on*).  The
 * page loads nothing remote: the Content-Security-Policy allows only the
 * extension's own script and style, by nonce.
 */
import type { Summary, SeriesSummary, TagCell } from '../editor/summaryModel.js';

export interface PageOptions {
  /** Webview.cspSource. */
  cspSource: string;
  /** Fresh per render. */
  nonce: string;
  /** URI of media/summary.js, as the webview sees it. */
  scriptUri: string;
  /** URI of media/summary.css. */
  styleUri: string;
  /** Shown at the top: the input file name. */
  inputName: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(text: string, max = 300): string {
  let t = String(text);
  if (t.length > max) t = t.slice(0, max) + '\u2026';
  return t.replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

export function csp(o: Pick<PageOptions, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const KIND_ABBREV: Record<string, string> = {
  'reviewed-by': 'R-b', 'acked-by': 'A-b', 'tested-by': 'T-b', 'reported-by': 'Rep-b', 'suggested-by': 'Sug-b', 'nacked-by': 'N-b',
};

const STATE_TEXT: Record<TagCell['state'], string> = {
  reply: 'given in a reply', patch: 'in the patch', carried: 'carried from an earlier version', dropped: 'dropped: not in the latest version',
  mismatch: 'ignored: the sender does not match', unconfirmed: 'not applied: inline, obfuscated or without an address',
};

export function renderSummary(s: Summary, o: PageOptions): string {
  const body: string[] = [];
  body.push(`<header><h1>Series summary</h1><p class="input">${esc(o.inputName, 200)}</p></header>`);
  if (!s.series.length) body.push('<p class="empty">No patch series in this input.</p>');
  for (const series of s.series) body.push(renderSeries(series));
  body.push('<section><h2>Findings by rule</h2>');
  if (!s.findingsByRule.length) body.push('<p class="empty">No findings.</p>');
  for (const g of s.findingsByRule) {
    body.push(`<details open><summary><span class="sev ${g.severity}">${g.severity}</span> <code>${esc(g.rule, 80)}</code> (${g.items.length})</summary><ul class="findings">`);
    for (const { id, finding: f } of g.items.slice(0, 500)) {
      body.push(`<li><a class="goto" data-loc="${id}" tabindex="0">line ${f.line}</a> ${esc(f.message, 400)}</li>`);
    }
    if (g.items.length > 500) body.push(`<li>\u2026 and ${g.items.length - 500} more</li>`);
    body.push('</ul></details>');
  }
  body.push('</section>');
  if (s.problems) body.push(`<p class="problems">${s.problems} part(s) of the input could not be read; see the Problems panel.</p>`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp(o), 1000)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${esc(o.styleUri, 1000)}">
<title>Series summary</title></head>
<body>
${body.join('\n')}
<script nonce="${esc(o.nonce, 100)}" src="${esc(o.scriptUri, 1000)}"></script>
</body></html>`;
}

function renderSeries(s: SeriesSummary): string {
  const out: string[] = [];
  out.push(`<section class="series"><h2 class="title">${esc(s.title, 300)}</h2>`);
  out.push('<p class="versions">' + s.versions.map((v) =>
    `<span class="version">v${v.version}: ${v.present}/${v.total} patches${v.hasCover ? ' + cover' : ''}${v.missing.length ? `, missing ${v.missing.join(', ')}` : ''}</span>`).join(' ') + '</p>');
  const reviewers = s.reviewers.slice(0, 60);
  out.push('<div class="matrix-wrap"><table class="matrix"><thead><tr><th>#</th><th>patch</th><th>state</th><th>findings</th>');
  for (const r of reviewers) out.push(`<th class="reviewer" title="${esc(r.email, 200)}">${esc(r.name || r.email, 60)}</th>`);
  out.push('</tr></thead><tbody>');
  for (const p of s.patches.slice(0, 1000)) {
    const title = p.loc !== undefined ? `<a class="goto" data-loc="${p.loc}" tabindex="0">${esc(p.title, 200)}</a>` : esc(p.title, 200);
    out.push(`<tr class="${p.state}"><td class="num">${esc(p.label, 20)}</td><td class="ptitle">${title} <span class="pv">v${p.version}</span></td><td class="num">${p.state}</td><td class="num">${p.findings}</td>`);
    for (const r of reviewers) {
      const cells = p.tags.get(r.key) ?? [];
      out.push('<td>' + cells.map((c) => {
        const k = KIND_ABBREV[c.kind.toLowerCase()] ?? c.kind;
        return `<span class="tag ${c.state}" title="${esc(`${c.kind} on v${c.version}: ${STATE_TEXT[c.state]}`, 300)}">${esc(k, 20)}${c.state === 'patch' ? '' : ` (${c.state})`}</span>`;
      }).join(' ') + '</td>');
    }
    out.push('</tr>');
  }
  out.push('</tbody></table></div>');
  if (reviewers.length) {
    out.push('<p class="legend">R-b Reviewed-by, A-b Acked-by, T-b Tested-by. '
      + '<span class="tag patch">in the patch</span> <span class="tag reply">(reply) given in a reply</span> '
      + '<span class="tag carried">(carried) from an earlier version</span> <span class="tag dropped">(dropped) not in the latest version</span></p>');
  }
  if (s.reviewers.length > reviewers.length) out.push(`<p>\u2026 and ${s.reviewers.length - reviewers.length} more reviewers</p>`);
  if (s.changelog.length) {
    out.push('<h3>Changelog</h3>');
    for (const c of s.changelog.slice(0, 50)) {
      out.push(`<div class="changelog"><h4>${esc(c.version, 80)}</h4><pre>${c.lines.slice(0, 200).map((l) => esc(l, 400)).join('\n')}</pre></div>`);
    }
  }
  out.push('</section>');
  return out.join('\n');
}

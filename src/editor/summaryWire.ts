/**
 * The summary model (src/editor/summaryModel.ts) as JSON, for the trip from
 * the language server to the extension's webview: its only non-JSON part,
 * each patch row's tag map, travels as a list of entries.
 */
import type { PatchRow, SeriesSummary, Summary, TagCell } from './summaryModel.js';

export type WirePatchRow = Omit<PatchRow, 'tags'> & { tags: [string, TagCell[]][] };
export type WireSummary = Omit<Summary, 'series'> & { series: (Omit<SeriesSummary, 'patches'> & { patches: WirePatchRow[] })[] };

export function summaryToWire(s: Summary): WireSummary {
  return { ...s, series: s.series.map((x) => ({ ...x, patches: x.patches.map((p) => ({ ...p, tags: [...p.tags.entries()] })) })) };
}

export function summaryFromWire(w: WireSummary): Summary {
  return { ...w, series: w.series.map((x) => ({ ...x, patches: x.patches.map((p) => ({ ...p, tags: new Map(p.tags) })) })) };
}

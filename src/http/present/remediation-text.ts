/**
 * The catalogue's remediation texts name the wok as `{id}` ("hit
 * /diag/wok/{id}", "GET /v1/woks/{id}/functions"). Where the request names its
 * wok, the text is shown filled in, and the wok's id links to its page
 * /diag/wok/<id>; without a wok the catalogue's words stay as they are.
 */

export const WOK_PLACEHOLDER = '{id}';

/** A piece of a remediation text: plain words, or the wok's id (or its page's path) to show as a link. */
export type RemediationPart = { text: string; href?: string };

export function wokHref(wok: string): string {
  return `/diag/wok/${encodeURIComponent(wok)}`;
}

/** The text with every `{id}` replaced by the wok; null when the text has a placeholder and there is no wok to put in it. */
export function fillRemediation(text: string, wok: string | null): string | null {
  if (!text.includes(WOK_PLACEHOLDER)) return text;
  return wok ? text.split(WOK_PLACEHOLDER).join(wok) : null;
}

/**
 * The text in parts for a page: "/diag/wok/{id}" becomes the link
 * "/diag/wok/ledger", any other `{id}` the link "ledger"; one plain part when
 * there is nothing to fill or no wok.
 */
export function remediationParts(text: string, wok: string | null): RemediationPart[] {
  if (!wok || !text.includes(WOK_PLACEHOLDER)) return [{ text }];
  const href = wokHref(wok);
  const parts: RemediationPart[] = [];
  const pattern = /(\/diag\/wok\/)?\{id\}/g;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ text: m[1] ? `${m[1]}${wok}` : wok, href });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

/** What in an HTML page would make a browser reach for the network (for the offline report tests). */

/** Every reference that would load something: URLs, src=, href= not to an anchor of the page, @import, url(), external elements. */
export function networkReferences(html: string): string[] {
  const bad: string[] = [];
  for (const m of html.matchAll(/https?:|\/\/[a-z0-9.-]+\.[a-z]{2,}\//gi)) bad.push(m[0]);
  for (const m of html.matchAll(/\b(src|href|xlink:href|action|poster|srcset)\s*=\s*"([^"]*)"/gi))
    if (m[1].toLowerCase() !== "href" || !m[2].startsWith("#")) bad.push(m[0]);
  for (const m of html.matchAll(/@import|url\(\s*['"]?(?!#)/gi)) bad.push(m[0]);
  for (const m of html.matchAll(/<(script|link|iframe|img|object|embed)\b/gi)) bad.push(m[0]);
  return bad;
}

import sanitizeHtml from "sanitize-html";

/**
 * Rich text of items and documents is kept as sanitized HTML: the tags an editor of a
 * government notice needs (paragraphs, headings, lists, tables, emphasis, links), no
 * scripts, styles, event handlers or foreign embeds; links only http(s) and mailto, and
 * they open as ordinary links. Plain text (for screening and search) is derived from it.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "div", "hr"],
  allowedAttributes: { a: ["href", "title"], th: ["colspan", "rowspan"], td: ["colspan", "rowspan"] },
  allowedSchemes: ["http", "https", "mailto"],
  disallowedTagsMode: "discard",
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
};

/** Plain text typed into a form becomes paragraphs; HTML is sanitized. */
export function sanitizeBody(input: string): string {
  const looksLikeHtml = /<\/?[a-z][\s\S]*>/i.test(input);
  const html = looksLikeHtml
    ? input
    : input
        .split(/\r?\n\s*\r?\n|\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => `<p>${p.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>`)
        .join("");
  return sanitizeHtml(html, { ...options, allowedAttributes: { ...options.allowedAttributes, a: ["href", "title", "rel"] } }).trim();
}

/** The text a reader sees, one line per block, entities decoded. */
export function textOf(html: string): string {
  const blocks = html.replace(/<\/(p|h2|h3|h4|li|tr|blockquote|div)>|<br\s*\/?>/gi, "\n");
  return sanitizeHtml(blocks, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

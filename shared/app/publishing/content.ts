import type sanitizeHtml from "sanitize-html";

/**
 * Rich text of items and documents is kept as sanitized HTML: the tags an editor of a
 * government notice needs (paragraphs, headings, lists, tables, emphasis, links), no
 * scripts, styles, event handlers or foreign embeds; links only http(s) and mailto, and
 * they open as ordinary links. Plain text (for screening and search) is derived from it.
 */
function optionsOf(sanitize: typeof sanitizeHtml): sanitizeHtml.IOptions {
  return {
    allowedTags: ["p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "span", "div", "hr"],
    allowedAttributes: { a: ["href", "title"], th: ["colspan", "rowspan"], td: ["colspan", "rowspan"] },
    allowedSchemes: ["http", "https", "mailto"],
    disallowedTagsMode: "discard",
    transformTags: { a: sanitize.simpleTransform("a", { rel: "noopener noreferrer" }) },
  };
}

let loaded: Promise<{ sanitize: typeof sanitizeHtml; options: sanitizeHtml.IOptions }> | undefined;
/** sanitize-html and its parser (~165 KB minified) load when an item's text is first read, not at every cold start of the functions that can. */
const sanitizer = () => (loaded ??= import("sanitize-html").then(({ default: sanitize }) => ({ sanitize, options: optionsOf(sanitize) })));

/** Plain text typed into a form becomes paragraphs; HTML is sanitized. */
export async function sanitizeBody(input: string): Promise<string> {
  const { sanitize, options } = await sanitizer();
  const looksLikeHtml = /<\/?[a-z][\s\S]*>/i.test(input);
  const html = looksLikeHtml
    ? input
    : input
        .split(/\r?\n\s*\r?\n|\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => `<p>${p.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>`)
        .join("");
  return sanitize(html, { ...options, allowedAttributes: { ...options.allowedAttributes, a: ["href", "title", "rel"] } }).trim();
}

/** The text a reader sees, one line per block, entities decoded. */
export async function textOf(html: string): Promise<string> {
  const { sanitize } = await sanitizer();
  const blocks = html.replace(/<\/(p|h2|h3|h4|li|tr|blockquote|div)>|<br\s*\/?>/gi, "\n");
  return sanitize(blocks, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

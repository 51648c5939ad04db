import * as fs from "node:fs";
import * as path from "node:path";
import katex from "katex";
import MarkdownIt = require("markdown-it");

/**
 * Markdown → HTML for the reports: markdown-it (CommonMark + tables, raw HTML allowed as
 * in Jupyter) with math rendered server-side by KaTeX, as Jupyter's MathJax would show it:
 * `$…$` inline, `$$…$$` display (inline or as a block), and `\begin{env}…\end{env}` blocks.
 * Headings get stable ids for the report's table of contents.
 */
export interface Heading {
  level: number;
  text: string;
  id: string;
}

export interface MarkdownRenderer {
  render(src: string): string;
  /** Math rendered inline (`display` false) or as a block; errors show KaTeX's message in red. */
  math(tex: string, display: boolean): string;
  /** Headings seen so far, in order. */
  readonly headings: Heading[];
  /** Whether any math was rendered (the report then embeds KaTeX's CSS and fonts). */
  readonly usedMath: boolean;
}

type StateInline = MarkdownIt.StateInline;
type StateBlock = MarkdownIt.StateBlock;

/**
 * A heading's anchor id: lower case, words joined by hyphens, CJK characters kept.
 *
 * @example
 *   slugify("Table 2 Baseline"); // "table-2-baseline"
 */
export function slugify(s: string): string {
  const slug = s
    .toLowerCase()
    .normalize("NFKC")
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "section";
}

/**
 * The Markdown renderer of the reports: markdown-it with KaTeX for `$…$` and `$$…$$` (rendered offline, errors shown in place) and anchored headings.
 *
 * @example
 *   createMarkdown().render("**β** = $\\hat\\beta$");
 */
export function createMarkdown(): MarkdownRenderer {
  const macros: Record<string, string> = {}; // shared across cells, like MathJax's \newcommand
  let usedMath = false;
  const headings: Heading[] = [];
  const ids = new Map<string, number>();
  const math = (tex: string, display: boolean): string => {
    usedMath = true;
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: false,
      macros,
      globalGroup: true,
      strict: "ignore",
      output: "htmlAndMathml",
      trust: false,
    });
  };
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.inline.ruler.after("escape", "math_inline", (state: StateInline, silent: boolean): boolean => mathInline(state, silent));
  md.block.ruler.before(
    "fence",
    "math_block",
    (state: StateBlock, start: number, end: number, silent: boolean) => mathBlock(state, start, end, silent),
    { alt: ["paragraph", "reference", "blockquote", "list"] },
  );
  md.renderer.rules["math_inline"] = (tokens, idx) => math((tokens[idx] as MarkdownIt.Token).content, false);
  md.renderer.rules["math_display"] = (tokens, idx) =>
    `<div class="math-display">${math((tokens[idx] as MarkdownIt.Token).content, true)}</div>\n`;
  md.renderer.rules["math_inline_display"] = (tokens, idx) =>
    `<span class="math-display">${math((tokens[idx] as MarkdownIt.Token).content, true)}</span>`;
  md.core.ruler.push("heading_ids", (state) => {
    const toks = state.tokens;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as MarkdownIt.Token;
      if (t.type !== "heading_open") continue;
      const inline = toks[i + 1] as MarkdownIt.Token | undefined;
      const title =
        (inline?.children ?? []).map((c) => (c.type === "math_inline" ? c.content : c.content)).join("") || inline?.content || "";
      let id = slugify(title);
      const n = ids.get(id) ?? 0;
      ids.set(id, n + 1);
      if (n > 0) id = `${id}-${n}`;
      t.attrSet("id", id);
      headings.push({ level: Number(t.tag.slice(1)), text: title, id });
    }
    return true;
  });
  return {
    render: (src) => md.render(src),
    math,
    headings,
    get usedMath() {
      return usedMath;
    },
  };
}

/** `$…$` (pandoc rules: no space after the opening or before the closing `$`, no digit after the closing one) and `$$…$$` inside a paragraph. */
function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x24 /* $ */) return false;
  const display = src.charCodeAt(start + 1) === 0x24;
  const open = display ? 2 : 1;
  let pos = start + open;
  if (!display) {
    const c = src[pos];
    if (c === undefined || c === " " || c === "\t" || c === "\n") return false;
  }
  while (pos < state.posMax) {
    const ch = src.charCodeAt(pos);
    if (ch === 0x5c /* \ */) {
      pos += 2;
      continue;
    }
    if (ch === 0x24) {
      if (display) {
        if (src.charCodeAt(pos + 1) === 0x24) break;
      } else {
        const prev = src[pos - 1];
        const next = src[pos + 1];
        if (prev !== " " && prev !== "\t" && prev !== "\n" && !(next !== undefined && /[0-9]/.test(next))) break;
      }
    }
    pos++;
  }
  if (pos >= state.posMax) return false;
  const content = src.slice(start + open, pos);
  if (content.trim() === "") return false;
  if (!silent) {
    const tok = state.push(display ? "math_inline_display" : "math_inline", "math", 0);
    tok.markup = display ? "$$" : "$";
    tok.content = content;
  }
  state.pos = pos + open;
  return true;
}

/** A block starting with `$$` (closing `$$` on the same or a later line) or `\begin{…}` up to the matching `\end{…}`. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (l: number): string =>
    state.src.slice((state.bMarks[l] as number) + (state.tShift[l] as number), state.eMarks[l] as number);
  if ((state.sCount[startLine] as number) - state.blkIndent >= 4) return false;
  const first = lineText(startLine);
  let close: RegExp;
  let keepDelims = false;
  let body: string;
  if (first.startsWith("$$")) {
    close = /\$\$\s*$/;
    body = first.slice(2);
  } else {
    const m = /^\\begin\{([a-zA-Z*]+)\}/.exec(first);
    if (!m) return false;
    close = new RegExp(`\\\\end\\{${(m[1] as string).replace("*", "\\*")}\\}\\s*$`);
    keepDelims = true;
    body = first;
  }
  let line = startLine;
  let found = close.test(body) && (keepDelims || body.trim() !== "");
  const parts: string[] = [body];
  while (!found) {
    line++;
    if (line >= endLine) return false;
    const t = lineText(line);
    parts.push(t);
    if (close.test(t)) found = true;
  }
  if (silent) return true;
  let content = parts.join("\n");
  if (!keepDelims) content = content.replace(/\$\$\s*$/, "");
  state.line = line + 1;
  const tok = state.push("math_display", "math", 0);
  tok.block = true;
  tok.content = content.trim();
  tok.map = [startLine, state.line];
  tok.markup = keepDelims ? "\\begin" : "$$";
  return true;
}

let katexCss: string | undefined;
/**
 * KaTeX's stylesheet with its fonts inlined as base64 woff2 data URLs (the woff and ttf
 * fallbacks are dropped: every browser that renders the report reads woff2).
 */
export function inlineKatexCss(): string {
  if (katexCss !== undefined) return katexCss;
  const dist = path.dirname(require.resolve("katex/dist/katex.min.css"));
  const css = fs.readFileSync(path.join(dist, "katex.min.css"), "utf8");
  const cache = new Map<string, string>();
  katexCss = css.replace(
    /src:\s*url\(fonts\/([A-Za-z0-9_-]+)\.woff2\)\s*format\("woff2"\)(?:\s*,\s*url\([^)]*\)\s*format\("[a-z]+"\))*/g,
    (_m, name: string) => {
      let b64 = cache.get(name);
      if (b64 === undefined) {
        b64 = fs.readFileSync(path.join(dist, "fonts", `${name}.woff2`)).toString("base64");
        cache.set(name, b64);
      }
      return `src:url(data:font/woff2;base64,${b64}) format("woff2")`;
    },
  );
  if (/url\((?!data:)/.test(katexCss))
    throw new Error("runner: KaTeX CSS still references external font files after inlining (katex version changed?)");
  return katexCss;
}

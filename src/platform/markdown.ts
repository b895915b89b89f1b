import MarkdownIt from 'markdown-it';

/**
 * The universities' texts (#12 §4: notes, manual, inquiry, landing page) are Markdown written in
 * the console and shown to every student, so they are rendered by markdown-it restricted to a
 * small subset: paragraphs, line breaks, emphasis, lists, headings and links. Raw HTML is off
 * (typed tags come out as text), images, tables and code blocks are not parsed, and a link must
 * go to http(s) or mailto — anything else (javascript:, data:, vbscript:) stays plain text.
 */
const markdown = MarkdownIt('zero', { html: false, linkify: false, typographer: false, breaks: true });
markdown.enable(['paragraph', 'heading', 'list', 'emphasis', 'link', 'newline', 'escape', 'text']);
markdown.validateLink = (url) => /^(https?:\/\/|mailto:)/i.test(url.trim());

type Token = ReturnType<typeof markdown.parse>[number];

// The page's own title is its h1, so a text's "# Heading" becomes an h2 beneath it.
markdown.renderer.rules.heading_open = (tokens, index) => `<${shiftedHeading(tokens[index]!)}>`;
markdown.renderer.rules.heading_close = (tokens, index) => `</${shiftedHeading(tokens[index]!)}>\n`;
markdown.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  const token = tokens[index]!;
  if (/^https?:/i.test(String(token.attrGet('href') ?? ''))) token.attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, index, options);
};

function shiftedHeading(token: Token): string {
  return `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
}

/** Safe HTML of a university's text (escaped, tags of the subset only). */
export function markdownToHtml(source: string): string {
  return markdown.render(source);
}

/**
 * The same text for a plain-text mail: the words without the marks, list items as "・" lines,
 * a link as "words (address)" so the address can still be followed.
 */
export function markdownToText(source: string): string {
  const lines: string[] = [];
  let line = '';
  let bullet = false;
  const flush = () => {
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
  };
  for (const token of markdown.parse(source, {})) {
    // A blank line between blocks, as between paragraphs of a mail; none between list items.
    if (token.level === 0 && token.nesting === 1 && lines.length > 0) lines.push('');
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') bullet = true;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') bullet = false;
    else if (token.type === 'paragraph_close' || token.type === 'heading_close') flush();
    else if (token.type === 'inline') line += (bullet ? '・' : '') + inlineText(token.children ?? []);
  }
  flush();
  return lines.join('\n');
}

function inlineText(children: Token[]): string {
  let text = '';
  let href: string | undefined;
  let label = '';
  for (const child of children) {
    if (child.type === 'link_open') {
      href = String(child.attrGet('href') ?? '');
      label = '';
    } else if (child.type === 'link_close') {
      text += href && label !== href && label !== href.replace(/^mailto:/, '') ? `${label} (${href})` : label;
      href = undefined;
    } else if (child.type === 'softbreak' || child.type === 'hardbreak') {
      if (href !== undefined) label += ' ';
      else text += '\n';
    } else if (child.type === 'text') {
      if (href !== undefined) label += child.content;
      else text += child.content;
    }
  }
  return text;
}

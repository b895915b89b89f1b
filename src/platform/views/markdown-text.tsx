import { markdownToHtml } from '../markdown.js';

/**
 * A university's Markdown text on a page. The HTML is markdown-it's with raw HTML off and links
 * limited to http(s) and mailto (platform/markdown.ts), so it is safe to insert as it is.
 */
export function MarkdownText({ source, class: className }: { source: string; class?: string }) {
  return (
    <div
      class={className ? `prose ${className}` : 'prose'}
      dangerouslySetInnerHTML={{ __html: markdownToHtml(source) }}
    />
  );
}

import MarkdownIt from 'markdown-it';

// Raw HTML in agent text is escaped, not rendered; markdown-it also refuses javascript:, vbscript: and data: links.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true });
const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  tokens[i]!.attrSet('rel', 'noopener noreferrer nofollow');
  tokens[i]!.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, i, options, env, self);
};

/** Agent or person Markdown as safe HTML for the session page. */
export const renderMarkdown = (text: string): string => md.render(text);

export const escapeHtml = (text: string): string => md.utils.escapeHtml(text);

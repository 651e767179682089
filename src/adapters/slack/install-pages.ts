const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const installedPage = (workspace: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Baton installed</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto;">
<h1>Baton is installed in ${escapeHtml(workspace)}</h1>
<p>Open Slack and type <code>/baton help</code> to get started.</p>
</body></html>`;

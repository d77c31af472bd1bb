// The local test chat at /: the official Bot Framework Web Chat bundle, served from our own
// node_modules (never a CDN), talking to our Direct Line endpoint.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the Web Chat bundle is, or why there is none (a production install leaves it out). */
export function findWebChatBundle(): { file: string } | { missing: string } {
  try {
    // The package exports no package.json; its CommonJS entry is lib/index.js under the package root.
    const entry = createRequire(import.meta.url).resolve('botframework-webchat');
    const file = path.join(path.dirname(entry), '..', 'dist', 'webchat.js');
    return existsSync(file) ? { file } : { missing: `${file} is missing` };
  } catch {
    return { missing: 'botframework-webchat is not installed (a production install, npm ci --omit=dev, leaves it out)' };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Starts Web Chat: a file of its own, so the page's Content-Security-Policy needs no inline script. */
export const WEBCHAT_START_SCRIPT = `(async function () {
  const res = await fetch('/directline/tokens/generate', { method: 'POST' });
  const { token } = await res.json();
  const directLine = window.WebChat.createDirectLine({ token, domain: location.origin + '/directline', webSocket: false, pollingInterval: 500 });
  window.WebChat.renderWebChat(
    { directLine, userID: 'local-user', username: 'You', locale: 'en-GB', styleOptions: { bubbleMaxWidth: 720, hideUploadButton: true } },
    document.getElementById('webchat')
  );
  document.querySelector('#webchat').focus();
})();
`;

export function webChatPage(info: { entries: number; hash: string; examples: string[] }): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>codebot: local test chat</title>
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  header { padding: 10px 16px; background: #005eb8; color: #fff; }
  header h1 { font-size: 18px; margin: 0 0 4px; }
  header p { font-size: 13px; margin: 0; }
  #webchat { flex: 1; min-height: 0; }
  /* Card buttons as a wrapping row of their own width, not six full-width bars. */
  #webchat .ac-actionSet { flex-direction: row !important; flex-wrap: wrap; gap: 6px; align-items: flex-start !important; }
  #webchat .ac-actionSet > div:not(.ac-pushButton) { display: none; }
  #webchat .ac-actionSet > .ac-pushButton { flex: 0 1 auto !important; max-width: 100%; padding: 4px 10px !important; }
  /* Words wrap whole: "confirmed", never "confir/med". */
  #webchat .ac-textBlock, #webchat .ac-textBlock * { word-break: normal !important; overflow-wrap: break-word !important; hyphens: none; }
  /* On a phone-width window the header keeps to its title and what is loaded. */
  @media (max-width: 600px) {
    header { padding: 6px 10px; }
    header h1 { font-size: 16px; margin: 0; }
    header .more { display: none; }
  }
</style>
</head>
<body>
<header>
  <h1>codebot: local test chat</h1>
  <p>This is a local test chat, not Teams or Slack.<span class="more"> It uses the same bot endpoint and cards as Teams.</span>
  Knowledge loaded: <span id="knowledge">${info.entries} NICE interventional procedures guidance pages<span class="more"> (knowledge ${escapeHtml(info.hash)})</span></span>.<span class="more">
  Ask <q>which guidance do you know?</q> to see them.
  Try: ${info.examples.map((e) => `<q>${escapeHtml(e)}</q>`).join(', ')}.</span></p>
</header>
<main id="webchat" aria-label="Chat with codebot"></main>
<script src="/webchat/webchat.js"></script>
<script src="/webchat/start.js"></script>
</body>
</html>
`;
}

/**
 * The one script the site serves, behind the feed pages' copy buttons. It is
 * a same-origin file so the Content-Security-Policy can forbid inline script.
 * The buttons start hidden and appear only when the clipboard can be written,
 * so without JavaScript the page still shows the address to copy by hand.
 */
export const COPY_FEED_URL_SCRIPT = `"use strict";
for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.getAttribute("data-copy"));
  const status = button.parentElement && button.parentElement.querySelector(".copy-status");
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      if (status) status.textContent = "Copied.";
    } catch {
      // Clipboard refused (permissions, insecure origin): select the address for Ctrl+C instead.
      getSelection().selectAllChildren(source);
      if (status) status.textContent = "Press Ctrl+C to copy.";
    }
  });
}
`

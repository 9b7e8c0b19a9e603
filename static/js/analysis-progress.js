// Follows a background analysis (grouping comments, proposing themes): updates its progress
// bar and the politely announced text, and says when it is done or failed. The page is not
// reloaded by itself (the official may be typing in a form); the text offers the reload.
(function () {
  "use strict";
  var box = document.querySelector(".analysis-run[data-status-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector(".analysis-run-text");
  function say(message) {
    if (text.textContent.trim() !== message) { text.textContent = message; }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (run) {
        bar.value = run.progress;
        if (run.status === "done") {
          bar.value = 100;
          say(text.dataset.done);
        } else if (run.status === "failed" || run.status === "stalled") {
          say(text.dataset.failed);
        } else {
          say(text.dataset.template
            .replace("{status}", text.dataset[run.status] || run.status)
            .replace("{n}", String(run.progress)));
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 1500);
})();

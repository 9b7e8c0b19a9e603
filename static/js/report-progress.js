// Polls the status of a report file being built, updates the progress bar and its
// text (announced politely), and starts the download when the file is ready.
(function () {
  "use strict";
  var box = document.querySelector(".export-progress");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = document.getElementById("export-progress-text");
  var template = text.textContent.replace(/\d+\s*%/, "{n}%");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.value = status.progress;
        text.textContent = template.replace("{n}", String(status.progress));
        if (status.status === "done") {
          window.location.href = status.url;
        } else if (status.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();

// A shared link to a provision (#p-<key>) that this page does not have: a later
// version deleted it, or merged it into another. Ask the server where it is now.
(function () {
  "use strict";
  var draft = document.querySelector("[data-provision-finder]");
  if (!draft) return;
  function follow() {
    var hash = window.location.hash;
    if (hash.indexOf("#p-") !== 0) return;
    var key = decodeURIComponent(hash.slice(3));
    if (!key || document.getElementById("p-" + key)) return;
    window.location.replace(draft.getAttribute("data-provision-finder") + encodeURIComponent(key));
  }
  follow();
  window.addEventListener("hashchange", follow);
})();

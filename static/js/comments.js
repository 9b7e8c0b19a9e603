/* Comments: open the form in place under a paragraph, and fit the form to the kind chosen.
 *
 * Without this script every "Comment" control is a link to the form's own page,
 * which does the same; the script turns each link into a <button> (aria-expanded,
 * aria-controls) that fetches that page's form once and shows it under the paragraph.
 * Nothing here builds markup from user text: the form arrives rendered and escaped.
 */
(function () {
  "use strict";

  var KINDS_WITHOUT_WORDING = ["delete", "general"];

  function fitToKind(form) {
    var field = form.querySelector(".proposed-field");
    var textarea = field && field.querySelector("textarea");
    if (!textarea) { return; }
    var current = form.getAttribute("data-current-wording") || "";
    function update() {
      var checked = form.querySelector("input[name=kind]:checked");
      var kind = checked ? checked.value : "";
      field.hidden = KINDS_WITHOUT_WORDING.indexOf(kind) !== -1;
      if (kind === "add" && textarea.value.trim() === current.trim()) {
        textarea.value = "";  // a new provision starts empty, not as a copy of this one
      } else if (kind === "change" && textarea.value.trim() === "") {
        textarea.value = current;
      }
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") { update(); }
    });
    update();
  }

  function show(button, slot) {
    slot.hidden = false;
    button.setAttribute("aria-expanded", "true");
    var first = slot.querySelector("select, input:not([type=hidden]), textarea, a[href]");
    if (first) { first.focus(); }
  }

  function hide(button, slot) {
    slot.hidden = true;
    button.setAttribute("aria-expanded", "false");
  }

  function load(button, slot, href) {
    var url = new URL(href, window.location.href);
    url.searchParams.set("fragment", "1");
    button.setAttribute("aria-busy", "true");
    fetch(url.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })  // a refusal explains itself in the HTML
      .then(function (html) {
        var fragment = new DOMParser().parseFromString(html, "text/html").body;
        slot.replaceChildren.apply(slot, Array.prototype.slice.call(fragment.childNodes));
        slot.setAttribute("data-loaded", "1");
        Array.prototype.forEach.call(slot.querySelectorAll("form.comment-form"), fitToKind);
        button.removeAttribute("aria-busy");
        show(button, slot);
      })
      .catch(function () { window.location.href = href; });  // offline or failing: the full page
  }

  function upgrade(link) {
    var slot = document.getElementById(link.getAttribute("data-comment-toggle"));
    if (!slot) { return; }
    var href = link.href;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    while (link.firstChild) { button.appendChild(link.firstChild); }
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", slot.id);
    link.parentNode.replaceChild(button, link);
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-expanded") === "true") { hide(button, slot); }
      else if (slot.getAttribute("data-loaded")) { show(button, slot); }
      else { load(button, slot, href); }
    });
    slot.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(button, slot); button.focus(); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("a[data-comment-toggle]"), upgrade);
  Array.prototype.forEach.call(document.querySelectorAll("form.comment-form"), fitToKind);
})();

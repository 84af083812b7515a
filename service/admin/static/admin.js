/* Tandem admin: small conveniences on top of pages that work without JavaScript.
   Select all, keyboard shortcuts on the focused comment (a approve, r reject, j/k move), copy buttons. */
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function setUpBulk(form) {
    var all = form.querySelector("[data-select-all]");
    if (all) {
      all.closest("label").hidden = false;
      all.addEventListener("change", function () {
        form.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = all.checked; });
      });
    }
    var hint = form.querySelector(".hint");
    if (hint) { hint.hidden = false; }
  }

  function move(from, step) {
    var cards = Array.prototype.slice.call(document.querySelectorAll("article.comment"));
    var next = cards[cards.indexOf(from) + step] || (from ? null : cards[0]);
    if (next) { next.focus(); }
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var card = event.target.closest ? event.target.closest("article.comment") : null;
    if (event.key === "j" || event.key === "k") {
      move(card, event.key === "j" ? 1 : -1);
      return;
    }
    if (!card) { return; }
    var button = card.querySelector('[data-shortcut="' + event.key + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  }

  function setUpCopy(button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent).then(function () {
        button.textContent = "Copied";
      });
    });
  }

  document.querySelectorAll("form[data-bulk]").forEach(setUpBulk);
  document.querySelectorAll("[data-copy]").forEach(setUpCopy);
  document.addEventListener("keydown", onKey);
}());

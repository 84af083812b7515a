/* Tandem: a reader changes their own comment, while the service allows it (the edit window).
   Only readers who have just posted see Edit and Delete, so embed.js loads this file on the first
   press of either. TandemParts.own(widget) returns {edit, remove}, each called with the comment
   and the button pressed; `widget` lends embed.js's state and helpers (see lazy() there). */
(function () {
  "use strict";
  /* Only the wording used here; the buttons' labels and the edit form are embed.js's. */
  var STRINGS = {
    en: {
      sure: "Really delete?", saved: "Your changes are saved.", gone: "Your comment is deleted.",
      errors: { edit_window_over: "The time to change this comment is over." }
    },
    de: {
      sure: "Wirklich löschen?", saved: "Deine Änderungen sind gespeichert.", gone: "Dein Kommentar ist gelöscht.",
      errors: { edit_window_over: "Die Zeit zum Ändern ist vorbei." }
    },
    fr: {
      sure: "Vraiment supprimer ?", saved: "Vos modifications sont enregistrées.", gone: "Votre commentaire est supprimé.",
      errors: { edit_window_over: "Le délai de modification est dépassé." }
    },
    es: {
      sure: "¿Borrar de verdad?", saved: "Tus cambios están guardados.", gone: "Tu comentario está borrado.",
      errors: { edit_window_over: "Se acabó el tiempo para editar este comentario." }
    }
  };

  window.TandemParts = window.TandemParts || {};
  window.TandemParts.own = function (widget) {
    var T = STRINGS[widget.lang] || STRINGS.en;
    var store = widget.store, state = widget.state, ui = widget.ui;
    Object.assign(widget.T.errors, T.errors);  // so the widget's error messages cover these requests too

    /* The edit form in place of the comment's text, filled with what the reader wrote (kept in
       their browser), else with the text as shown. */
    function edit(c, button) {
      var main = button.closest(".main"), text = main.querySelector(":scope > .text");
      if (main.querySelector(":scope > .form-edit")) return;
      var form = widget.commentForm("edit", c, save);
      var input = form.fields.text.input;
      form.opener = button;
      input.value = (store.own[c.id] || {}).text || text.textContent;
      input.dispatchEvent(new Event("input"));  // the countdown, if near the limit
      text.after(form);
      input.focus();
    }

    function save(form, c) {
      var own = store.own[c.id];
      var newText = form.elements.text.value;
      return widget.api("PATCH", "/comments/" + c.id, { text: newText }, { "X-Edit-Token": own.edit }).then(function (result) {
        own.text = newText;
        widget.saveStore();
        var fresh = result.comment;
        if (c.status !== "pending" && fresh.status === "pending") state.total -= 1;
        widget.setCount();
        replaceComment(c.id, fresh);
        widget.announce(fresh.status === "pending" ? widget.T.waiting : T.saved);
        state.comments[c.id].article.focus();
      });
    }

    /* The comment drawn anew, keeping the replies already under it. */
    function replaceComment(id, fresh) {
      var old = state.comments[id];
      fresh.replies = [];
      var article = widget.commentNode(fresh);
      state.comments[id].replies.replaceWith(old.replies);
      state.comments[id].replies = old.replies;
      old.article.replaceWith(article);
    }

    /* The first press asks "Really delete?", the second deletes. A comment with replies leaves a
       tombstone above them. */
    function remove(c, button) {
      if (!button.dataset.armed) {
        button.dataset.armed = "1";
        button.textContent = T.sure;
        return;
      }
      widget.api("DELETE", "/comments/" + c.id, null, { "X-Edit-Token": store.own[c.id].edit }).then(function () {
        delete store.own[c.id];
        widget.saveStore();
        if (c.status !== "pending") state.total -= 1;
        widget.setCount();
        var entry = state.comments[c.id];
        if (entry.replies.childElementCount) replaceComment(c.id, { id: c.id, parent: c.parent, deleted: true });
        else entry.article.remove();
        ui.empty.hidden = ui.list.childElementCount > 0;
        widget.announce(T.gone);
        ui.count.focus();
      }, function (error) { widget.announce(widget.errorMessage(error)); });
    }

    return { edit: edit, remove: remove };
  };
})();

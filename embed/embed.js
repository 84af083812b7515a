/* Tandem comments: renders this page's thread into #tandem-comments, inside an open shadow root.
   Plain JavaScript, no build step. User text only ever reaches the DOM through textContent;
   the comment HTML, sanitised by the service, enters through parseBodies() alone. */
(function () {
  "use strict";
  var script = document.currentScript;
  var host = document.getElementById("tandem-comments");
  if (!script || !host || host.shadowRoot) return;

  var STRINGS = {
    en: {
      count: { one: "{n} comment", other: "{n} comments" }, likes: { one: "{n} like", other: "{n} likes" },
      text: "Your comment", name: "Name", email: "E-mail", website: "Website", optional: "optional",
      private: "never shown", notify: "E-mail me when someone replies", post: "Post comment",
      reply: "Reply", cancel: "Cancel", edit: "Edit", save: "Save", remove: "Delete", sure: "Really delete?",
      like: "Like", author: "Author", anonymous: "Anonymous", held: "Awaiting moderation", edited: "edited",
      deleted: "This comment was deleted.", sort: "Sort by", oldest: "Oldest", newest: "Newest", top: "Top",
      more: "Load more comments", empty: "No comments yet. Be the first!", closed: "Comments are closed.",
      help: "Markdown works: *italic*, **bold**, [link](https://…), `code`, > quote.",
      posted: "Your comment is published.", waiting: "Thanks! Your comment will appear once it is approved.",
      saved: "Your changes are saved.", gone: "Your comment is deleted.", loading: "Loading comments…",
      errors: {
        text: "Please write a comment (up to 10,000 characters).", author: "Please give your name (up to 100 characters).",
        email: "Please check your e-mail address.", website: "Please give a web address starting with https://.",
        too_large: "Your comment is too long.", rate_limited: "You are posting too fast. Please wait a minute.",
        thread_closed: "Comments on this post are closed.", unknown_parent: "The comment you reply to is no longer there.",
        edit_window_over: "The time to change this comment is over.", origin_not_allowed: "Comments cannot be posted from this page.",
        network: "The comment server cannot be reached. Please try again.", other: "Something went wrong. Please try again."
      }
    },
    de: {
      count: { one: "{n} Kommentar", other: "{n} Kommentare" }, likes: { one: "{n} Like", other: "{n} Likes" },
      text: "Dein Kommentar", name: "Name", email: "E-Mail", website: "Website", optional: "freiwillig",
      private: "wird nie angezeigt", notify: "Benachrichtige mich per E-Mail über Antworten", post: "Kommentar senden",
      reply: "Antworten", cancel: "Abbrechen", edit: "Bearbeiten", save: "Speichern", remove: "Löschen", sure: "Wirklich löschen?",
      like: "Gefällt mir", author: "Autor", anonymous: "Anonym", held: "Wartet auf Freigabe", edited: "bearbeitet",
      deleted: "Dieser Kommentar wurde gelöscht.", sort: "Sortieren", oldest: "Älteste", newest: "Neueste", top: "Beliebteste",
      more: "Weitere Kommentare laden", empty: "Noch keine Kommentare. Schreib den ersten!", closed: "Die Kommentare sind geschlossen.",
      help: "Markdown geht: *kursiv*, **fett**, [Link](https://…), `Code`, > Zitat.",
      posted: "Dein Kommentar ist veröffentlicht.", waiting: "Danke! Dein Kommentar erscheint, sobald er freigegeben ist.",
      saved: "Deine Änderungen sind gespeichert.", gone: "Dein Kommentar ist gelöscht.", loading: "Kommentare werden geladen…",
      errors: {
        text: "Bitte schreib einen Kommentar (bis 10.000 Zeichen).", author: "Bitte gib deinen Namen an (bis 100 Zeichen).",
        email: "Bitte prüfe deine E-Mail-Adresse.", website: "Bitte gib eine Webadresse mit https:// an.",
        too_large: "Dein Kommentar ist zu lang.", rate_limited: "Du schreibst zu schnell. Bitte warte eine Minute.",
        thread_closed: "Die Kommentare zu diesem Beitrag sind geschlossen.", unknown_parent: "Der Kommentar, auf den du antwortest, ist nicht mehr da.",
        edit_window_over: "Die Zeit zum Ändern ist vorbei.", origin_not_allowed: "Von dieser Seite aus kann nicht kommentiert werden.",
        network: "Der Kommentar-Server ist nicht erreichbar. Bitte versuch es noch einmal.", other: "Etwas ist schiefgegangen. Bitte versuch es noch einmal."
      }
    },
    fr: {
      count: { one: "{n} commentaire", other: "{n} commentaires" }, likes: { one: "{n} j’aime", other: "{n} j’aime" },
      text: "Votre commentaire", name: "Nom", email: "E-mail", website: "Site web", optional: "facultatif",
      private: "jamais affiché", notify: "Me prévenir par e-mail des réponses", post: "Publier",
      reply: "Répondre", cancel: "Annuler", edit: "Modifier", save: "Enregistrer", remove: "Supprimer", sure: "Vraiment supprimer ?",
      like: "J’aime", author: "Auteur", anonymous: "Anonyme", held: "En attente de modération", edited: "modifié",
      deleted: "Ce commentaire a été supprimé.", sort: "Trier par", oldest: "Plus anciens", newest: "Plus récents", top: "Populaires",
      more: "Afficher plus de commentaires", empty: "Pas encore de commentaire. Lancez-vous !", closed: "Les commentaires sont fermés.",
      help: "Markdown accepté : *italique*, **gras**, [lien](https://…), `code`, > citation.",
      posted: "Votre commentaire est publié.", waiting: "Merci ! Votre commentaire apparaîtra après validation.",
      saved: "Vos modifications sont enregistrées.", gone: "Votre commentaire est supprimé.", loading: "Chargement des commentaires…",
      errors: {
        text: "Écrivez un commentaire (10 000 caractères au plus).", author: "Indiquez votre nom (100 caractères au plus).",
        email: "Vérifiez votre adresse e-mail.", website: "Indiquez une adresse web commençant par https://.",
        too_large: "Votre commentaire est trop long.", rate_limited: "Vous écrivez trop vite. Patientez une minute.",
        thread_closed: "Les commentaires de cet article sont fermés.", unknown_parent: "Le commentaire auquel vous répondez n’existe plus.",
        edit_window_over: "Le délai de modification est dépassé.", origin_not_allowed: "Impossible de commenter depuis cette page.",
        network: "Le serveur de commentaires est injoignable. Réessayez.", other: "Une erreur est survenue. Réessayez."
      }
    },
    es: {
      count: { one: "{n} comentario", other: "{n} comentarios" }, likes: { one: "{n} me gusta", other: "{n} me gusta" },
      text: "Tu comentario", name: "Nombre", email: "Correo", website: "Sitio web", optional: "opcional",
      private: "nunca se muestra", notify: "Avísame por correo de las respuestas", post: "Publicar",
      reply: "Responder", cancel: "Cancelar", edit: "Editar", save: "Guardar", remove: "Borrar", sure: "¿Borrar de verdad?",
      like: "Me gusta", author: "Autor", anonymous: "Anónimo", held: "Pendiente de moderación", edited: "editado",
      deleted: "Este comentario fue borrado.", sort: "Ordenar por", oldest: "Más antiguos", newest: "Más recientes", top: "Populares",
      more: "Cargar más comentarios", empty: "Aún no hay comentarios. ¡Escribe el primero!", closed: "Los comentarios están cerrados.",
      help: "Admite Markdown: *cursiva*, **negrita**, [enlace](https://…), `código`, > cita.",
      posted: "Tu comentario está publicado.", waiting: "¡Gracias! Tu comentario aparecerá cuando se apruebe.",
      saved: "Tus cambios están guardados.", gone: "Tu comentario está borrado.", loading: "Cargando comentarios…",
      errors: {
        text: "Escribe un comentario (hasta 10.000 caracteres).", author: "Escribe tu nombre (hasta 100 caracteres).",
        email: "Revisa tu correo electrónico.", website: "Escribe una dirección web que empiece por https://.",
        too_large: "Tu comentario es demasiado largo.", rate_limited: "Escribes demasiado rápido. Espera un minuto.",
        thread_closed: "Los comentarios de esta entrada están cerrados.", unknown_parent: "El comentario al que respondes ya no existe.",
        edit_window_over: "Se acabó el tiempo para editar este comentario.", origin_not_allowed: "No se puede comentar desde esta página.",
        network: "No se puede contactar con el servidor de comentarios. Inténtalo de nuevo.", other: "Algo salió mal. Inténtalo de nuevo."
      }
    }
  };
  var SAFE_URL = /^https?:\/\//i;
  var AVATAR = /^\/avatar\/[0-9a-f]+\.svg$/;

  var options = script.dataset;
  var base = script.src.replace(/\/embed\.js([?#].*)?$/, "");
  var site = options.site;
  var uri = options.uri || location.pathname + (location.search.match(/[?&](p|page_id|attachment_id)=\d+/) || [""])[0].replace("&", "?");
  var lang = ((options.lang || navigator.language || "en").slice(0, 2)).toLowerCase();
  if (!STRINGS[lang]) lang = "en";
  var T = STRINGS[lang];
  var plural = new Intl.PluralRules(lang);
  var number = new Intl.NumberFormat(lang);
  var relativeFormat = new Intl.RelativeTimeFormat(lang, { numeric: "auto" }), relativeCache = {};
  var exact = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });
  var storeKey = "tandem:" + site;
  var store = { own: {}, liked: {} };
  try { Object.assign(store, JSON.parse(localStorage.getItem(storeKey))); } catch (e) { /* no storage: remember nothing */ }
  var state = { sort: ["oldest", "newest", "top"].indexOf(options.sort) >= 0 ? options.sort : "oldest", next: null, pages: 0 };
  var nodes = {};  // comment id -> {article, replies, data}
  var uid = 0;
  var ui = {};

  function h(tag, props, children) {
    var el = document.createElement(tag);
    for (var key in props || {}) {
      var value = props[key];
      if (value == null || value === false) continue;
      if (key === "text") el.textContent = value;
      else if (key === "class") el.className = value;
      else if (key.slice(0, 2) === "on") el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    return fill(el, children);
  }

  function fill(el, children) {
    (children || []).forEach(function (child) { if (child != null && child !== false) el.append(child); });
    return el;
  }

  /* The one place HTML enters the DOM: comments' html, sanitised by the service (SPEC 5), parsed
     in one go (faster than one by one), each in a constant <div class="text"> and nothing else.
     The service allows no div, so each wrapper holds exactly its comment; the template is inert. */
  function parseBodies(comments) {
    var parsed = h("template");
    parsed.innerHTML = comments.map(function (c) { return '<div class="text">' + (c.html || "") + "</div>"; }).join("");
    comments.forEach(function (c, i) { c.body = parsed.content.children[i]; });
  }

  function counted(forms, n) {
    return (forms[plural.select(n)] || forms.other).replace("{n}", number.format(n));
  }

  /* "3 days ago", memoised: comments share a few phrases and formatting is slow. */
  function ago(iso) {
    var seconds = (Date.parse(iso) - Date.now()) / 1000, value = 0, unit = "second";
    var units = { year: 31536000, month: 2592000, day: 86400, hour: 3600, minute: 60 };
    for (var name in units) {
      if (Math.abs(seconds) >= units[name]) {
        value = Math.round(seconds / units[name]);
        unit = name;
        break;
      }
    }
    return relativeCache[value + unit] = relativeCache[value + unit] || relativeFormat.format(value, unit);
  }

  function saveStore() {
    try { localStorage.setItem(storeKey, JSON.stringify(store)); } catch (e) { /* private mode: remember nothing */ }
  }

  function api(method, path, body, headers) {
    var init = { method: method, headers: headers || {}, credentials: "omit", mode: "cors" };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(base + "/api" + path, init).catch(function () { throw { code: "network" }; }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw Object.assign({ status: response.status, code: "other" }, data.error);
        return data;
      });
    });
  }

  function withToken() {
    return store.token ? { "X-Commenter-Token": store.token } : {};
  }

  function threadQuery(after) {
    var query = { site: site, uri: uri, sort: state.sort };
    if (after) query.after = after;
    return "/comments?" + new URLSearchParams(query);
  }

  /* --- rendering ------------------------------------------------------------------------- */

  /* Cloning one finished skeleton is much cheaper than building every node of every comment. */
  var skeleton = null;

  function commentSkeleton() {
    skeleton = skeleton || h("article", { class: "comment", tabindex: "-1" }, [
      h("img", { class: "avatar", alt: "", width: "40", height: "40", loading: "lazy", decoding: "async" }),
      h("div", { class: "main" }, [
        h("header", { class: "meta" }, [h("span", { class: "name" }), h("a", { class: "date" }, [h("time")])]),
        h("div", { class: "text" }),
        h("div", { class: "actions" }, [
          showLikes({ likes: 0 }, h("button", { type: "button", class: "like", "data-do": "like" })),
          h("button", { type: "button", class: "link", "data-do": "reply", text: T.reply })
        ])
      ]),
      h("div", { class: "replies" })
    ]);
    return skeleton.cloneNode(true);
  }

  function commentNode(c) {
    var article, replies;
    if (c.deleted) {
      replies = h("div", { class: "replies" });
      article = h("article", { class: "comment tombstone", tabindex: "-1" }, [h("p", { class: "gone", text: T.deleted }), replies]);
    } else {
      article = commentSkeleton();
      var avatar = article.firstChild, main = avatar.nextSibling, meta = main.firstChild, actions = main.lastChild;
      var name = meta.firstChild, date = name.nextSibling, like = actions.firstChild;
      var own = store.own[c.id], held = c.status === "pending";
      var editable = own && Date.parse(own.until) > Date.now();
      replies = main.nextSibling;
      if (c.is_author) article.classList.add("by-author");
      if (held) article.classList.add("held");
      if (AVATAR.test(c.avatar)) avatar.src = base + c.avatar;
      else avatar.remove();
      name.textContent = c.author || T.anonymous;
      if (c.website && SAFE_URL.test(c.website)) name.replaceWith(name = h("a", { class: "name", href: c.website, rel: "nofollow ugc noopener", text: name.textContent }));
      if (c.is_author) name.after(h("span", { class: "badge", text: T.author }));
      date.href = "#comment-" + c.id;
      date.title = exact.format(Date.parse(c.created));
      date.firstChild.dateTime = c.created;
      date.firstChild.textContent = ago(c.created);
      fill(meta, [c.edited && h("span", { class: "edited", text: "(" + T.edited + ")" }), held && h("span", { class: "badge held-badge", text: T.held })]);
      if (!c.body) parseBodies([c]);
      main.replaceChild(c.body, meta.nextSibling);
      if (held) actions.replaceChildren();
      else if (state.closed) like.nextSibling.remove();
      if (!held && (c.likes || store.liked[c.id])) showLikes(c, like);
      if (editable) actions.append(
        h("button", { type: "button", class: "link", "data-do": "edit", text: T.edit }),
        h("button", { type: "button", class: "link danger", "data-do": "remove", text: T.remove })
      );
    }
    article.id = "comment-" + c.id;
    nodes[c.id] = { article: article, replies: replies, data: c };
    (c.replies || []).forEach(function (reply) { replies.append(commentNode(reply)); });
    return article;
  }

  /* A comment's likes on its button (the skeleton's shows none). */
  function showLikes(c, button) {
    button.setAttribute("aria-pressed", !!store.liked[c.id]);
    button.setAttribute("aria-label", T.like + " (" + counted(T.likes, c.likes) + ")");
    button.textContent = c.likes ? "♥ " + c.likes : "♥";
    return button;
  }

  /* One listener for every comment's buttons: `data-do` names the action, the article the comment. */
  function onAction(event) {
    var button = event.target.closest("button[data-do]");
    if (!button) return;
    var actions = { like: toggleLike, reply: toggleReply, edit: startEdit, remove: removeOwn };
    actions[button.dataset.do](nodes[button.closest("article").id.slice(8)].data, button);
  }

  /* A long page is drawn in two slices: a first screenful at once, the rest once that is painted
     (laid out only near the screen, see .later). Resolves with the first new comment once all are
     in, unless a newer render (a sort change) took over. */
  function renderList(comments, append) {
    var render = state.render = {};
    var index = 0, slices = 0, first = null;
    if (!append) {
      nodes = {};
      ui.list.replaceChildren();
    }
    ui.more.hidden = true;
    return new Promise(function (resolve) {
      (function slice() {
        if (state.render !== render) return;
        var fragment = document.createDocumentFragment(), drawn = [];
        for (var start = index; index < comments.length && (slices || drawn.length < 8); index++) withReplies(comments[index], drawn);
        parseBodies(drawn);
        for (; start < index; start++) {
          var article = fragment.appendChild(commentNode(comments[start]));
          if (slices) article.classList.add("later");
        }
        first = first || fragment.firstChild;
        ui.list.append(fragment);
        slices++;
        if (index < comments.length) return requestAnimationFrame(function () { setTimeout(slice); });
        ui.empty.hidden = ui.list.childElementCount > 0;
        ui.more.hidden = !state.next;
        resolve(first);
      })();
    });
  }

  function withReplies(c, list) {
    list.push(c);
    (c.replies || []).forEach(function (reply) { withReplies(reply, list); });
  }

  function setCount() {
    ui.count.textContent = counted(T.count, state.total);
  }

  function announce(message) {
    ui.status.textContent = message;
  }

  /* --- forms ------------------------------------------------------------------------------- */

  function field(form, name, label, input, hint) {
    var id = "tandem-" + ++uid;
    input.id = id;
    input.name = name;
    var error = h("p", { class: "error", id: id + "-error", hidden: true });
    input.setAttribute("aria-describedby", id + "-error");
    form.fields[name] = { input: input, error: error };
    return h("div", { class: "field field-" + name }, [
      h("label", { for: id }, [label, hint && h("span", { class: "hint", text: " (" + hint + ")" })]), input, error
    ]);
  }

  function commentForm(kind, c) {
    var form = h("form", { class: "form form-" + kind, novalidate: true });
    form.fields = {};
    var text = h("textarea", { rows: kind === "new" ? "4" : "3", maxlength: "10000", required: true, onkeydown: function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
    } });
    var status = h("p", { class: "form-status", role: "status", "aria-live": "polite" });
    var submit = h("button", { type: "submit", class: "primary", text: kind === "edit" ? T.save : T.post });
    var rows = [field(form, "text", T.text, text)];
    if (kind !== "edit") {
      var config = state.config || {};
      rows.push(h("details", { class: "help" }, [h("summary", { text: "Markdown" }), h("p", { text: T.help })]));
      rows.push(h("div", { class: "identity" }, [
        field(form, "author", T.name, h("input", { type: "text", maxlength: "100", autocomplete: "name", value: store.author, required: config.require_author }), config.require_author ? null : T.optional),
        field(form, "email", T.email, h("input", { type: "email", maxlength: "254", autocomplete: "email", value: store.email, required: config.require_email }), config.require_email ? T.private : T.optional + ", " + T.private),
        field(form, "website", T.website, h("input", { type: "url", maxlength: "500", autocomplete: "url", value: store.website }), T.optional)
      ]));
      rows.push(h("label", { class: "check" }, [h("input", { type: "checkbox", name: "notify" }), " " + T.notify]));
      rows.push(h("div", { class: "hp", "aria-hidden": "true" }, [h("input", { type: "text", name: "hp", tabindex: "-1", autocomplete: "off" })]));
    } else {
      text.value = (store.own[c.id] || {}).text || "";
    }
    rows.push(h("div", { class: "buttons" }, [
      submit,
      kind !== "new" && h("button", { type: "button", class: "link", text: T.cancel, onclick: function () { closeForm(form); } })
    ]), status);
    fill(form, rows);
    form.status = status;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (submit.disabled) return;
      clearErrors(form);
      if (!text.value.trim()) return showError(form, { code: "validation_failed", field: "text" });
      submit.disabled = true;
      (kind === "edit" ? saveEdit(form, c) : postComment(form, c)).catch(function (error) {
        showError(form, error);
      }).then(function () { submit.disabled = false; });
    });
    return form;
  }

  function clearErrors(form) {
    for (var name in form.fields) {
      form.fields[name].error.hidden = true;
      form.fields[name].input.removeAttribute("aria-invalid");
    }
    form.status.textContent = "";
  }

  function errorMessage(error) {
    if (error.code === "validation_failed" && T.errors[error.field]) return T.errors[error.field];
    return T.errors[error.code] || T.errors.other;
  }

  function showError(form, error) {
    var message = errorMessage(error);
    var target = form.fields[error.code === "too_large" ? "text" : error.field];
    if (target) {
      target.error.textContent = message;
      target.error.hidden = false;
      target.input.setAttribute("aria-invalid", "true");
      target.input.focus();
    }
    form.status.textContent = message;
    form.status.classList.add("is-error");
  }

  function closeForm(form) {
    var opener = form.opener;
    form.remove();
    if (opener) opener.focus();
  }

  function toggleReply(c, button) {
    var main = button.closest(".main"), open = main.querySelector(":scope > .form-reply");
    if (open) return closeForm(open);
    var form = commentForm("reply", c);
    form.opener = button;
    main.append(form);
    form.fields.text.input.focus();
  }

  function postComment(form, parent) {
    ["author", "email", "website"].forEach(function (name) { store[name] = form.elements[name].value.trim(); });
    saveStore();
    var body = {
      site: site, uri: uri, title: options.title || document.title, parent: parent && parent.id,
      url: location.href.split("#")[0],
      author: store.author, email: store.email, website: store.website,
      text: form.elements.text.value, notify: form.elements.notify.checked, hp: form.elements.hp.value
    };
    return api("POST", "/comments", body, withToken()).then(function (result) {
      var c = result.comment;
      store.token = result.commenter_token;
      store.own[c.id] = { edit: result.edit_token, until: result.editable_until, uri: uri, text: body.text };
      saveStore();
      if (c.status !== "pending") state.total += 1;
      setCount();
      var article = placeComment(c);
      form.elements.text.value = "";
      if (parent) form.remove();
      announce(c.status === "pending" ? T.waiting : T.posted);
      article.focus();
    });
  }

  /* A new or held comment goes under its parent (the service says which one), else into the list. */
  function placeComment(c) {
    var article = commentNode(c);
    var parent = c.parent != null && nodes[c.parent];
    if (parent) parent.replies.append(article);
    else if (state.sort === "newest") ui.list.prepend(article);
    else ui.list.append(article);
    ui.empty.hidden = true;
    return article;
  }

  function startEdit(c, button) {
    var main = button.closest(".main"), text = main.querySelector(":scope > .text");
    if (main.querySelector(":scope > .form-edit")) return;
    var form = commentForm("edit", c);
    form.opener = button;
    if (!form.fields.text.input.value) form.fields.text.input.value = text.textContent;
    text.after(form);
    form.fields.text.input.focus();
  }

  function saveEdit(form, c) {
    var own = store.own[c.id];
    var newText = form.elements.text.value;
    return api("PATCH", "/comments/" + c.id, { text: newText }, { "X-Edit-Token": own.edit }).then(function (result) {
      own.text = newText;
      saveStore();
      var fresh = result.comment;
      if (c.status !== "pending" && fresh.status === "pending") state.total -= 1;
      setCount();
      replaceComment(c.id, fresh);
      announce(fresh.status === "pending" ? T.waiting : T.saved);
      nodes[c.id].article.focus();
    });
  }

  function replaceComment(id, fresh) {
    var old = nodes[id];
    fresh.replies = [];
    var article = commentNode(fresh);
    nodes[id].replies.replaceWith(old.replies);
    nodes[id].replies = old.replies;
    old.article.replaceWith(article);
  }

  function removeOwn(c, button) {
    if (!button.dataset.armed) {
      button.dataset.armed = "1";
      button.textContent = T.sure;
      return;
    }
    api("DELETE", "/comments/" + c.id, null, { "X-Edit-Token": store.own[c.id].edit }).then(function () {
      delete store.own[c.id];
      saveStore();
      if (c.status !== "pending") state.total -= 1;
      setCount();
      var entry = nodes[c.id];
      if (entry.replies.childElementCount) replaceComment(c.id, { id: c.id, parent: c.parent, deleted: true });
      else entry.article.remove();
      ui.empty.hidden = ui.list.childElementCount > 0;
      announce(T.gone);
      ui.count.focus();
    }, function (error) { announce(errorMessage(error)); });
  }

  function toggleLike(c, button) {
    var liked = !store.liked[c.id];
    api(liked ? "POST" : "DELETE", "/comments/" + c.id + "/like", null, withToken()).then(function (result) {
      if (liked) store.liked[c.id] = 1;
      else delete store.liked[c.id];
      saveStore();
      c.likes = result.likes;
      showLikes(c, button);
    }, function (error) { announce(errorMessage(error)); });
  }

  /* --- the thread ------------------------------------------------------------------------ */

  function load(after) {
    return api("GET", threadQuery(after)).then(function (page) {
      performance.mark("tandem:data");
      state.config = page.config;
      state.closed = page.thread.closed;
      state.total = page.thread.total;
      state.next = page.next;
      state.pages = after ? state.pages + 1 : 1;
      return page;
    });
  }

  function showThread(page) {
    if (!ui.list) build();
    setCount();
    return renderList(page.comments, false).then(function (first) {
      performance.mark("tandem:rendered");
      host.dispatchEvent(new CustomEvent("tandem:rendered"));
      return first;
    });
  }

  function loadMore() {
    ui.more.disabled = true;
    return load(state.next).then(function (page) {
      return renderList(page.comments, true);
    }).then(function (first) {
      if (first) first.focus();
      reveal();
    }, function (error) { announce(errorMessage(error)); }).then(function () { ui.more.disabled = false; });
  }

  function changeSort() {
    state.sort = ui.sort.value;
    load(null).then(showThread).then(reveal, function (error) { announce(errorMessage(error)); });
  }

  /* Own held comments are not in the public thread: ask for each (with the commenter token)
     and show it in place; a 404 means a moderator rejected it, so forget it. */
  function showOwnPending() {
    Object.keys(store.own).forEach(function (id) {
      var own = store.own[id];
      if (own.uri !== uri || nodes[id]) {
        if (nodes[id] && Date.parse(own.until) < Date.now()) delete store.own[id];
        return;
      }
      api("GET", "/comments/" + id, null, withToken()).then(function (result) {
        if (result.comment.status === "pending" && !nodes[id]) placeComment(result.comment);
      }, function (error) {
        if (error.status === 404) delete store.own[id];
        saveStore();
      });
    });
    saveStore();
  }

  /* `#comment-ID` permalinks: the browser cannot see into the shadow root, so scroll here;
     a comment on a later page is looked for a few pages on. */
  function reveal() {
    var match = /^#comment-(\d+)$/.exec(location.hash);
    if (!match) return;
    var entry = nodes[match[1]];
    if (!entry) {
      if (state.next && state.pages < 10) loadMore();
      return;
    }
    ui.root.querySelectorAll(".target").forEach(function (el) { el.classList.remove("target"); });
    entry.article.classList.add("target");
    entry.article.scrollIntoView({ block: "center" });
    entry.article.focus({ preventScroll: true });
  }

  function build() {
    var theme = options.theme === "light" || options.theme === "dark" ? options.theme : "auto";
    var dark = matchMedia("(prefers-color-scheme: dark)");
    ui.root = h("div", { class: "tandem", lang: lang, onclick: onAction });
    var applyTheme = function () {
      ui.root.classList.toggle("dark", theme === "dark" || (theme === "auto" && dark.matches));
      ui.root.classList.toggle("light", !ui.root.classList.contains("dark"));
    };
    applyTheme();
    dark.addEventListener("change", applyTheme);
    ui.count = h("h2", { class: "count", tabindex: "-1" });
    ui.status = h("p", { class: "status", role: "status", "aria-live": "polite" });
    ui.sort = h("select", { onchange: changeSort }, ["oldest", "newest", "top"].map(function (sort) {
      return h("option", { value: sort, text: T[sort], selected: sort === state.sort });
    }));
    ui.list = h("div", { class: "list" });
    ui.empty = h("p", { class: "empty", text: T.empty, hidden: true });
    ui.more = h("button", { type: "button", class: "more", text: T.more, hidden: true, onclick: loadMore });
    ui.root.append(
      ui.count, ui.status,
      state.closed ? h("p", { class: "notice", text: T.closed }) : commentForm("new", null),
      h("div", { class: "toolbar" }, [h("label", {}, [T.sort + " ", ui.sort])]),
      ui.list, ui.empty, ui.more
    );
    root.append(ui.root);
  }

  var root = host.attachShadow({ mode: "open" });
  var stylesheet;
  var styled = new Promise(function (resolve) {
    stylesheet = h("link", { rel: "stylesheet", href: base + "/embed.css", onload: resolve, onerror: resolve });
  });
  var loading = h("p", { class: "loading", role: "status", text: T.loading });
  root.append(stylesheet, loading);
  Promise.all([load(null), styled]).then(function (results) {
    loading.remove();
    return showThread(results[0]);
  }).then(function () {
    showOwnPending();
    reveal();
    addEventListener("hashchange", reveal);
  }, function (error) {
    loading.textContent = errorMessage(error);
  });
})();

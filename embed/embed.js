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
      private: "never shown", notify: "E-mail me when someone replies",
      follow: "Follow this post by e-mail", post: "Post comment",
      reply: "Reply", cancel: "Cancel", edit: "Edit", save: "Save", remove: "Delete",
      like: "Like", author: "Author", anonymous: "Anonymous", held: "Awaiting moderation", edited: "edited", hearted: "♥ by the author",
      deleted: "This comment was deleted.", sort: "Sort by", oldest: "Oldest", newest: "Newest", top: "Top",
      more: "Load more comments", empty: "No comments yet. Be the first!", closed: "Comments are closed.",
      signin: "Commented here before? Get a sign-in link by e-mail.",
      help: "Markdown works: *italic*, **bold**, [link](https://…), `code`, > quote.",
      posted: "Your comment is published.", waiting: "Thanks! Your comment will appear once it is approved.",
      loading: "Loading comments…", retry: "Try again",
      left: { one: "{n} character left", other: "{n} characters left" }, over: { one: "{n} character too many", other: "{n} characters too many" },
      errors: {
        too_long: "Your comment is longer than 10,000 characters. Please shorten it.",
        unknown_site: "This comment server has no site with the key this page gives.",
        text: "Please write a comment (up to 10,000 characters).", author: "Please give your name (up to 100 characters).",
        email: "Please check your e-mail address.", website: "Please give a web address starting with https://.",
        too_large: "Your comment is too long.", rate_limited: "You are posting too fast. Please wait a minute.",
        thread_closed: "Comments on this post are closed.", unknown_parent: "The comment you reply to is no longer there.",
        origin_not_allowed: "Comments cannot be posted from this page.",
        challenge_failed: "Your browser could not finish the anti-spam check. Please try again.",
        network: "The comment server cannot be reached. Please try again.", other: "Something went wrong. Please try again."
      }
    },
    de: {
      count: { one: "{n} Kommentar", other: "{n} Kommentare" }, likes: { one: "{n} Like", other: "{n} Likes" },
      text: "Dein Kommentar", name: "Name", email: "E-Mail", website: "Website", optional: "freiwillig",
      private: "wird nie angezeigt", notify: "Benachrichtige mich per E-Mail über Antworten",
      follow: "Diesem Beitrag per E-Mail folgen", post: "Kommentar senden",
      reply: "Antworten", cancel: "Abbrechen", edit: "Bearbeiten", save: "Speichern", remove: "Löschen",
      like: "Gefällt mir", author: "Autor", anonymous: "Anonym", held: "Wartet auf Freigabe", edited: "bearbeitet", hearted: "♥ vom Autor",
      deleted: "Dieser Kommentar wurde gelöscht.", sort: "Sortieren", oldest: "Älteste", newest: "Neueste", top: "Beliebteste",
      more: "Weitere Kommentare laden", empty: "Noch keine Kommentare. Schreib den ersten!", closed: "Die Kommentare sind geschlossen.",
      signin: "Schon hier kommentiert? Hol dir einen Anmeldelink per E-Mail.",
      help: "Markdown geht: *kursiv*, **fett**, [Link](https://…), `Code`, > Zitat.",
      posted: "Dein Kommentar ist veröffentlicht.", waiting: "Danke! Dein Kommentar erscheint, sobald er freigegeben ist.",
      loading: "Kommentare werden geladen…", retry: "Noch einmal versuchen",
      left: { one: "Noch {n} Zeichen", other: "Noch {n} Zeichen" }, over: { one: "{n} Zeichen zu viel", other: "{n} Zeichen zu viel" },
      errors: {
        too_long: "Dein Kommentar ist länger als 10.000 Zeichen. Bitte kürze ihn.",
        unknown_site: "Dieser Kommentar-Server hat keine Website mit dem Schlüssel dieser Seite.",
        text: "Bitte schreib einen Kommentar (bis 10.000 Zeichen).", author: "Bitte gib deinen Namen an (bis 100 Zeichen).",
        email: "Bitte prüfe deine E-Mail-Adresse.", website: "Bitte gib eine Webadresse mit https:// an.",
        too_large: "Dein Kommentar ist zu lang.", rate_limited: "Du schreibst zu schnell. Bitte warte eine Minute.",
        thread_closed: "Die Kommentare zu diesem Beitrag sind geschlossen.", unknown_parent: "Der Kommentar, auf den du antwortest, ist nicht mehr da.",
        origin_not_allowed: "Von dieser Seite aus kann nicht kommentiert werden.",
        challenge_failed: "Dein Browser konnte die Anti-Spam-Prüfung nicht abschließen. Bitte versuche es erneut.",
        network: "Der Kommentar-Server ist nicht erreichbar. Bitte versuch es noch einmal.", other: "Etwas ist schiefgegangen. Bitte versuch es noch einmal."
      }
    },
    fr: {
      count: { one: "{n} commentaire", other: "{n} commentaires" }, likes: { one: "{n} j’aime", other: "{n} j’aime" },
      text: "Votre commentaire", name: "Nom", email: "E-mail", website: "Site web", optional: "facultatif",
      private: "jamais affiché", notify: "Me prévenir par e-mail des réponses",
      follow: "Suivre cet article par e-mail", post: "Publier",
      reply: "Répondre", cancel: "Annuler", edit: "Modifier", save: "Enregistrer", remove: "Supprimer",
      like: "J’aime", author: "Auteur", anonymous: "Anonyme", held: "En attente de modération", edited: "modifié", hearted: "♥ de l’auteur",
      deleted: "Ce commentaire a été supprimé.", sort: "Trier par", oldest: "Plus anciens", newest: "Plus récents", top: "Populaires",
      more: "Afficher plus de commentaires", empty: "Pas encore de commentaire. Lancez-vous !", closed: "Les commentaires sont fermés.",
      signin: "Déjà commenté ici ? Recevez un lien de connexion par e-mail.",
      help: "Markdown accepté : *italique*, **gras**, [lien](https://…), `code`, > citation.",
      posted: "Votre commentaire est publié.", waiting: "Merci ! Votre commentaire apparaîtra après validation.",
      loading: "Chargement des commentaires…", retry: "Réessayer",
      left: { one: "{n} caractère restant", other: "{n} caractères restants" }, over: { one: "{n} caractère en trop", other: "{n} caractères en trop" },
      errors: {
        too_long: "Votre commentaire dépasse 10 000 caractères. Raccourcissez-le.",
        unknown_site: "Ce serveur de commentaires n’a aucun site avec la clé de cette page.",
        text: "Écrivez un commentaire (10 000 caractères au plus).", author: "Indiquez votre nom (100 caractères au plus).",
        email: "Vérifiez votre adresse e-mail.", website: "Indiquez une adresse web commençant par https://.",
        too_large: "Votre commentaire est trop long.", rate_limited: "Vous écrivez trop vite. Patientez une minute.",
        thread_closed: "Les commentaires de cet article sont fermés.", unknown_parent: "Le commentaire auquel vous répondez n’existe plus.",
        origin_not_allowed: "Impossible de commenter depuis cette page.",
        challenge_failed: "Votre navigateur n’a pas pu terminer la vérification anti-spam. Veuillez réessayer.",
        network: "Le serveur de commentaires est injoignable. Réessayez.", other: "Une erreur est survenue. Réessayez."
      }
    },
    es: {
      count: { one: "{n} comentario", other: "{n} comentarios" }, likes: { one: "{n} me gusta", other: "{n} me gusta" },
      text: "Tu comentario", name: "Nombre", email: "Correo", website: "Sitio web", optional: "opcional",
      private: "nunca se muestra", notify: "Avísame por correo de las respuestas",
      follow: "Seguir esta entrada por correo", post: "Publicar",
      reply: "Responder", cancel: "Cancelar", edit: "Editar", save: "Guardar", remove: "Borrar",
      like: "Me gusta", author: "Autor", anonymous: "Anónimo", held: "Pendiente de moderación", edited: "editado", hearted: "♥ del autor",
      deleted: "Este comentario fue borrado.", sort: "Ordenar por", oldest: "Más antiguos", newest: "Más recientes", top: "Populares",
      more: "Cargar más comentarios", empty: "Aún no hay comentarios. ¡Escribe el primero!", closed: "Los comentarios están cerrados.",
      signin: "¿Ya comentaste aquí? Recibe un enlace por correo.",
      help: "Admite Markdown: *cursiva*, **negrita**, [enlace](https://…), `código`, > cita.",
      posted: "Tu comentario está publicado.", waiting: "¡Gracias! Tu comentario aparecerá cuando se apruebe.",
      loading: "Cargando comentarios…", retry: "Reintentar",
      left: { one: "Queda {n} carácter", other: "Quedan {n} caracteres" }, over: { one: "{n} carácter de más", other: "{n} caracteres de más" },
      errors: {
        too_long: "Tu comentario pasa de 10.000 caracteres. Acórtalo, por favor.",
        unknown_site: "Este servidor de comentarios no tiene ningún sitio con la clave de esta página.",
        text: "Escribe un comentario (hasta 10.000 caracteres).", author: "Escribe tu nombre (hasta 100 caracteres).",
        email: "Revisa tu correo electrónico.", website: "Escribe una dirección web que empiece por https://.",
        too_large: "Tu comentario es demasiado largo.", rate_limited: "Escribes demasiado rápido. Espera un minuto.",
        thread_closed: "Los comentarios de esta entrada están cerrados.", unknown_parent: "El comentario al que respondes ya no existe.",
        origin_not_allowed: "No se puede comentar desde esta página.",
        challenge_failed: "Tu navegador no pudo completar la comprobación antispam. Inténtalo de nuevo.",
        network: "No se puede contactar con el servidor de comentarios. Inténtalo de nuevo.", other: "Algo salió mal. Inténtalo de nuevo."
      }
    }
  };
  var SAFE_URL = /^https?:\/\//i;
  var AVATAR = /^\/avatar\/[0-9a-f]+\.svg$/;
  var SORTS = ["oldest", "newest", "top"];
  var COMMENT_PREFIX = "comment-";  // a comment's element id and permalink: #comment-12
  var FIRST_SLICE = 8;              // comments drawn before the first paint; the rest follow it
  var PERMALINK_PAGES = 10;         // how many pages on a permalinked comment is looked for
  var TEXT_MAX = 10000;             // the service's limit on a comment, in characters (code points)
  var COUNTDOWN_FROM = 500;         // the comment box shows the characters left from here on
  var SURROGATE_PAIRS = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;  // one character, two UTF-16 units

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
  /* What this reader's browser remembers for this site: name, e-mail, website, commenter token,
     own comments (edit tokens) and likes. */
  var storeKey = "tandem:" + site;
  var store = { own: {}, liked: {} };
  try { Object.assign(store, JSON.parse(localStorage.getItem(storeKey))); } catch (e) { /* no storage: remember nothing */ }
  /* The widget's state: the thread as the service last described it, and the comments drawn. */
  var state = {
    sort: SORTS.indexOf(options.sort) >= 0 ? options.sort : "oldest",
    config: {}, closed: false, total: 0,
    next: null, pages: 0,  // the next page's cursor; how many pages are drawn
    render: null,          // the latest renderList() call; an older one stops drawing
    comments: {},          // comment id -> {article, replies, data}
    fieldIds: 0            // form fields drawn, for unique element ids
  };
  var ui = {};  // the widget's fixed elements, made once by build()

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
        if (!response.ok) throw tellBlogger(Object.assign({ status: response.status, code: "other" }, data.error));
        return data;
      });
    });
  }

  /* Mistakes in the blog's setup: the reader sees the usual message, the blogger one console line
     naming what is wrong and the command that fixes it. Returns the error to be thrown on. */
  function tellBlogger(error) {
    if (error.code === "origin_not_allowed") {
      console.warn("Tandem: site " + site + " refuses comments from " + location.origin +
                   "; to allow this origin, run: tandem site origin add " + site + " " + location.origin);
    } else if (error.code === "unknown_site") {
      console.error("Tandem: " + base + " has no site with the key \"" + site + "\" (the snippet's data-site);" +
                    " `tandem site list` shows the keys there are.");
    }
    return error;
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
          h("button", { type: "button", class: "link reply", "data-do": "reply", text: T.reply })
        ])
      ]),
      h("div", { class: "replies" })
    ]);
    return skeleton.cloneNode(true);
  }

  /* The first element of `el` with class `name`: found by name, so the skeleton can gain elements. */
  function part(el, name) {
    return el.querySelector("." + name);
  }

  function commentNode(c) {
    var article, replies;
    if (c.deleted) {
      replies = h("div", { class: "replies" });
      article = h("article", { class: "comment tombstone", tabindex: "-1" }, [h("p", { class: "gone", text: T.deleted }), replies]);
    } else {
      article = commentSkeleton();
      var avatar = part(article, "avatar"), main = part(article, "main"), meta = part(article, "meta");
      var name = part(meta, "name"), date = part(meta, "date"), actions = part(article, "actions");
      var like = part(actions, "like");
      var own = store.own[c.id], held = c.status === "pending";
      var editable = own && Date.parse(own.until) > Date.now();
      replies = part(article, "replies");
      if (c.is_author) article.classList.add("by-author");
      if (held) article.classList.add("held");
      if (AVATAR.test(c.avatar)) avatar.src = base + c.avatar;
      else avatar.remove();
      name.textContent = c.author || T.anonymous;
      if (c.website && SAFE_URL.test(c.website)) name.replaceWith(name = h("a", { class: "name", href: c.website, rel: "nofollow ugc noopener", text: name.textContent }));
      if (c.is_author) name.after(h("span", { class: "badge", text: T.author }));
      date.href = "#" + COMMENT_PREFIX + c.id;
      date.title = exact.format(Date.parse(c.created));
      var time = date.querySelector("time");
      time.dateTime = c.created;
      time.textContent = ago(c.created);
      fill(meta, [c.edited && h("span", { class: "edited", text: "(" + T.edited + ")" }), held && h("span", { class: "badge held-badge", text: T.held }),
        c.hearted && h("span", { class: "hearted", text: T.hearted })]);
      if (!c.body) parseBodies([c]);
      part(main, "text").replaceWith(c.body);
      if (held) actions.replaceChildren();
      else if (state.closed) part(actions, "reply").remove();
      if (!held && (c.likes || store.liked[c.id])) showLikes(c, like);
      if (editable) actions.append(
        h("button", { type: "button", class: "link", "data-do": "edit", text: T.edit }),
        h("button", { type: "button", class: "link danger", "data-do": "remove", text: T.remove })
      );
    }
    article.id = COMMENT_PREFIX + c.id;
    state.comments[c.id] = { article: article, replies: replies, data: c };
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
    var actions = { like: toggleLike, reply: toggleReply, edit: changeOwn, remove: changeOwn };
    actions[button.dataset.do](state.comments[button.closest("article").id.slice(COMMENT_PREFIX.length)].data, button);
  }

  /* A long page is drawn in two slices: a first screenful at once, the rest once that is painted
     (laid out only near the screen, see .later). Resolves with the first new comment once all are
     in, unless a newer render (a sort change) took over. */
  function renderList(comments, append) {
    var render = state.render = {};
    var index = 0, slices = 0, first = null;
    if (!append) {
      state.comments = {};
      ui.list.replaceChildren();
    }
    ui.more.hidden = true;
    return new Promise(function (resolve) {
      (function slice() {
        if (state.render !== render) return;
        var fragment = document.createDocumentFragment(), drawn = [];
        for (var start = index; index < comments.length && (slices || drawn.length < FIRST_SLICE); index++) withReplies(comments[index], drawn);
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

  /* The heading's count, and count.js's counters of this thread on the same page (it listens). */
  function setCount() {
    ui.count.textContent = counted(T.count, state.total);
    document.dispatchEvent(new CustomEvent("tandem:count", { detail: { site: site, uri: uri, count: state.total } }));
  }

  function announce(message) {
    ui.status.textContent = message;
  }

  function announceError(error) {
    announce(errorMessage(error));
  }

  /* --- parts loaded when first needed -------------------------------------------------------- */

  /* What not every reader needs is in files of its own (solver.js, mail.js, own.js), loaded from
     the service (so a strict Content-Security-Policy allows them, SPEC 2) when first needed,
     without blocking the page. A file that could not be loaded is asked for again next time. */
  var scripts = {};  // file name -> Promise, resolved once the script has run
  function loadScript(name) {
    scripts[name] = scripts[name] || new Promise(function (resolve, reject) {
      var script = h("script", { src: base + "/" + name, onload: resolve, onerror: function () {
        script.remove();
        delete scripts[name];
        reject({ code: "network" });
      } });
      document.head.append(script);
    });
    return scripts[name];
  }

  /* The widget's other parts, each in a file NAME.js that registers window.TandemParts[NAME]:
     mail.js (following a post, signing in by mail: SPEC 14) and own.js (editing and deleting
     one's own comments). Each is made once, lent the widget's state and helpers. */
  var lazyParts = {};  // name -> what its file made
  function lazy(name) {
    return loadScript(name + ".js").then(function () {
      lazyParts[name] = lazyParts[name] || window.TandemParts[name]({
        lang: lang, T: T, site: site, uri: uri, store: store, state: state, ui: ui, h: h, api: api,
        saveStore: saveStore, errorMessage: errorMessage, announce: announce, setCount: setCount,
        commentNode: commentNode, commentForm: commentForm
      });
      return lazyParts[name];
    });
  }

  /* --- forms ------------------------------------------------------------------------------- */

  function field(form, name, label, input, hint) {
    var id = "tandem-" + ++state.fieldIds;
    input.id = id;
    input.name = name;
    var error = h("p", { class: "error", id: id + "-error", hidden: true });
    input.setAttribute("aria-describedby", id + "-error");
    form.fields[name] = { input: input, error: error };
    return h("div", { class: "field field-" + name }, [
      h("label", { for: id }, [label, hint && h("span", { class: "hint", text: " (" + hint + ")" })]), input, error
    ]);
  }

  /* "Follow this post": every new comment by mail, or a daily digest. Ticking it loads mail.js,
     which adds the choice of how often. */
  function followChoice() {
    var box = h("input", { type: "checkbox", name: "follow", onchange: function () {
      lazy("mail").then(function (mail) { mail.showOften(box); }, announceError);
    } });
    return h("div", { class: "check" }, [h("label", {}, [box, " " + T.follow])]);
  }

  /* The form for a new comment, a reply to `c`, or an edit of `c` (sent by own.js's `send`). */
  function commentForm(kind, c, send) {
    var form = h("form", { class: "form form-" + kind, novalidate: true });
    form.fields = {};
    /* No maxlength: it would cut a long paste silently. The box counts down instead (showLeft). */
    var text = h("textarea", { rows: kind === "new" ? "4" : "3", required: true, onkeydown: function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
    }, oninput: function () { showLeft(text, left); } });
    var left = h("p", { class: "left", hidden: true });
    var status = h("p", { class: "form-status", role: "status", "aria-live": "polite" });
    var submit = h("button", { type: "submit", class: "primary", text: kind === "edit" ? T.save : T.post });
    var rows = [fill(field(form, "text", T.text, text), [left])];
    if (kind !== "edit") {
      var config = state.config || {};
      rows.push(h("details", { class: "help" }, [h("summary", { text: "Markdown" }), h("p", { text: T.help })]));
      rows.push(h("div", { class: "identity" }, [
        field(form, "author", T.name, h("input", { type: "text", maxlength: "100", autocomplete: "name", value: store.author, required: config.require_author }), config.require_author ? null : T.optional),
        field(form, "email", T.email, h("input", { type: "email", maxlength: "254", autocomplete: "email", value: store.email, required: config.require_email }), config.require_email ? T.private : T.optional + ", " + T.private),
        field(form, "website", T.website, h("input", { type: "url", maxlength: "500", autocomplete: "url", value: store.website }), T.optional)
      ]));
      rows.push(h("label", { class: "check" }, [h("input", { type: "checkbox", name: "notify" }), " " + T.notify]));
      rows.push(followChoice());
      rows.push(h("div", { class: "hp", "aria-hidden": "true" }, [h("input", { type: "text", name: "hp", tabindex: "-1", autocomplete: "off" })]));
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
      if (showLeft(text, left) < 0) return showError(form, { code: "too_long", field: "text" });
      submit.disabled = true;
      (send || postComment)(form, c).catch(function (error) {
        showError(form, error);
      }).then(function () { submit.disabled = false; });
    });
    return form;
  }

  /* Characters as the service counts them: code points, not UTF-16 units. */
  function characters(value) {
    return value.length - (value.match(SURROGATE_PAIRS) || []).length;
  }

  /* Near the limit, how many characters are left (or too many); returns that number. */
  function showLeft(text, counter) {
    var left = TEXT_MAX - characters(text.value);
    counter.hidden = left > COUNTDOWN_FROM;
    counter.textContent = left < 0 ? counted(T.over, -left) : counted(T.left, left);
    counter.classList.toggle("is-error", left < 0);
    return left;
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

  /* The proof-of-work (SPEC 13): solver.js is loaded on a reader's first focus of a form and
     solves while they write; posting waits for the solution (or goes without, to be told why). */
  function challenge(take) {
    if ((state.config || {}).challenge === "off") return Promise.resolve();
    return loadScript("solver.js").then(function () { return window.TandemSolver(base, site, take); });
  }

  /* Posting is three steps, so a step can be added between them: the request body from the form,
     the proof-of-work solution, the request, and the new comment shown in place. */

  function postComment(form, parent) {
    var body = newComment(form, parent);
    var follow = form.elements.follow.checked;
    if (follow && !body.email) return Promise.reject({ code: "validation_failed", field: "email" });
    return challenge(true).catch(function () {}).then(function (solution) {
      body.challenge = solution;
      return api("POST", "/comments", body, withToken());
    }).then(function (result) {
      showPosted(form, parent, body, result);
      if (follow) return lazy("mail").then(function (mail) { return mail.follow(body.email, form); });
    });
  }

  function newComment(form, parent) {
    ["author", "email", "website"].forEach(function (name) { store[name] = form.elements[name].value.trim(); });
    saveStore();
    return {
      site: site, uri: uri, title: options.title || document.title, parent: parent && parent.id,
      url: location.href.split("#")[0],  // the post's own address: a cross-origin Referer is only the origin
      author: store.author, email: store.email, website: store.website,
      text: form.elements.text.value, notify: form.elements.notify.checked, hp: form.elements.hp.value
    };
  }

  function showPosted(form, parent, body, result) {
    var c = result.comment;
    store.token = result.commenter_token;
    store.own[c.id] = { edit: result.edit_token, until: result.editable_until, uri: uri, text: body.text };
    saveStore();
    if (c.status !== "pending") state.total += 1;
    setCount();
    var article = placeComment(c);
    form.elements.text.value = "";
    form.elements.text.dispatchEvent(new Event("input"));  // the countdown, if shown, goes
    if (parent) form.remove();
    announce(c.status === "pending" ? T.waiting : T.posted);
    article.focus();
  }

  /* A new or held comment goes under its parent (the service says which one), else into the list. */
  function placeComment(c) {
    var article = commentNode(c);
    var parent = c.parent != null && state.comments[c.parent];
    if (parent) parent.replies.append(article);
    else if (state.sort === "newest") ui.list.prepend(article);
    else ui.list.append(article);
    ui.empty.hidden = true;
    return article;
  }

  /* Editing and deleting one's own comments, while the service allows it: own.js, loaded on the
     first press of Edit or Delete (the button's data-do names which). */
  function changeOwn(c, button) {
    lazy("own").then(function (own) { own[button.dataset.do](c, button); }, announceError);
  }

  function toggleLike(c, button) {
    var liked = !store.liked[c.id];
    api(liked ? "POST" : "DELETE", "/comments/" + c.id + "/like", null, withToken()).then(function (result) {
      if (liked) store.liked[c.id] = 1;
      else delete store.liked[c.id];
      saveStore();
      c.likes = result.likes;
      showLikes(c, button);
    }, announceError);
  }

  /* --- the thread ------------------------------------------------------------------------ */

  function load(after) {
    return api("GET", threadQuery(after)).then(function (page) {
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
    }, announceError).then(function () { ui.more.disabled = false; });
  }

  function changeSort() {
    state.sort = ui.sort.value;
    load(null).then(showThread).then(reveal, announceError);
  }

  /* Own held comments are not in the public thread: ask for each (with the commenter token)
     and show it in place; a 404 means a moderator rejected it, so forget it. */
  function showOwnPending() {
    Object.keys(store.own).forEach(function (id) {
      var own = store.own[id];
      if (own.uri !== uri || state.comments[id]) {
        if (state.comments[id] && Date.parse(own.until) < Date.now()) delete store.own[id];
        return;
      }
      api("GET", "/comments/" + id, null, withToken()).then(function (result) {
        if (result.comment.status === "pending" && !state.comments[id]) placeComment(result.comment);
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
    var id = location.hash.slice(1 + COMMENT_PREFIX.length);
    if (location.hash !== "#" + COMMENT_PREFIX + id || !/^\d+$/.test(id)) return;
    var entry = state.comments[id];
    if (!entry) {
      if (state.next && state.pages < PERMALINK_PAGES) loadMore();
      return;
    }
    ui.root.querySelectorAll(".target").forEach(function (el) { el.classList.remove("target"); });
    entry.article.classList.add("target");
    entry.article.scrollIntoView({ block: "center" });
    entry.article.focus({ preventScroll: true });
  }

  /* --- signing in on another device (SPEC 14) ----------------------------------------------- */

  /* "Commented here before?": a disclosure under the form; opening it loads mail.js, which puts
     the e-mail field for a sign-in link in it. */
  function signInForm() {
    var details = h("details", { class: "help", ontoggle: function () {
      if (details.open) lazy("mail").then(function (mail) { mail.signInForm(details); }, announceError);
    } }, [h("summary", { text: T.signin })]);
    return details;
  }

  /* The link from that mail opens the post with #tandem-claim=…: the secret leaves the address bar
     at once; mail.js exchanges it for this browser's own commenter token before the form is drawn,
     and resolves to what to tell the reader if that failed. */
  var claim = /^#tandem-claim=([\w-]+)$/.exec(location.hash);
  if (claim) history.replaceState(history.state, "", location.href.split("#")[0]);
  var claimed = claim && lazy("mail").then(function (mail) { return mail.claim(claim[1]); }, errorMessage);

  function build() {
    var theme = options.theme === "light" || options.theme === "dark" ? options.theme : "auto";
    var dark = matchMedia("(prefers-color-scheme: dark)");
    ui.root = h("div", { class: "tandem", lang: lang, onclick: onAction, onfocusin: function (event) {
      if (event.target.closest(".form-new, .form-reply")) challenge(false).catch(function () {});
    } });
    var applyTheme = function () {
      ui.root.classList.toggle("dark", theme === "dark" || (theme === "auto" && dark.matches));
      ui.root.classList.toggle("light", !ui.root.classList.contains("dark"));
    };
    applyTheme();
    dark.addEventListener("change", applyTheme);
    ui.count = h("h2", { class: "count", tabindex: "-1" });
    ui.status = h("p", { class: "status", role: "status", "aria-live": "polite" });
    ui.sort = h("select", { onchange: changeSort }, SORTS.map(function (sort) {
      return h("option", { value: sort, text: T[sort], selected: sort === state.sort });
    }));
    ui.list = h("div", { class: "list" });
    ui.empty = h("p", { class: "empty", text: T.empty, hidden: true });
    ui.more = h("button", { type: "button", class: "more", text: T.more, hidden: true, onclick: loadMore });
    fill(ui.root, [ui.count, ui.status].concat(
      state.closed ? h("p", { class: "notice", text: T.closed }) : [commentForm("new", null), signInForm()],
      h("div", { class: "toolbar" }, [h("label", {}, [T.sort + " ", ui.sort])]),
      ui.list, ui.empty, ui.more
    ));
    root.append(ui.root);
  }

  var root = host.attachShadow({ mode: "open" });
  var stylesheet;
  var styled = new Promise(function (resolve) {
    stylesheet = h("link", { rel: "stylesheet", href: base + "/embed.css", onload: resolve, onerror: resolve });
  });
  var loading = h("p", { class: "loading", role: "status" });
  root.append(stylesheet, loading);

  /* The first load. If it fails, the reader gets the reason and, unless the snippet itself is
     wrong, a button to try again: nothing is cached, so there is nothing else to show. */
  function start() {
    loading.replaceChildren(T.loading);
    Promise.all([load(null), styled, claimed]).then(function (results) {
      loading.remove();
      return showThread(results[0]).then(function () { if (results[2]) announce(results[2]); });
    }).then(function () {
      showOwnPending();
      reveal();
      addEventListener("hashchange", reveal);
    }, function (error) {
      loading.replaceChildren(errorMessage(error));
      if (error.code !== "unknown_site") loading.append(" ", h("button", { type: "button", class: "retry", text: T.retry, onclick: start }));
    });
  }

  start();
})();

/* Tandem by mail (SPEC 14): following a post, and signing in on another device by a link in a
   mail. Most readers use neither, so embed.js loads this file only when a reader ticks "Follow this
   post", opens "Commented here before?" or arrives by a sign-in link (#tandem-claim=…).
   TandemParts.mail(widget) returns the four steps below; `widget` lends embed.js's state and
   helpers (see lazy() there). */
(function () {
  "use strict";
  /* Only the wording used here; the follow checkbox and the disclosure's summary are in embed.js. */
  var STRINGS = {
    en: {
      often: "How often", each: "each comment", daily: "once a day", confirm: "Please confirm by the link we e-mailed you.",
      send: "Send", sent: "If you have commented here with that address, a link is on its way.", expired: "This link no longer works."
    },
    de: {
      often: "Wie oft", each: "jeder Kommentar", daily: "einmal am Tag", confirm: "Bitte bestätige mit dem Link aus der E-Mail.",
      send: "Senden", sent: "Hast du hier mit dieser Adresse kommentiert, ist ein Link unterwegs.", expired: "Dieser Link gilt nicht mehr."
    },
    fr: {
      often: "Fréquence", each: "chaque commentaire", daily: "une fois par jour", confirm: "Confirmez avec le lien reçu par e-mail.",
      send: "Envoyer", sent: "Si vous avez commenté ici avec cette adresse, un lien est en route.", expired: "Ce lien n’est plus valable."
    },
    es: {
      often: "Frecuencia", each: "cada comentario", daily: "una vez al día", confirm: "Confirma con el enlace que te enviamos.",
      send: "Enviar", sent: "Si has comentado aquí con esa dirección, te llega un enlace.", expired: "Este enlace ya no vale."
    }
  };

  window.TandemParts = window.TandemParts || {};
  window.TandemParts.mail = function (widget) {
    var T = STRINGS[widget.lang] || STRINGS.en;
    var h = widget.h;

    /* Beside "Follow this post", called on each change of the box: every new comment by mail, or
       a daily digest. Made once per form, shown only while the box is ticked. */
    function showOften(box) {
      var label = box.closest("label"), often = label.parentNode.querySelector("select[name=digest]");
      if (!often) {
        often = h("select", { name: "digest", "aria-label": T.often }, [
          h("option", { value: "each", text: T.each }), h("option", { value: "daily", text: T.daily })
        ]);
        label.after(" ", often);
      }
      often.hidden = !box.checked;
    }

    /* Asks for the double opt-in mail, as often as `form` says (each comment if the choice is not
       drawn yet); the answer is the same whether or not the address follows already. */
    function follow(email, form) {
      var digest = form.elements.digest ? form.elements.digest.value : "each";
      return widget.api("POST", "/subscriptions", { site: widget.site, uri: widget.uri, email: email, digest: digest }).then(function () {
        widget.announce(widget.ui.status.textContent + " " + T.confirm);
      });
    }

    /* Into the opened "Commented here before?" disclosure: an e-mail field for a sign-in link.
       The service answers alike whether or not the address has commented here; so does this. */
    function signInForm(details) {
      if (details.querySelector("form")) return;
      var email = h("input", { type: "email", required: true, autocomplete: "email", "aria-label": widget.T.email });
      var status = h("p", { class: "form-status", role: "status" });
      details.append(h("form", { class: "buttons", onsubmit: function (event) {
        event.preventDefault();
        widget.api("POST", "/commenters/link", { site: widget.site, email: email.value, url: location.href }).then(function () {
          status.textContent = T.sent;
        }, function (error) { status.textContent = widget.errorMessage(error); });
      } }, [email, h("button", { type: "submit", text: T.send })]), status);
    }

    /* The secret from a sign-in link, exchanged for this browser's own commenter token and the
       identity that fills the form. Resolves to nothing, or to what to tell the reader: a link that
       no longer works says so, above the sign-in form that asks for a new one. */
    function claim(secret) {
      return widget.api("POST", "/commenters/claim", { site: widget.site, claim: secret }).then(function (me) {
        Object.assign(widget.store, { token: me.commenter_token, author: me.author, email: me.email, website: me.website });
        widget.saveStore();
      }, function () { return T.expired; });
    }

    return { showOften: showOften, follow: follow, signInForm: signInForm, claim: claim };
  };
})();

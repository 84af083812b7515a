/* Tandem's proof-of-work solver (SPEC 13), loaded by embed.js when a reader first focuses a form.
   It fetches an ALTCHA v1 challenge and finds the number whose SHA-256 (of salt + number) is the
   challenge, with WebCrypto. The page never freezes: hashes go in batches, and between batches
   the solver yields to the browser with setTimeout. (A Worker would need a script of the blog's
   own origin or a blob: URL, which a strict Content-Security-Policy forbids.)
   window.TandemSolver(base, site, take): start solving if nothing fresh is under way, and with
   `take` resolve to the base64 solution (then forgotten: each is good once). */
(function () {
  "use strict";
  var BATCH = 1000;               // digests started at once before yielding to the page
  var FRESH_FOR = 9 * 60 * 1000;  // challenges expire after 10 minutes; solve anew after 9
  var pending = {};               // site -> {started, solution: Promise}

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function yieldToPage() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  /* The numbers from..from+BATCH-1 (capped at maxnumber): the one that matches, or -1. */
  function tryBatch(made, from) {
    var encoder = new TextEncoder(), tries = [];
    var last = Math.min(from + BATCH - 1, made.maxnumber);
    for (var n = from; n <= last; n++) {
      tries.push(crypto.subtle.digest("SHA-256", encoder.encode(made.salt + n)));
    }
    return Promise.all(tries).then(function (digests) {
      for (var i = 0; i < digests.length; i++) if (hex(digests[i]) === made.challenge) return from + i;
      return -1;
    });
  }

  function search(made, from) {
    if (from > made.maxnumber) return Promise.reject(new Error("no solution"));
    return tryBatch(made, from).then(function (found) {
      return found >= 0 ? found : yieldToPage().then(function () { return search(made, from + BATCH); });
    });
  }

  function solve(base, site) {
    return fetch(base + "/api/challenge?site=" + encodeURIComponent(site), { credentials: "omit", mode: "cors" })
      .then(function (response) {
        if (!response.ok) throw new Error("no challenge");
        return response.json();
      })
      .then(function (made) {
        var started = performance.now();
        return search(made, 0).then(function (number) {
          window.TandemSolver.lastMs = performance.now() - started;  // read by the cost measurement
          return btoa(JSON.stringify({
            algorithm: made.algorithm, challenge: made.challenge, number: number,
            salt: made.salt, signature: made.signature
          }));
        });
      });
  }

  window.TandemSolver = function (base, site, take) {
    var now = Date.now(), current = pending[site];
    if (!current || now - current.started > FRESH_FOR) {
      current = pending[site] = { started: now, solution: solve(base, site) };
      current.solution.catch(function () { if (pending[site] === current) delete pending[site]; });
    }
    if (take) delete pending[site];
    return current.solution;
  };
})();

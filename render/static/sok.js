/* Sökning i processkartan. Fungerar även när sidorna öppnas som filer (file://):
   indexet ligger inbäddat i sidan som JSON, så inget behöver hämtas.
   Utan JavaScript visar sidan listan över alla rutor. */
(function () {
  "use strict";

  var data = document.getElementById("sokindex");
  var box = document.getElementById("sok");
  var field = document.getElementById("sokfalt");
  var status = document.getElementById("sokstatus");
  var noJs = document.getElementById("sok-utan-js");
  if (!data || !box || !field || !status) {
    return;
  }
  var index = JSON.parse(data.textContent);
  var items = Array.prototype.slice.call(document.querySelectorAll("#sokresultat li[data-url]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("#sokresultat .sokgrupp"));
  var byUrl = {};
  index.forEach(function (entry) {
    byUrl[entry.url] = (entry.rubrik + " " + entry.underprocess + " " + entry.text).toLocaleLowerCase("sv");
  });
  var textByUrl = {};
  index.forEach(function (entry) { textByUrl[entry.url] = entry.text; });

  function terms(query) {
    return query.toLocaleLowerCase("sv").split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  /* Ett kort utdrag runt första träffen, som ren text (aldrig HTML). */
  function excerpt(text, term) {
    var at = text.toLocaleLowerCase("sv").indexOf(term);
    if (at < 0) { return ""; }
    var start = Math.max(0, at - 60);
    var end = Math.min(text.length, at + term.length + 90);
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function show(query) {
    var wanted = terms(query);
    var hits = 0;
    items.forEach(function (li) {
      var url = li.getAttribute("data-url");
      var haystack = byUrl[url] || "";
      var match = wanted.every(function (t) { return haystack.indexOf(t) >= 0; });
      li.hidden = !match;
      var old = li.querySelector(".utdrag");
      if (old) { li.removeChild(old); }
      if (match && wanted.length) {
        var text = excerpt(textByUrl[url] || "", wanted[0]);
        if (text) {
          var p = document.createElement("p");
          p.className = "utdrag";
          p.textContent = text;
          li.appendChild(p);
        }
      }
      if (match) { hits += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("li[data-url]:not([hidden])");
    });
    if (!wanted.length) {
      status.textContent = "Alla " + items.length + " rutor visas.";
    } else if (hits === 0) {
      status.textContent = "Ingen ruta matchar ”" + query.trim() + "”.";
    } else {
      status.textContent = hits + (hits === 1 ? " ruta matchar" : " rutor matchar") + " ”" + query.trim() + "”.";
    }
  }

  box.hidden = false;
  if (noJs) { noJs.hidden = true; }
  var timer = null;
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { show(field.value); }, 120);
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    field.value = params.get("q");
  }
  show(field.value);
}());

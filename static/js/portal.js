// Progressive enhancement only: every page works without this file.

// Strings go through Django's JavaScript catalogue (gettext, ngettext, interpolate from /jsi18n/,
// loaded first by base.html), so they follow the page's language.

// Search autocomplete: an ARIA 1.2 combobox on inputs with data-autocomplete="<json url>".
// Without JavaScript the input is a plain search box and the form submits as usual.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-autocomplete]");
  Array.prototype.forEach.call(inputs, function (input, n) {
    var endpoint = input.getAttribute("data-autocomplete");
    var listId = "autocomplete-list-" + n;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";

    list.id = listId;
    list.className = "autocomplete";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", gettext("Suggestions"));
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    var labels = {
      "case": gettext("Case study"),
      "guide": gettext("Guide"),
      "country": gettext("Country")
    };

    function render(results) {
      list.innerHTML = "";
      items = results;
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.textContent = item.title; // textContent: titles are never parsed as HTML
        var kind = document.createElement("span");
        kind.className = "autocomplete__type";
        kind.textContent = labels[item.type] || item.type;
        li.appendChild(title);
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = item.url;
        });
        list.appendChild(li);
      });
      var open = results.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      status.textContent = open ? interpolate(ngettext(
        "%(count)s suggestion, use the arrow keys to choose",
        "%(count)s suggestions, use the arrow keys to choose",
        results.length
      ), { count: results.length }, true) : "";
      active = -1;
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() === query) { render(data.results || []); }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      lastQuery = input.value.trim() === lastQuery ? lastQuery : "";
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = items[active].url;
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  });
})();

// Admin: a "type to filter" box above long checkbox lists (cases/widgets.py). The lists work
// without this file; with it, typing hides the choices whose label does not contain the text
// (accents ignored), and the count of ticked choices stays up to date.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(box) {
    if (box.dataset.enhanced) return;
    box.dataset.enhanced = "1";
    var noun = box.getAttribute("data-noun") || "choice";
    var items = Array.prototype.slice.call(box.querySelectorAll("li"));
    var groups = Array.prototype.slice.call(box.querySelectorAll(".checkbox-filter__group"));
    var count = box.querySelector(".checkbox-filter__count");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "checkbox-filter__input";
    input.setAttribute("aria-label", "Filter the " + noun + " list");
    input.placeholder = "Type to filter " + items.length + " " + noun + "s";
    input.autocomplete = "off";
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // filtering, not saving the page
    });
    input.addEventListener("input", function () {
      var needle = fold(input.value.trim());
      items.forEach(function (item) {
        item.hidden = needle !== "" && fold(item.textContent).indexOf(needle) === -1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("li:not([hidden])");
      });
    });
    box.addEventListener("change", function () {
      var ticked = box.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = ticked + " selected.";
    });
    box.insertBefore(input, box.firstChild);
  }
  function enhanceAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-checkbox-filter]"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhanceAll);
  else enhanceAll();
})();

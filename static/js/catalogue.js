// Catalogue enhancements. The filter form works without this file; with it:
// - once a choice changes, the "Apply filters" button says how many changes wait, and stays
//   in view; choices do not reload the page by themselves, so keyboard and screen reader users
//   keep their place while they tick several boxes (WCAG 3.2.2, as in search);
// - empty fields are left out of the URL, so shared links stay short and readable;
// - long option lists (countries, regions) get a "type to narrow" box.
// Its strings come from Django's JavaScript catalogue (/jsi18n/), loaded before it by base.html.
(function () {
  "use strict";
  var form = document.getElementById("catalogue-filters");
  if (!form) return;

  function fieldsOf(form) {
    return Array.prototype.slice.call(document.querySelectorAll('[form="catalogue-filters"], #catalogue-filters [name]'));
  }

  form.addEventListener("submit", function () {
    fieldsOf(form).forEach(function (field) {
      var emptyValue = field.name && field.value === "" && field.type !== "checkbox";
      var defaultSort = field.name === "sort" && field.value === "newest";
      if (emptyValue || defaultSort) field.disabled = true;
    });
  });

  var pending = 0;
  var applyButtons = document.querySelectorAll(".filters__apply");
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.getAttribute("form") !== "catalogue-filters" || field.type === "search") return;
    pending += 1;
    Array.prototype.forEach.call(applyButtons, function (button) {
      button.textContent = interpolate(ngettext(
        "Apply filters (%(count)s change)", "Apply filters (%(count)s changes)", pending
      ), { count: pending }, true);
      button.classList.add("is-pending");
    });
  });
  form.addEventListener("submit", function () {
    document.documentElement.classList.add("catalogue-loading");
  });

  Array.prototype.forEach.call(document.querySelectorAll(".facet--scroll"), function (facet) {
    var items = facet.querySelectorAll("li");
    if (items.length < 12) return;
    var legend = facet.querySelector("legend");
    var id = "facet-narrow-" + facet.getAttribute("data-facet");
    var label = document.createElement("label");
    label.className = "facet__narrow";
    label.setAttribute("for", id);
    label.textContent = interpolate(gettext("Narrow the list: %(facet)s"), {
      facet: legend.firstChild.textContent.trim()
    }, true);
    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.autocomplete = "off";
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(items, function (item) {
        item.hidden = needle !== "" && item.textContent.toLowerCase().indexOf(needle) === -1;
      });
    });
    legend.insertAdjacentElement("afterend", label);
    label.insertAdjacentElement("afterend", input);
  });
})();

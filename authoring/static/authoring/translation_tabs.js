/*
 * Translation tabs for the staff site's change forms (authoring.admin.ScopedChangeForm).
 *
 * Above the form, one button per language and one for all of them: choosing a language
 * shows only that language's translated fields (with every field that is not translated),
 * in the form and in its inlines. Without JavaScript every field shows, as Django renders
 * it. The fields are found by the classes Django and django-modeltranslation give them:
 * widgets ``mt-field-<field>-<language>``, rows and cells ``field-<field>_<language>``,
 * table headers ``column-<field>_<language>``. The choice is kept for the browser tab.
 */
(function () {
  "use strict";

  var STORE = "translation-tabs-language";

  function translatedFields(form) {
    var names = {};
    form.querySelectorAll("[class*='mt-field-']").forEach(function (widget) {
      widget.classList.forEach(function (name) {
        var match = /^mt-field-(.+)-([a-z]{2})$/.exec(name);
        if (match) { names[match[1].replace(/-/g, "_")] = true; }
      });
    });
    return names;
  }

  function languageParts(form, names) {
    var parts = {};
    form.querySelectorAll("[class*='field-'], [class*='column-']").forEach(function (element) {
      element.classList.forEach(function (name) {
        var match = /^(?:field|column)-(.+)_([a-z]{2})$/.exec(name);
        if (match && names[match[1]]) {
          (parts[match[2]] = parts[match[2]] || []).push(element);
        }
      });
    });
    return parts;
  }

  function start() {
    var form = document.querySelector("#content-main form");
    if (!form) { return; }
    var parts = languageParts(form, translatedFields(form));
    var languages = Object.keys(parts);
    if (languages.length < 2) { return; }

    var bar = document.createElement("div");
    bar.className = "translation-tabs";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Languages shown");
    var buttons = [];

    function show(chosen) {
      languages.forEach(function (language) {
        parts[language].forEach(function (element) {
          // (a style set through the DOM, which the staff site's style policy allows)
          element.style.display = chosen !== "all" && chosen !== language ? "none" : "";
        });
      });
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.value === chosen));
      });
      try { window.sessionStorage.setItem(STORE, chosen); } catch (error) { /* storage off: fine */ }
    }

    ["all"].concat(languages).forEach(function (language) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.value = language;
      button.textContent = language === "all" ? "All languages" : language;
      button.addEventListener("click", function () { show(language); });
      buttons.push(button);
      bar.appendChild(button);
      bar.appendChild(document.createTextNode(" "));
    });
    form.insertBefore(bar, form.firstChild);

    var kept = null;
    try { kept = window.sessionStorage.getItem(STORE); } catch (error) { kept = null; }
    show(kept && (kept === "all" || parts[kept]) ? kept : "all");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

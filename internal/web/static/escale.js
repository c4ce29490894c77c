// Escale: a little help where JavaScript runs. Every page works without it.
"use strict";
(function () {
  document.documentElement.classList.add("js");

  // Search and compare: a ticked facet or a new sort applies at once.
  document.querySelectorAll("form#search, form#compare-form").forEach(function (form) {
    form.addEventListener("change", function (e) {
      var t = e.target;
      if ((t.type === "checkbox" && t.closest(".facet")) || t.tagName === "SELECT") {
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    });
  });

  // On a narrow screen the facets start folded, except those in use.
  if (window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details.facet:not([data-selected])").forEach(function (d) {
      d.open = false;
    });
  }

  // Upload: files dropped on the zone join those chosen with the button.
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("files");
  var list = document.getElementById("chosen");
  if (!zone || !input) { return; }

  function show() {
    if (!list) { return; }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " Ko)";
      list.appendChild(li);
    });
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
    try {
      var dt = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { dt.items.add(f); });
      Array.prototype.forEach.call(e.dataTransfer.files, function (f) { dt.items.add(f); });
      input.files = dt.files;
    } catch (err) {
      input.files = e.dataTransfer.files;
    }
    show();
  });
  var form = document.getElementById("upload-form");
  if (form) {
    form.addEventListener("submit", function () {
      var b = form.querySelector("button[type=submit]");
      if (b) { b.disabled = true; b.textContent = "Lecture des fichiers…"; }
    });
  }
})();

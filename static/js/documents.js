// Materials checklist: several files at once (drop zone, multi-file picker, or a drop onto an item's
// row), each sent on its own with its own progress bar and the server's own reason when refused; the
// item's row is swapped in place, so the page stays where it was. Without this file every row's plain
// form still posts and reloads.
(function () {
  "use strict";
  var section = document.getElementById("bulk-upload");
  if (!section || !window.FormData || !window.XMLHttpRequest) return;
  var url = section.getAttribute("data-upload-url");
  var form = section.querySelector("[data-bulk-form]");
  var table = section.querySelector("[data-bulk-table]");
  var body = section.querySelector("[data-bulk-rows]");
  var template = section.querySelector("[data-bulk-template]");
  var submit = section.querySelector("[data-bulk-submit]");
  var input = section.querySelector("[data-bulk-input]");
  var zone = section.querySelector("[data-drop-zone]");
  var text = function (key) { return section.getAttribute("data-text-" + key) || ""; };
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var counter = 0;
  var queue = [];
  var busy = false;
  section.hidden = false;

  function normalise(value) {
    return String(value || "").toLowerCase().replace(/[_\-.\s]+/g, " ").trim();
  }

  // The checklist item whose code or name the file name contains (the longest match wins).
  function guessKind(fileName) {
    var name = normalise(fileName.replace(/\.[^.]+$/, ""));
    var best = "", score = 0;
    document.querySelectorAll("#documents-list tr[data-requirement]").forEach(function (row) {
      (row.getAttribute("data-keywords") || "").split("|").forEach(function (word) {
        var key = normalise(word);
        if (key.length >= 2 && key.length > score && name.indexOf(key) !== -1) {
          score = key.length;
          best = row.getAttribute("data-requirement");
        }
      });
    });
    return best;
  }

  function guessLanguage(fileName) {
    return /(^|[^a-z])(en|eng|english)([^a-z]|$)|英文/i.test(fileName) ? "en" : "zh-hans";
  }

  function setMessage(entry, message, state) {
    entry.message.textContent = message;
    entry.row.setAttribute("data-state", state);
  }

  function addFile(file, kind) {
    counter += 1;
    var row = template.content.firstElementChild.cloneNode(true);
    var entry = {
      file: file,
      row: row,
      kind: row.querySelector("[data-kind]"),
      language: row.querySelector("[data-language]"),
      bar: row.querySelector("progress"),
      message: row.querySelector("[data-bulk-message]"),
      done: false,
    };
    row.querySelector("[data-file-name]").textContent = file.name;
    entry.kind.id = "bulk-kind-" + counter;
    row.querySelector("[data-kind-label]").setAttribute("for", entry.kind.id);
    entry.language.id = "bulk-language-" + counter;
    row.querySelector("[data-language-label]").setAttribute("for", entry.language.id);
    entry.kind.value = kind || guessKind(file.name);
    entry.language.value = guessLanguage(file.name);
    setMessage(entry, text("ready"), "ready");
    row.querySelector("[data-remove]").addEventListener("click", function () {
      queue.splice(queue.indexOf(entry), 1);
      row.remove();
      refresh();
    });
    body.appendChild(row);
    queue.push(entry);
    refresh();
    return entry;
  }

  function refresh() {
    table.hidden = queue.length === 0;
    submit.hidden = !queue.some(function (entry) { return !entry.done; });
  }

  function send(data, onProgress, onDone) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener("load", function () {
      var reply = null;
      try { reply = JSON.parse(xhr.responseText); } catch (error) { reply = null; }
      onDone(reply && typeof reply === "object" ? reply : { ok: false, error: text("failed") });
    });
    xhr.addEventListener("error", function () { onDone({ ok: false, error: text("failed") }); });
    xhr.send(data);
  }

  // Swap the checklist item's row for the server's fresh one and say what happened inside it.
  function replaceRow(reply) {
    var old = document.getElementById("documents." + reply.requirement);
    if (!old) return;
    old.insertAdjacentHTML("afterend", reply.row);
    old.remove();
    var fresh = document.getElementById("documents." + reply.requirement);
    var status = fresh && fresh.querySelector("[data-row-status]");
    if (status) {
      status.hidden = false;
      status.querySelector("progress").hidden = true;
      status.querySelector("[data-row-message]").textContent = reply.message;
      status.setAttribute("data-state", "done");
    }
  }

  function uploadEntry(entry, next) {
    if (!entry.kind.value) {
      setMessage(entry, text("choose"), "error");
      next();
      return;
    }
    var data = new FormData();
    data.append("requirement", entry.kind.value);
    data.append("language", entry.language.value);
    data.append("file", entry.file, entry.file.name);
    entry.bar.hidden = false;
    entry.bar.value = 0;
    setMessage(entry, text("uploading"), "uploading");
    send(data, function (percent) { entry.bar.value = percent; }, function (reply) {
      if (reply.ok) {
        entry.done = true;
        entry.bar.value = 100;
        entry.kind.disabled = entry.language.disabled = true;
        entry.row.querySelector("[data-remove]").remove();
        setMessage(entry, reply.message, "done");
        replaceRow(reply);
      } else {
        entry.bar.hidden = true;
        setMessage(entry, reply.error, "error");
      }
      next();
    });
  }

  // One file after the other: each row's bar and message are its own.
  var waiting = [];
  function uploadAll(entries) {
    entries.forEach(function (entry) { if (waiting.indexOf(entry) === -1) waiting.push(entry); });
    if (busy) return;
    busy = true;
    (function step() {
      var entry = waiting.shift();
      if (!entry) {
        busy = false;
        refresh();
        return;
      }
      if (entry.done || queue.indexOf(entry) === -1) { step(); return; }
      uploadEntry(entry, step);
    })();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    uploadAll(queue.filter(function (entry) { return !entry.done; }));
    var unmatched = queue.filter(function (entry) { return !entry.done && !entry.kind.value; })[0];
    if (unmatched) unmatched.kind.focus();
  });

  input.addEventListener("change", function () {
    Array.prototype.forEach.call(input.files, function (file) { addFile(file); });
    input.value = "";
  });

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") !== -1;
  }

  function target(event) {
    if (!(event.target instanceof Element)) return null;
    return event.target.closest("[data-drop-zone], #documents-list tr[data-requirement]");
  }

  document.addEventListener("dragover", function (event) {
    var over = target(event);
    if (!over || !hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    over.classList.add("drag-over");
  });
  document.addEventListener("dragleave", function (event) {
    var over = target(event);
    if (over) over.classList.remove("drag-over");
  });
  document.addEventListener("drop", function (event) {
    var over = target(event);
    if (!over || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    over.classList.remove("drag-over");
    var kind = over.getAttribute("data-requirement");
    var added = Array.prototype.map.call(event.dataTransfer.files, function (file) { return addFile(file, kind); });
    if (kind) uploadAll(added); // a drop onto an item's row says which item: send it at once
  });

  // Each row's own form: the same upload, in place.
  document.addEventListener("submit", function (event) {
    var rowForm = event.target.closest("form[data-document-form]");
    if (!rowForm) return;
    event.preventDefault();
    var status = rowForm.querySelector("[data-row-status]");
    var bar = status.querySelector("progress");
    var message = status.querySelector("[data-row-message]");
    status.hidden = false;
    bar.hidden = false;
    bar.value = 0;
    message.textContent = text("uploading");
    status.setAttribute("data-state", "uploading");
    send(new FormData(rowForm), function (percent) { bar.value = percent; }, function (reply) {
      if (reply.ok) {
        replaceRow(reply);
      } else {
        bar.hidden = true;
        message.textContent = reply.error;
        status.setAttribute("data-state", "error");
      }
    });
  });
})();

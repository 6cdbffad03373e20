// Answer form: saves the draft a moment after each change, and focuses what needs attention.
// Everything here is an enhancement: without JavaScript the buttons save and submit the same way.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // A field the server marked (autofocus: the missing name) keeps the focus; the summary is announced as an alert.
  var attention = document.querySelector(".error-summary, #conflict-title");
  if (attention && !document.querySelector("[autofocus]")) attention.focus();

  // The progress line: "12/26 rated", counted again when a rating changes, and rewritten (so announced) only
  // when the count does; typing in a comment never touches it.
  var progress = document.getElementById("progress");
  var answerForm = document.getElementById("answer-form");
  if (progress && answerForm && progress.dataset.template) {
    var countRated = function () {
      var goals = answerForm.querySelectorAll("fieldset.goal");
      var rated = 0;
      goals.forEach(function (goal) {
        if (goal.querySelector("input[type=radio]:checked")) rated += 1;
      });
      return progress.dataset.template.replace("{rated}", rated).replace("{asked}", goals.length);
    };
    answerForm.addEventListener("change", function (event) {
      if (event.target.type !== "radio") return;
      var text = countRated();
      if (progress.textContent !== text) progress.textContent = text;
    });
  }

  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("save-status");
  if (!form || !status || !window.fetch || !window.FormData) return;

  var DELAY_MS = 2000;
  var timer = null;
  var saving = null;        // the save in flight, if any
  var changedWhileSaving = false;
  var stopped = false;      // after a conflict or refusal only the buttons save
  var held = null;          // a button press waiting for the save in flight

  function say(text) { status.textContent = text; }

  function save() {
    timer = null;
    if (stopped) return;
    if (saving) { changedWhileSaving = true; return; }
    say(status.dataset.saving);
    // form.action would be the buttons named "action", not the form's address.
    saving = fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      if (result.status === 200) {
        form.elements.version.value = result.data.version;
        say(status.dataset.saved.replace("{time}", result.data.saved_at_text));
      } else {
        // A conflict, invalid answers or a closed survey: the server's page explains it when a button is pressed.
        stopped = true;
        say(result.data.message || status.dataset.failed);
      }
    }).catch(function () {
      say(status.dataset.failed);
    }).then(function () {
      saving = null;
      if (held) {
        var submitter = held;
        held = null;
        form.requestSubmit(submitter);
      } else if (changedWhileSaving) {
        changedWhileSaving = false;
        schedule();
      }
    });
  }

  function schedule() {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("change", schedule);
  form.addEventListener("input", schedule);
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    timer = null;
    // A button press must carry the version the save in flight is about to return, or it would conflict with itself.
    if (saving) {
      event.preventDefault();
      held = event.submitter || null;
    }
  });
})();

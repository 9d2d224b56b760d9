// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  // j / k: next / previous change on the compare page.
  // The item `step` places after `current` in `selector`'s matches (clamped), or null.
  function stepFrom(selector, current, step) {
    var items = Array.prototype.slice.call(document.querySelectorAll(selector));
    if (!items.length) return null;
    var i = items.indexOf(current);
    return items[i < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, i + step))];
  }
  function moveChange(step) {
    var current = document.querySelector(".change.current");
    var target = stepFrom(".change", current, step);
    if (!target) return;
    if (current) current.classList.remove("current");
    target.classList.add("current");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
  // Choosing an attribution highlights its speaker, cue and content in the text.
  function selectAttribution(link) {
    var id = link.getAttribute("data-att");
    document.querySelectorAll(".att.active").forEach(function (el) { el.classList.remove("active"); });
    document.querySelectorAll(".attribution.selected").forEach(function (el) { el.classList.remove("selected"); });
    var first = null;
    document.querySelectorAll(".body .att").forEach(function (el) {
      if ((" " + el.getAttribute("data-att") + " ").indexOf(" " + id + " ") >= 0) {
        el.classList.add("active");
        if (!first) first = el;
      }
    });
    link.closest(".attribution").classList.add("selected");
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }
  // ] / [: next / previous attribution on the reading desk (flagged ones come first).
  function stepAttribution(step) {
    var current = document.querySelector(".attribution.selected a[data-att]");
    var link = stepFrom(".attribution a[data-att]", current, step);
    if (!link) return;
    link.focus({ preventScroll: true });
    link.closest(".attribution").scrollIntoView({ block: "nearest" });
    selectAttribution(link);
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest(".attribution a[data-att]");
    if (link) { e.preventDefault(); selectAttribution(link); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.metaKey || e.ctrlKey || e.altKey || typing(e)) return;
    if (e.key === "j") { moveChange(1); e.preventDefault(); }
    else if (e.key === "k") { moveChange(-1); e.preventDefault(); }
    else if (e.key === "]" || e.key === "[") { stepAttribution(e.key === "]" ? 1 : -1); e.preventDefault(); }
    else if (e.key === "?") {
      var dialog = document.getElementById("shortcuts");
      if (dialog && !dialog.open) { dialog.showModal(); e.preventDefault(); }
    }
    else if (e.key === "/") {
      var search = document.querySelector("[data-hotkey='/']");
      if (search) { search.focus(); e.preventDefault(); }
    } else if (e.key === "c") {
      var compare = document.querySelector("a[data-hotkey='c']");
      if (compare) { window.location = compare.href; }
    }
  });
})();
// A modal dialog keeps Tab inside it (the browser would move on to its own toolbar);
// closing it gives focus back to what had it (the browser does that).
document.addEventListener("keydown", function (e) {
  if (e.key !== "Tab") return;
  var dialog = document.querySelector("dialog[open]");
  if (!dialog) return;
  var items = Array.prototype.filter.call(
    dialog.querySelectorAll("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"),
    function (el) { return !el.disabled && el.getClientRects().length; }
  );
  if (!items.length) return;
  var first = items[0], last = items[items.length - 1];
  if (e.shiftKey ? document.activeElement === first || !dialog.contains(document.activeElement)
                 : document.activeElement === last || !dialog.contains(document.activeElement)) {
    (e.shiftKey ? last : first).focus();
    e.preventDefault();
  }
});
// Compare opens inline on a narrow screen, unless the URL chose a mode (?mode=side wins).
// The URL is left as it is, so a shared link still lets each reader's screen decide.
document.addEventListener("DOMContentLoaded", function () {
  var section = document.querySelector("#compare[data-mode-auto]");
  if (!section || !window.htmx || !window.matchMedia("(max-width: 760px)").matches) return;
  var form = section.querySelector("form.compare-bar");
  var inline = form && form.querySelector("input[name=mode][value=inline]");
  if (!inline || inline.checked) return;
  var params = new URLSearchParams(new FormData(form));
  params.set("mode", "inline");
  window.htmx.ajax("GET", form.getAttribute("action") + "?" + params.toString(), { target: "#compare", swap: "outerHTML" });
});
// Pickers that navigate as soon as a choice is made with the mouse. With the keyboard,
// the arrow keys only move the choice (no page load per key press): Enter, or the Go
// button that shows while the picker has focus, opens it.
document.addEventListener("keydown", function (e) {
  var select = e.target.closest && e.target.closest("select[data-autosubmit]");
  if (!select) return;
  if (e.key === "Enter") { select.form.submit(); e.preventDefault(); }
  else if (/^(Arrow|Home$|End$|Page)/.test(e.key) || e.key.length === 1) select.setAttribute("data-keyed", "");
});
document.addEventListener("focusout", function (e) {
  if (e.target.hasAttribute && e.target.hasAttribute("data-keyed")) e.target.removeAttribute("data-keyed");
});
document.addEventListener("change", function (e) {
  var select = e.target.closest && e.target.closest("select[data-autosubmit]");
  if (!select) return;
  if (select.hasAttribute("data-keyed")) { select.removeAttribute("data-keyed"); return; }
  select.form.submit();
});
document.documentElement.classList.add("js");

// Annotations: select text -> Annotate; a / n / p keys; deep links. Progressive:
// every form and link here also works without this file.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  var pop = null;

  // Characters of the revision's text before (node, offset) inside root, not
  // counting markers the page adds ([data-skip]).
  function offsetIn(root, node, offset) {
    var range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    var fragment = range.cloneContents();
    fragment.querySelectorAll("[data-skip]").forEach(function (el) { el.remove(); });
    return parseInt(root.getAttribute("data-start"), 10) + fragment.textContent.length;
  }
  function rootOf(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    return el && el.closest("[data-start]");
  }
  // The current selection as {url, start, end, exact}, or null.
  function selectionTarget() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    var range = sel.getRangeAt(0);
    var a = rootOf(range.startContainer), b = rootOf(range.endContainer);
    if (!a || !b) return null;
    var box = a.closest("[data-annotate-url]");
    if (!box || box !== b.closest("[data-annotate-url]")) return null;
    var fragment = range.cloneContents();
    fragment.querySelectorAll("[data-skip]").forEach(function (el) { el.remove(); });
    var exact = fragment.textContent;
    if (!exact.trim()) return null;
    var start = offsetIn(a, range.startContainer, range.startOffset);
    var end = offsetIn(b, range.endContainer, range.endOffset);
    // Trim the whitespace a double-click or drag picks up at either end.
    var lead = exact.length - exact.replace(/^\s+/, "").length;
    var trail = exact.length - exact.replace(/\s+$/, "").length;
    if (end - start === exact.length) { start += lead; end -= trail; }
    exact = exact.trim();
    if (end <= start) return null;
    return { url: box.getAttribute("data-annotate-url"), start: start, end: end, exact: exact, rect: range.getBoundingClientRect() };
  }
  function slot() {
    return document.getElementById("annotate-slot");
  }
  // Where focus was when the form opened: it goes back there when the form closes.
  var opener = null;
  function closeForm() {
    var target = slot();
    target.innerHTML = "";
    target.classList.remove("open");
    if (opener && document.contains(opener)) opener.focus({ preventScroll: true });
    opener = null;
  }
  function openForm(url) {
    var target = slot();
    var active = document.activeElement;
    if (active && active !== document.body && !(target && target.contains(active))) opener = active;
    if (target && window.htmx) {
      window.htmx.ajax("GET", url, { target: target, swap: "innerHTML" });
    } else {
      window.location = url;
    }
  }
  // However the form came in (a key, the Annotate control or a Dispute link), it opens
  // with the comment focused; Escape, Close or Cancel put focus back on what opened it.
  document.addEventListener("htmx:afterSwap", function (e) {
    var target = slot();
    if (!target || e.detail.target !== target || !target.firstElementChild) return;
    var elt = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (elt && elt.matches && elt.matches("a, button") && !target.contains(elt)) opener = elt;
    target.classList.add("open");
    var field = target.querySelector("textarea[name=comment]");
    target.scrollIntoView({ block: "nearest" });
    if (field) field.focus();
  });
  function annotateSelection() {
    var t = selectionTarget();
    if (!t) return false;
    var q = "start=" + t.start + "&end=" + t.end + "&exact=" + encodeURIComponent(t.exact);
    openForm(t.url + (t.url.indexOf("?") < 0 ? "?" : "&") + q);
    hidePop();
    return true;
  }
  function annotateAttribution() {
    var link = document.querySelector(".attribution.selected [data-annotate-attribution]");
    if (!link) return false;
    openForm(link.getAttribute("href"));
    return true;
  }
  function hidePop() {
    if (pop) pop.hidden = true;
  }
  function showPop() {
    var t = selectionTarget();
    if (!t) { hidePop(); return; }
    if (!pop) {
      pop = document.createElement("button");
      pop.type = "button";
      pop.className = "annotate-pop";
      pop.innerHTML = "Annotate <kbd>a</kbd>";
      pop.addEventListener("mousedown", function (e) { e.preventDefault(); });
      pop.addEventListener("click", function () { annotateSelection(); });
      document.body.appendChild(pop);
    }
    pop.hidden = false;
    pop.style.top = (window.scrollY + t.rect.bottom + 6) + "px";
    pop.style.left = (window.scrollX + t.rect.left) + "px";
  }
  document.addEventListener("mouseup", function (e) {
    if (e.target.closest && e.target.closest(".annotate-pop")) return;
    setTimeout(showPop, 0);
  });
  document.addEventListener("keyup", function (e) {
    if (e.shiftKey && /^Arrow/.test(e.key)) showPop();
  });

  // n / p: step through the annotations; their marks light up in the text.
  function selectAnnotation(item, scroll) {
    document.querySelectorAll(".annotation.selected").forEach(function (el) { el.classList.remove("selected"); });
    document.querySelectorAll(".anno.active").forEach(function (el) { el.classList.remove("active"); });
    item.classList.add("selected");
    var id = item.getAttribute("data-anno-id");
    var first = null;
    document.querySelectorAll(".body .anno").forEach(function (el) {
      if ((" " + el.getAttribute("data-anno") + " ").indexOf(" " + id + " ") >= 0) {
        el.classList.add("active");
        if (!first) first = el;
      }
    });
    item.scrollIntoView({ block: "nearest" });
    if (scroll && first) first.scrollIntoView({ block: "center" });
  }
  function stepAnnotation(step) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".annotation[data-anno-id]"));
    if (!items.length) return;
    var current = document.querySelector(".annotation.selected");
    var i = items.indexOf(current);
    var next = items[i < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, i + step))];
    selectAnnotation(next, true);
    var link = next.querySelector("[data-anno-link]");
    if (link) link.focus({ preventScroll: true });
  }
  document.addEventListener("click", function (e) {
    var mark = e.target.closest && e.target.closest("[data-anno-mark]");
    if (mark) {
      var item = document.getElementById("annotation-" + mark.getAttribute("data-anno-mark"));
      if (item) { e.preventDefault(); selectAnnotation(item, false); }
      return;
    }
    var close = e.target.closest && e.target.closest("[data-close-annotate]");
    if (close && slot() && slot().contains(close)) {
      e.preventDefault();
      closeForm();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    if (e.key === "Escape" && slot() && slot().classList.contains("open")) {
      closeForm();
      return;
    }
    if (typing(e)) return;
    if (e.key === "a") {
      if (annotateSelection() || annotateAttribution()) e.preventDefault();
    } else if (e.key === "n" || e.key === "p") {
      stepAnnotation(e.key === "n" ? 1 : -1);
      e.preventDefault();
    }
  });
  // The form says who will be notified: the @mentions as they are typed.
  document.addEventListener("input", function (e) {
    var field = e.target;
    if (!field.matches || !field.matches("textarea[name=comment], textarea[name=body]")) return;
    var preview = field.form && field.form.querySelector("[data-notify-preview]");
    if (!preview) return;
    if (!preview.hasAttribute("data-default")) preview.setAttribute("data-default", preview.textContent);
    var names = (field.value.match(/(^|[^\w@])@[\w.+-]+/g) || []).map(function (m) { return m.replace(/^[^@]*/, ""); });
    var unique = names.filter(function (n, i) { return names.indexOf(n) === i; });
    preview.textContent = unique.length
      ? "Will notify " + unique.join(", ") + (preview.getAttribute("data-also") || "") + "."
      : preview.getAttribute("data-default");
  });
  // Deep links: ?annotation=<id> and ?attribution=<n> open with that item selected.
  document.addEventListener("DOMContentLoaded", function () {
    var annotation = document.querySelector(".annotation[data-selected]");
    if (annotation) selectAnnotation(annotation, true);
    var attribution = document.querySelector(".attribution[data-selected] a[data-att]");
    if (attribution) attribution.click();
  });
})();

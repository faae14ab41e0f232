// Inbox keyboard shortcuts: j/k move, a assign to me, d done, i ignore, r reply.
// Each item carries its own buttons tagged data-key; a shortcut clicks the current item's one,
// so the keyboard goes through the same CSRF-protected forms as the mouse.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".inbox-item"));
  var current = items.length ? 0 : -1;

  function focus(index) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0) items[current].classList.remove("current");
    current = index;
    items[current].classList.add("current");
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || current < 0) return;
    var key = event.key;
    if (key === "j") { focus(current + 1); event.preventDefault(); return; }
    if (key === "k") { focus(current - 1); event.preventDefault(); return; }
    if (key === "r") {
      var box = document.querySelector("#reply textarea");
      if (box) { box.focus(); event.preventDefault(); return; }
    }
    var target = items[current].querySelector('[data-key="' + key + '"]');
    if (target) { target.click(); event.preventDefault(); }
  });

  var saved = document.getElementById("saved-reply");
  if (saved) {
    saved.addEventListener("change", function () {
      var box = document.querySelector("#reply textarea");
      if (box && saved.value) box.value = saved.value;
    });
  }
  if (items.length) focus(0);
})();

/* Keyboard: ← and → go to the previous and next lesson, / or s focuses search.
   Never while the reader types, and never with a modifier (Alt+← is the browser's Back). */
(function () {
  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])");
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && !event.shiftKey) {
      // A focused code block scrolls sideways with the arrows; leave it that.
      if (event.target.closest && event.target.closest("pre")) return;
      var link = document.querySelector(event.key === "ArrowLeft" ? ".pager a[rel=prev]" : ".pager a[rel=next]");
      if (link) { event.preventDefault(); window.location.href = link.href; }
    } else if (event.key === "/" || event.key === "s") {
      var input = document.getElementById("search-input");
      if (input && !input.closest("[hidden]")) { event.preventDefault(); input.focus(); input.select(); }
    }
  });
})();

/* Table of contents: open beside the article on wide screens, folded at the top on narrow ones
   (the page ships it folded so a phone never shows it open first), and the section in view marked. */
notesReady(function () {
  var toc = document.querySelector(".toc details");
  if (!toc) return;
  var wide = window.matchMedia("(min-width: 1500px)");
  function fit() { toc.open = wide.matches; }
  fit();
  if (wide.addEventListener) wide.addEventListener("change", fit);
  toc.addEventListener("click", function (event) {
    if (event.target.closest("a") && !wide.matches) toc.open = false;
  });

  var links = Array.prototype.slice.call(toc.querySelectorAll("a"));
  var headings = links.map(function (link) { return document.getElementById(decodeURIComponent(link.hash.slice(1))); });
  var pending = false;
  function mark() {
    pending = false;
    // The section being read is the last one whose heading is in the top quarter of the window or above.
    var current = -1, line = window.innerHeight / 4;
    headings.forEach(function (heading, index) {
      if (heading && heading.getBoundingClientRect().top < line) current = index;
    });
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    if (atEnd && window.scrollY > 0) current = links.length - 1;
    links.forEach(function (link, index) {
      if (index === current) link.setAttribute("aria-current", "location");
      else link.removeAttribute("aria-current");
    });
  }
  window.addEventListener("scroll", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(mark); }
  }, { passive: true });
  mark();
});

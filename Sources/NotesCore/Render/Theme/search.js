/* Full-text search over window.NOTES_SEARCH, which search-index.js defines. The index is a script
   because a page opened from disk may load scripts but not fetch files; it loads on first use, so a
   page that is only read never parses it. Entry: [page number, section heading, anchor, text]. */
notesReady(function () {
  var box = document.querySelector(".search");
  if (!box) return;
  var input = box.querySelector("input");
  var list = box.querySelector(".search-results");
  var status = box.querySelector(".search-status");
  var root = document.body.getAttribute("data-root") || "";
  var entries = null;
  var requested = false;
  box.hidden = false;

  function load() {
    if (requested) return;
    requested = true;
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () { run(); };
    script.onerror = function () { status.textContent = "The search index (search-index.js) is missing."; };
    document.head.appendChild(script);
  }

  // Lower-cased once, so typing stays quick.
  function prepare() {
    var index = window.NOTES_SEARCH;
    if (!index) return null;
    return index.sections.map(function (section) {
      var page = index.pages[section[0]];
      return { title: page[0], path: page[1], heading: section[1], anchor: section[2], text: section[3],
               low: { title: page[0].toLowerCase(), heading: section[1].toLowerCase(), text: section[3].toLowerCase() } };
    });
  }

  function score(entry, terms, query) {
    // The words together, as typed, count for more than the words apart.
    var total = terms.length < 2 ? 0 : (entry.low.heading.indexOf(query) >= 0 ? 20 : 0) + (entry.low.text.indexOf(query) >= 0 ? 5 : 0);
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var inHeading = entry.low.heading.indexOf(term) >= 0;
      var inTitle = entry.low.title.indexOf(term) >= 0;
      var inText = entry.low.text.indexOf(term) >= 0;
      if (!inHeading && !inTitle && !inText) return 0;
      total += (inHeading ? 10 : 0) + (inTitle ? 4 : 0) + (inText ? 1 : 0);
    }
    return total;
  }

  function run() {
    var query = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    if (!entries) entries = prepare();
    if (!entries) { load(); status.textContent = "Loading the index…"; return; }
    var terms = query.split(/\s+/);
    query = terms.join(" ");
    var hits = [];
    entries.forEach(function (entry, order) {
      var points = score(entry, terms, query);
      if (points > 0) hits.push({ entry: entry, points: points, order: order });
    });
    hits.sort(function (a, b) { return b.points - a.points || a.order - b.order; });
    var shown = hits.slice(0, 20);
    shown.forEach(function (hit) { list.appendChild(result(hit.entry, terms)); });
    status.textContent = hits.length === 0 ? "No results."
      : hits.length + (hits.length === 1 ? " result" : " results") + (hits.length > shown.length ? ", best " + shown.length + " shown." : ".");
  }

  function result(entry, terms) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    // Encoded per segment, as HTML.href does for the page's own links (a note may be named `a#1.md`).
    link.href = root + entry.path.split("/").map(encodeURIComponent).join("/") + (entry.anchor ? "#" + entry.anchor : "");
    var where = document.createElement("span");
    where.className = "where";
    where.textContent = entry.heading === entry.title ? entry.title : entry.title + " › " + entry.heading;
    var excerpt = document.createElement("span");
    excerpt.className = "excerpt";
    highlight(excerpt, snippet(entry, terms), terms);
    link.appendChild(where);
    link.appendChild(excerpt);
    item.appendChild(link);
    return item;
  }

  // About 150 characters of the section around the first term found, cut at word boundaries.
  function snippet(entry, terms) {
    var text = entry.text, at = -1;
    terms.forEach(function (term) {
      var found = entry.low.text.indexOf(term);
      if (found >= 0 && (at < 0 || found < at)) at = found;
    });
    var start = Math.max(0, at - 50);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + 150);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  // Text nodes and <mark>s, never innerHTML: the index holds the notes' code, full of < and &.
  function highlight(parent, text, terms) {
    var low = text.toLowerCase(), at = 0;
    while (at < text.length) {
      var next = -1, length = 0;
      terms.forEach(function (term) {
        var found = low.indexOf(term, at);
        if (found >= 0 && (next < 0 || found < next || (found === next && term.length > length))) { next = found; length = term.length; }
      });
      if (next < 0) { parent.appendChild(document.createTextNode(text.slice(at))); return; }
      parent.appendChild(document.createTextNode(text.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      parent.appendChild(mark);
      at = next + length;
    }
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("focus", load);
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (event) {
    var first = links()[0];
    if (event.key === "Enter" && first) { event.preventDefault(); first.click(); }
    else if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
    else if (event.key === "Escape") { input.value = ""; run(); input.blur(); }
  });
  // Up and down walk the results; Escape goes back to the box.
  list.addEventListener("keydown", function (event) {
    var all = links(), index = all.indexOf(document.activeElement);
    if (index < 0) return;
    if (event.key === "ArrowDown" && index + 1 < all.length) { event.preventDefault(); all[index + 1].focus(); }
    else if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? all[index - 1] : input).focus(); }
    else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
  });
});

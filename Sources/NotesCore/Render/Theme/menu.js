/* Narrow screens: the lesson list folds behind the "Lessons" button, so a phone opens on the lesson
   itself. Without this script the list stays open: the CSS folds it only once the sidebar is .foldable. */
notesReady(function () {
  var sidebar = document.querySelector(".sidebar");
  var button = document.querySelector(".menu-toggle");
  if (!sidebar || !button) return;
  sidebar.classList.add("foldable");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    sidebar.classList.toggle("open", open);
  });
});

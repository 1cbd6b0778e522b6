/* notes.js: small enhancements to the static notes site. Each part works from file:// and the page
   stays readable without it. This part runs in <head>, before the body paints, so a reader who chose
   a theme never sees the other one flash. */
window.notesReady = function (run) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
};

(function () {
  var key = "notes-theme";
  var root = document.documentElement;
  var system = window.matchMedia("(prefers-color-scheme: dark)");
  // Storage can throw (privacy modes, some file:// setups); the theme then just is not remembered.
  function stored() { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function store(value) {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) {}
  }
  function current() { return stored() || (system.matches ? "dark" : "light"); }
  function apply() {
    var theme = current();
    root.setAttribute("data-theme", theme);
    var button = document.querySelector(".theme-toggle");
    if (button) {
      button.setAttribute("aria-pressed", String(theme === "dark"));
      button.textContent = theme === "dark" ? "☀" : "☾";
    }
  }
  apply();
  if (system.addEventListener) system.addEventListener("change", apply);
  // Another tab or page of the course changed the theme.
  window.addEventListener("storage", function (event) { if (event.key === key) apply(); });

  notesReady(function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.hidden = false;
    apply();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      // Choosing what the system already shows means "follow the system" again.
      store(next === (system.matches ? "dark" : "light") ? null : next);
      apply();
    });
  });
})();

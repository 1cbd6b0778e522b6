/* Copy buttons on code blocks. They copy the code as shown: hidden setup lines were never rendered.
   navigator.clipboard needs a secure context, which file:// is not in every browser, so there is a
   fallback through a selected textarea, and at last the code is selected for the reader to copy. */
notesReady(function () {
  var status = document.createElement("div");
  status.className = "sr-only";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var shortcut = /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘C" : "Ctrl+C";

  document.querySelectorAll(".snippet, .code-block").forEach(function (block) {
    var code = block.querySelector("pre > code");
    if (!code) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy code");
    (block.querySelector(":scope > .code-head") || block).appendChild(button);
    button.addEventListener("click", function () { copy(code, button); });
  });

  // A shell session copies as its commands: without the `$ ` prompts and without what they printed.
  function copiedText(code) {
    var text = code.textContent;
    if (!/\blanguage-(console|shell-session|shell|sh|bash|zsh)\b/.test(code.className)) return text;
    var commands = text.split("\n").filter(function (line) { return line.indexOf("$ ") === 0; });
    if (commands.length === 0) return text;
    return commands.map(function (line) { return line.slice(2); }).join("\n") + "\n";
  }

  function copy(code, button) {
    var text = copiedText(code);
    function done(copied) {
      if (!copied) selectText(code);
      button.textContent = copied ? "Copied" : "Press " + shortcut;
      status.textContent = copied ? "Code copied" : "Code selected; press " + shortcut + " to copy";
      clearTimeout(button.reset);
      button.reset = setTimeout(function () { button.textContent = "Copy"; status.textContent = ""; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
                                               function () { done(copyWithTextarea(text, button)); });
    } else {
      done(copyWithTextarea(text, button));
    }
  }

  function copyWithTextarea(text, button) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position:fixed;top:0;left:-9999px;opacity:0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) {}
    area.remove();
    button.focus();
    return copied;
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
});

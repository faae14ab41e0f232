// Live validation of watch rules: each line is checked by the server as it is typed.
(function () {
  "use strict";
  const area = document.getElementById("rules");
  const status = document.getElementById("rule-status");
  if (!area || !status) return;
  let timer = null;
  let generation = 0;

  async function check() {
    const mine = ++generation;
    const lines = area.value.split("\n");
    const results = [];
    for (let i = 0; i < lines.length; i++) {
      const rule = lines[i].trim();
      if (!rule) continue;
      const url = area.dataset.checkUrl + "?rule=" + encodeURIComponent(rule);
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      results.push([i + 1, await response.json()]);
    }
    if (mine !== generation) return; // a newer keystroke won
    status.replaceChildren();
    for (const [line, result] of results) {
      const pre = document.createElement("pre");
      if (result.ok) {
        pre.className = "rule-ok";
        pre.textContent = "✓ " + line + " : " + result.tree.split("\n")[0];
      } else {
        pre.className = "error rule-error";
        pre.textContent = line + " : " + result.error.message + "\n" + result.error.caret;
      }
      status.appendChild(pre);
    }
  }

  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();

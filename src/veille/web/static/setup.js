// The town picker of the set-up: the communes whose name starts with what is typed.
(function () {
  "use strict";
  const input = document.getElementById("city");
  const list = document.getElementById("communes");
  if (!input || !list) return;
  let timer = null;

  async function suggest() {
    const typed = input.value.trim();
    if (typed.length < 2) return;
    const response = await fetch("/api/communes?q=" + encodeURIComponent(typed), {
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const labels = await response.json();
    list.replaceChildren(
      ...labels.map((label) => {
        const option = document.createElement("option");
        option.value = label;
        return option;
      })
    );
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
})();

// The composer's live counter: for each network of the ticked accounts (every network when
// none is ticked), the text's length as that network counts it, against its limit. The rules
// come from the network registry (data-rules); the server measures again when saving.
(function () {
  "use strict";
  const area = document.getElementById("draft-text");
  const list = document.getElementById("draft-counts");
  if (!area || !list) return;
  const rules = JSON.parse(area.dataset.rules);
  const form = area.form;
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const URL = /https?:\/\/[^\s]+/g;

  function isEmoji(code) {
    return (code >= 0x1f000 && code <= 0x1faff) || (code >= 0x2600 && code <= 0x27bf);
  }

  function weight(cluster, light) {
    if (!light.length) return 1;
    let total = 0;
    for (const char of cluster) {
      const code = char.codePointAt(0);
      if (isEmoji(code)) return 2; // an emoji sequence counts 2 whatever its length
      total += light.some(([low, high]) => code >= low && code <= high) ? 1 : 2;
    }
    return total;
  }

  function count(text, rule) {
    let rest = text.normalize("NFC");
    let total = 0;
    if (rule.url !== null) {
      rest = rest.replace(URL, () => {
        total += rule.url;
        return "";
      });
    }
    for (const { segment } of segmenter.segment(rest)) total += weight(segment, rule.light);
    return total;
  }

  function chosen() {
    const ticked = [...form.querySelectorAll("input[name=account]:checked")];
    const networks = ticked.map((box) => box.dataset.network).filter((n) => n in rules);
    return networks.length ? [...new Set(networks)] : Object.keys(rules);
  }

  function update() {
    const text = area.value.trim();
    list.replaceChildren();
    for (const network of chosen()) {
      const rule = rules[network];
      const used = count(text, rule);
      const item = document.createElement("li");
      item.dataset.network = network;
      item.className = used > rule.max ? "over error" : "fits";
      let words = rule.name + " : " + used + " / " + rule.max + " " + area.dataset.chars;
      if (used > rule.max) words += " (" + (used - rule.max) + " " + area.dataset.over + ")";
      item.textContent = words;
      list.append(item);
    }
  }

  area.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();

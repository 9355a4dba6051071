// Keeps a text's server-rendered "at most N characters; n written" current while typing. The
// page is complete without it. Counts as the server does: stripped, a line break once.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-count-words]").forEach(function (area) {
    var help = document.getElementById(area.id + "_helptext");
    var words = help && help.querySelector("[data-counter]");
    if (!words) return;
    function show() {
      words.textContent = area.dataset.countWords.replace("{count}", area.value.trim().length);
    }
    area.addEventListener("input", show);
    if (area.value) show();
  });
})();

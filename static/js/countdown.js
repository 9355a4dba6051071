// Keeps every server-rendered "X d X h left" current. The page is complete without it.
(function () {
  "use strict";
  var body = document.body;
  function words(ms) {
    if (ms <= 0) return body.dataset.passed;
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    if (days === 0 && hours === 0) {
      return body.dataset.leftM.replace("%(minutes)d", Math.max(1, minutes));
    }
    return body.dataset.leftDh.replace("%(days)d", days).replace("%(hours)d", hours);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (el) {
      el.textContent = words(Date.parse(el.dataset.deadline) - now);
    });
  }
  tick();
  setInterval(tick, 30000);
})();

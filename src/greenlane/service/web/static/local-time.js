// Shows every <time datetime="..."> in the reader's own time zone; the page's text (UTC) is
// what a reader without scripts sees.
(function () {
  "use strict";
  function localize() {
    var format = { dateStyle: "medium", timeStyle: "short" };
    Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when.getTime())) {
        el.textContent = when.toLocaleString(undefined, format);
        el.title = el.getAttribute("datetime");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localize);
  } else {
    localize();
  }
})();

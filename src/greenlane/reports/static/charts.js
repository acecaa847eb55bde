// Draws every chart of the page from its data block: <script type="application/json"
// data-chart="ID"> holds {data, layout, config} for the element with that id. The data is
// JSON, never script, so no value shown on a page can run as code.
(function () {
  "use strict";
  function draw() {
    var blocks = document.querySelectorAll('script[type="application/json"][data-chart]');
    Array.prototype.forEach.call(blocks, function (block) {
      var figure = JSON.parse(block.textContent);
      var config = figure.config || {};
      if (window.innerWidth < 600) {
        config.displayModeBar = false;  // on a phone the toolbar would cover the title
      }
      Plotly.newPlot(block.getAttribute("data-chart"), figure.data, figure.layout, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

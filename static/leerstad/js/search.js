// Title suggestions for the search boxes. The forms work without this script: it only fills each box's
// <datalist> from the autocomplete endpoint (data-autocomplete) as the visitor types, so the browser offers
// the titles with its own keyboard and screen-reader support.
(function () {
  "use strict";
  var DELAY_MS = 150;
  var MIN_LENGTH = 2;

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) {
      return;
    }
    var timer = null;
    var controller = null;
    var lastText = "";

    function show(items) {
      list.replaceChildren();
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.title;
        option.label = item.type_label;
        list.appendChild(option);
      });
    }

    function ask() {
      var text = input.value.trim();
      if (text === lastText) {
        return;
      }
      lastText = text;
      if (text.length < MIN_LENGTH) {
        show([]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var url = new URL(input.dataset.autocomplete, window.location.href);
      url.searchParams.set("q", text);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (answer) {
          show(answer.items || []);
        })
        .catch(function () {
          // A suggestion that does not come is no error: the form still searches.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-autocomplete][list]").forEach(enhance);
})();

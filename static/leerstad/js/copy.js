// "Copy" buttons beside read-only addresses (calendar subscriptions). The address can be selected and copied
// without this script: it only shows each button (hidden in the HTML), copies the address on a click and says so
// in the status text next to it, which screen readers announce.
(function () {
  "use strict";

  function enhance(button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          if (status) {
            status.textContent = button.dataset.copied;
          }
        },
        function () {
          // Not allowed here (an old browser, a frame): select it, so that the visitor copies it by hand.
          field.focus();
          field.select();
        }
      );
    });
    field.addEventListener("focus", function () {
      field.select();
    });
  }

  if (navigator.clipboard && navigator.clipboard.writeText) {
    document.querySelectorAll("button[data-copy]").forEach(enhance);
  }
})();

/* Progressive enhancement only: every page works without this file.
 * When printing, open collapsed sections (<details>) so their content is on paper,
 * and close them again afterwards. */
(function () {
    "use strict";
    var opened = [];
    window.addEventListener("beforeprint", function () {
        opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (el) {
            el.open = true;
            return true;
        });
    });
    window.addEventListener("afterprint", function () {
        opened.forEach(function (el) {
            el.open = false;
        });
        opened = [];
    });
})();

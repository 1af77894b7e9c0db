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

/* The print button (practice pages): a plain <button hidden> until this script shows it. */
(function () {
    "use strict";
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            window.print();
        });
    });
})();

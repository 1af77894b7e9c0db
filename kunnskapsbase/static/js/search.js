/* Search: progressive enhancement only. Every search page works without this file.
 *
 * 1. Suggestions while typing: a search field with data-autocomplete-url gets a native
 *    <datalist> filled from the JSON endpoint (GET …?q= → {"suggestions": [{"label", "kind", "url"}]}).
 *    The browser presents the list accessibly; choosing a suggestion just fills in the field.
 *    If the endpoint is missing (404) or fails, the field stays an ordinary search field.
 * 2. Clean addresses: empty fields (q=, sort=) are left out when a search form is submitted,
 *    so the address that can be shared holds only what was chosen (and no bare «?»).
 * 3. After a search or a filter (the address has a query or #treff), focus goes to the results
 *    heading (#treff), which says how many were found; the next Tab leads on to the results.
 * 4. Filters: folded under «Filtrer (n)» on phones, opened beside the results on wide screens
 *    (<details data-open-when-wide>). Enter on a filter's checkbox applies the filters, as
 *    «Bruk filtre» does (Space ticks it).
 */
(function () {
    "use strict";

    var MIN_LENGTH = 2;
    var DELAY = 200;
    var KIND_LABELS = { side: "Side", stikkord: "Stikkord", lov: "Lov" };

    function supportsDatalist() {
        return "fetch" in window && "list" in document.createElement("input") && !!window.HTMLDataListElement;
    }

    function enhance(input, number) {
        var endpoint = input.getAttribute("data-autocomplete-url");
        if (!endpoint || !input.id) {
            return;
        }
        var list = document.createElement("datalist");
        list.id = input.id + "-forslag-" + number;
        input.parentNode.appendChild(list);
        input.setAttribute("list", list.id);

        var cache = {};
        var timer = null;
        var controller = null;
        var broken = false;

        function fill(suggestions) {
            while (list.firstChild) {
                list.removeChild(list.firstChild);
            }
            suggestions.forEach(function (suggestion) {
                if (!suggestion || typeof suggestion.label !== "string") {
                    return;
                }
                var option = document.createElement("option");
                option.value = suggestion.label;
                if (KIND_LABELS[suggestion.kind]) {
                    option.label = KIND_LABELS[suggestion.kind];
                }
                list.appendChild(option);
            });
        }

        function lookup(text) {
            if (Object.prototype.hasOwnProperty.call(cache, text)) {
                fill(cache[text]);
                return;
            }
            if (controller) {
                controller.abort();
            }
            controller = "AbortController" in window ? new AbortController() : null;
            var separator = endpoint.indexOf("?") === -1 ? "?" : "&";
            fetch(endpoint + separator + "q=" + encodeURIComponent(text), {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
                signal: controller ? controller.signal : undefined
            })
                .then(function (response) {
                    if (response.status === 404 || response.status === 405) {
                        broken = true; // no endpoint here: stop asking
                    }
                    if (!response.ok) {
                        throw new Error("autocomplete " + response.status);
                    }
                    return response.json();
                })
                .then(function (data) {
                    var suggestions = data && Array.isArray(data.suggestions) ? data.suggestions : [];
                    cache[text] = suggestions;
                    if (input.value.trim() === text) {
                        fill(suggestions);
                    }
                })
                .catch(function () {
                    /* Suggestions are a nicety: a failure leaves a plain search field. */
                });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            var text = input.value.trim();
            if (broken || text.length < MIN_LENGTH) {
                fill([]);
                return;
            }
            timer = window.setTimeout(function () {
                lookup(text);
            }, DELAY);
        });
    }

    function cleanEmptyFields(event) {
        var form = event.target;
        if (!form || form.tagName !== "FORM" || !form.hasAttribute("data-clean-empty")) {
            return;
        }
        var removed = [];
        Array.prototype.forEach.call(form.elements, function (field) {
            var cleanable = field.tagName === "SELECT" || /^(search|text|hidden)$/.test(field.type || "");
            if (field.name && cleanable && field.value.trim() === "") {
                removed.push([field, field.name]);
                field.removeAttribute("name");
            }
        });
        // With nothing left to send, a GET form would still add a bare «?» to the address.
        if ("FormData" in window && form.method.toLowerCase() === "get" && !new FormData(form).keys().next().value) {
            event.preventDefault();
            window.location.assign(form.action);
        }
        // Give the names back once the form has been sent, so that going back finds the form whole.
        window.setTimeout(function () {
            removed.forEach(function (entry) {
                entry[0].setAttribute("name", entry[1]);
            });
        }, 0);
    }

    var WIDE = "(min-width: 56em)";

    function openFiltersWhenWide() {
        if (!window.matchMedia) {
            return;
        }
        var wide = window.matchMedia(WIDE);
        Array.prototype.forEach.call(document.querySelectorAll("details[data-open-when-wide]"), function (details) {
            if (wide.matches) {
                details.open = true;
            }
        });
    }

    function focusResultsHeading() {
        var heading = document.getElementById("treff");
        if (!heading || !(window.location.search || window.location.hash === "#treff")) {
            return;
        }
        var active = document.activeElement;
        if (active && active !== document.body && active !== heading) {
            return; // the visitor has already moved on
        }
        heading.focus();
    }

    function applyOnEnter(event) {
        var box = event.target;
        if (event.key !== "Enter" || !box || box.type !== "checkbox" || !box.form) {
            return;
        }
        if (!box.closest || !box.closest(".listing__filters")) {
            return;
        }
        event.preventDefault();
        if (box.form.requestSubmit) {
            box.form.requestSubmit();
        } else {
            box.form.submit();
        }
    }

    function init() {
        Array.prototype.forEach.call(document.querySelectorAll("[data-enter-hint]"), function (hint) {
            hint.hidden = false; // Enter applies the filters only with this script
        });
        openFiltersWhenWide();
        focusResultsHeading();
        document.addEventListener("keydown", applyOnEnter);
        if (supportsDatalist()) {
            Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete-url]"), enhance);
        }
        document.addEventListener("submit", cleanEmptyFields);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();

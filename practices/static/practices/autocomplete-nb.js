/* Norwegian for the two fixed English texts of wagtail-autocomplete's chooser widget
   (practices/choosers.py): «Nothing selected.» and the screen-reader label «Remove». The widget
   renders them as plain text; they are replaced where the widget puts them, and only there. */
(() => {
  const TEXTS = { 'Nothing selected.': 'Ingenting valgt.', Remove: 'Fjern' };
  const WIDGET = '[data-autocomplete-input]';

  const translate = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = TEXTS[node.nodeValue];
      if (text) node.nodeValue = text;
    }
  };

  // Changing a text node's value is not a childList mutation: this never triggers itself.
  const observer = new MutationObserver((mutations) => {
    mutations.forEach(({ target }) => {
      const widget = target.nodeType === Node.ELEMENT_NODE ? target.closest(WIDGET) : null;
      if (widget) translate(widget);
    });
  });

  const start = () => {
    document.querySelectorAll(WIDGET).forEach(translate);
    observer.observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

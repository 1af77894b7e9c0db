"""The searchable chooser's panel for the page and snippet editors: wagtail-autocomplete's
``AutocompletePanel`` whose widget has the chosen values in the form from the start.

The add-on's widget renders an empty ``<span>``; its script (React) mounts there later and only
then adds the hidden input the form posts. Whatever reads the form before that posts no value at
all for the field, and the field is saved empty. Wagtail's autosave does exactly that when the
editor comes back with a form error: the page is marked as changed, and the first autosave sends
the form at once, before the choosers have mounted, emptying municipalities, themes, target groups,
funding sources, related practices and legal references' provisions in the draft. Here the widget
renders that hidden input itself (practices/widgets/autocomplete.html); the script replaces it with
its own, of the same name and value, when it mounts.
"""

from wagtailautocomplete.edit_handlers import AutocompletePanel as AddOnAutocompletePanel
from wagtailautocomplete.widgets import Autocomplete as AddOnAutocomplete


class Autocomplete(AddOnAutocomplete):
    template_name = "practices/widgets/autocomplete.html"


class AutocompletePanel(AddOnAutocompletePanel):
    def widget_overrides(self):
        return {
            name: Autocomplete(
                target_model=widget.target_model, can_create=widget.can_create, is_single=widget.is_single
            )
            for name, widget in super().widget_overrides().items()
        }

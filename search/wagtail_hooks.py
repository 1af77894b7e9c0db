"""The admin dashboard warns when the search engine's index is behind or unreachable.

«Søkeindeksen ligger N oppdateringer etter» is shown while failed updates wait in the queue
(search/sync.py); they are retried by ``manage.py search_retry_queue``, and a page's entry
goes when a later update of it succeeds. Costs one count per dashboard view, and no request
to the cluster.
"""

from django.conf import settings
from wagtail import hooks
from wagtail.admin.ui.components import Component


def behind_message(count):
    noun = "oppdatering" if count == 1 else "oppdateringer"
    return f"Søkeindeksen ligger {count} {noun} etter"


class SearchIndexStatusPanel(Component):
    name = "kb_search_index_status"
    template_name = "kb_search/admin_index_status_panel.html"
    order = 50  # near the top: editors should see it before they wonder why search is stale

    def __init__(self, backlog, engine_down):
        self.backlog = backlog
        self.engine_down = engine_down

    def get_context_data(self, parent_context):
        return {
            "behind": behind_message(self.backlog) if self.backlog else "",
            "engine_down": self.engine_down,
            "backlog": self.backlog,
        }


@hooks.register("construct_homepage_panels")
def add_search_index_status_panel(request, panels):
    if not getattr(settings, "ELASTICSEARCH_URL", ""):
        return
    from .engines.elasticsearch.client import is_down
    from .sync import backlog

    count = backlog()
    down = is_down()
    if count or down:
        panels.append(SearchIndexStatusPanel(count, down))

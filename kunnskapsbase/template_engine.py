"""Django's template engine, letting go of a page's context as soon as the page is rendered.

A render's context holds each dict pushed onto it in a ``ContextDict`` that points back to the
context (django/template/context.py): a reference cycle. Everything a view hands its template
(a search listing: some 500 objects, its facets and results) is then reachable only from that
cycle once the response is made, so it is freed by the garbage collector instead of when the
render ends: it survives the young generation, is walked again by the next generation-1
collection (1–2 ms in a listing request), and a request that happens to run that collection
pays for the pages before it. Emptying the context's stack after rendering breaks the cycle;
the objects go at once, as any other request's temporaries do. Rendering itself is Django's.
"""

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context


class Template(django_backend.Template):
    def render(self, context=None, request=None):
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        finally:
            # Copies taken while rendering (the test client's, the debug toolbar's) keep theirs.
            context.dicts.clear()


class DjangoTemplates(django_backend.DjangoTemplates):
    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)

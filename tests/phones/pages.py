"""Reading the pages the tests get back: what a browser would post, what it would load."""

from html.parser import HTMLParser

from django.urls import reverse


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def outside_sources(response):
    """Scripts and styles a page would load from anywhere but our static files."""
    parser = TagCollector()
    parser.feed(response.content.decode())
    sources = [a["src"] for tag, a in parser.tags if tag == "script" and "src" in a]
    sources += [a["href"] for tag, a in parser.tags if tag == "link" and "href" in a]
    assert sources
    return [s for s in sources if not s.startswith("/static/") and s != reverse("admin:jsi18n")]


def form_data(response):
    """What a browser would post back from an admin form, inlines included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return data

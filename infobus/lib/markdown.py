"""The safe Markdown subset for texts typed in the admin.

Raw HTML is never passed through: markdown-it escapes it when `html` is off, and its link
validator drops javascript:, vbscript:, file: and data: (except images) links. Images are not
rendered at all: they cost readers data and could load from another host.
"""

from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image"]
)


def render_markdown(text):
    """HTML for a text typed in the admin.

    Its headings are moved so the biggest one is an h2, under the page's own h1, without
    skipping a level (screen readers list pages by their headings).
    """
    tokens = _md.parse(text or "")
    headings = [t for t in tokens if t.type in {"heading_open", "heading_close"}]
    if headings:
        shift = 2 - min(int(t.tag[1]) for t in headings)
        for token in headings:
            token.tag = f"h{min(max(int(token.tag[1]) + shift, 2), 6)}"
    return mark_safe(_md.renderer.render(tokens, _md.options, {}))

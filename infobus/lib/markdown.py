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
    """HTML for a text typed in the admin; its headings start at h2, under the page's h1."""
    tokens = _md.parse(text or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return mark_safe(_md.renderer.render(tokens, _md.options, {}))

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
    return mark_safe(_md.render(text or ""))

"""The hashes of the inline scripts the Content-Security-Policy allows on public pages.

Public pages are cached as rendered HTML (guides.pagecache), so a per-request nonce cannot
work: an inline script is allowed by the sha256 of its text instead. That text is read from
the template source, so it must be constant: no template tag or variable inside a <script>.
"""

import base64
import hashlib
import re

from django.core.exceptions import ImproperlyConfigured

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
# A data block (<script type="application/json">) is never run, so CSP does not apply to it.
NOT_RUN = re.compile(r"\bsrc=|\btype=\"application/(ld\+)?json\"")


def inline_scripts(html):
    """The text of every inline script that a browser would run, in page order."""
    return [m["body"] for m in INLINE_SCRIPT.finditer(html) if not NOT_RUN.search(m["attrs"])]


def script_hash(text):
    digest = hashlib.sha256(text.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def template_script_hashes(name, source):
    """The hashes of the inline scripts in a template's source; refuses any that varies."""
    hashes = []
    for text in inline_scripts(source):
        if "{%" in text or "{{" in text or "{#" in text:
            raise ImproperlyConfigured(
                f"An inline <script> in {name} holds template syntax: its hash would not match "
                "the page. Pass the values in data- attributes instead."
            )
        hashes.append(script_hash(text))
    return hashes

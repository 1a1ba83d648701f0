"""A fixed-window rate limit on the shared cache, keyed on a salted hash of the address.

The address itself is never stored: only a hash that changes with every window, so the
counter cannot be turned back into who wrote a report.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def allow(request, scope, *, limit, period):
    """Count this request; False once `limit` requests came from its address in `period` s."""
    window = int(time.time() // period)
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{window}|{address}".encode())
    key = f"ratelimit:{scope}:{digest.hexdigest()[:32]}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit

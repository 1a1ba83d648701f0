"""What every property test here needs: a savepoint per example, a fingerprint of the whole
database to prove that nothing changed, and strategies for odd input."""

import string
from contextlib import contextmanager
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from hypothesis import strategies as st

# --- One example, one savepoint -------------------------------------------------------------


@contextmanager
def rolled_back():
    """Run one Hypothesis example in a savepoint that is always rolled back, with an empty
    cache (page cache, rate limits): examples neither see nor leak each other's writes."""
    cache.clear()
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def fingerprint(*, exclude=()):
    """{table: md5 of its rows} for every table: any insert, update or delete changes it."""
    quote = connection.ops.quote_name
    tables = sorted(t for t in connection.introspection.table_names() if t not in exclude)
    columns = ", ".join(
        f"(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM {quote(t)} r)"  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_tables(before, after):
    return {table for table in before if before[table] != after.get(table)}


# --- Odd input ------------------------------------------------------------------------------

# Pieces that broke real systems: direction marks and overrides, combining marks, NUL and
# other controls, byte-order marks, emoji sequences, digits of other scripts, formula
# openers, template and format syntax, escapes.
ODD_PIECES = [
    "\u200f",  # right-to-left mark
    "\u200e",
    "\u202e",  # right-to-left override
    "\u2066",
    "e\u0301\u0301\u0301",  # stacked combining accents
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\ufeff",
    "\u00a0",
    "\u2028",
    "\r\n",
    "\t",
    "😀",
    "👩🏽\u200d🔧",
    "ﷺ",
    "ع",
    "مرحبا",
    "١٢٣",
    "𝟘𝟙",
    "Ⅻ",
    "\U0010ffff",
    "\ufffd",
    "'",
    '"',
    "<script>alert(1)</script>",
    "{{ x }}",
    "{% if %}",
    "%",
    "%00",
    "%s%d",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(1)",
    "../",
    "\\",
    "NaN",
    "1e309",
    "0x10",
    " ",
    ";",
    ",",
]

# Lone surrogates cannot be UTF-8 encoded, so they cannot travel in a form body; the URL
# strategies send them percent-encoded as the bytes a broken client would send.
plain_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
odd_pieces = st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=6).map("".join)
huge_text = st.tuples(
    st.sampled_from(["a", "ع", "😀", "\u0301", "%", ",", "\x00"]), st.integers(1000, 10_000)
).map(lambda pair: pair[0] * pair[1])
odd_text = st.one_of(plain_text, odd_pieces, huge_text, st.just(""))

odd_number = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " 12 ", "١٢", "1,5", "1e3", "-0", "12abc", "9" * 40, "0" * 500 + "1"]),
    odd_text,
)

odd_date = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(
        ["0000-00-00", "2025-02-30", "99999-01-01", "-2025-01-01", "2025-13-01", "31/12/2025", ""]
    ),
    odd_text,
)

odd_time = st.one_of(
    st.times().map(lambda t: t.isoformat()),
    st.sampled_from(["24:00", "25:61", "-1:00", "14h30", "2:30 PM", "", "99999:00"]),
    odd_text,
)

# Raw bytes for a URL: invalid UTF-8 and percent-encoded surrogates included.
odd_bytes = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"%", b"\x00", b"..", b"."]),
    st.text(st.characters(codec="utf-8"), max_size=20).map(str.encode),
    huge_text.map(str.encode),
)

header_text = st.one_of(
    st.text(string.printable, max_size=60),
    st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=60),
    st.sampled_from(["*", '"', 'W/"', ",,,", "en;q=abc", "x" * 9000, "ar-SA, fa;q=0.9, *;q=0"]),
)


# --- Posting a form and judging the answer --------------------------------------------------

# Login sessions are not application data: a staff request may touch its own session row.
NOT_DATA = ("django_session",)
MISSING = object()


def post_data(values):
    """A form body from {field: value}, leaving out the fields drawn as MISSING."""
    return {name: value for name, value in values.items() if value is not MISSING}


def assert_clear_errors(errors, *, fields):
    """Every refusal names a field of the form (or the form as a whole) and says something."""
    assert errors, "refused without saying why"
    for name, messages in errors.items():
        assert name in fields or name == "__all__", name
        assert messages and all(str(message).strip() for message in messages), (name, messages)


def is_history(table):
    # django-simple-history keeps a copy of each saved row beside the model's table.
    return "historical" in table

import pytest

from sessions_log.units import GB, KB, MB, format_size, parse_size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1.2 MB", round(1.2 * MB)),
        ("340 KB", 340 * KB),
        ("11 GB", 11 * GB),
        ("11GB", 11 * GB),
        ("1,5 Go", round(1.5 * GB)),
        ("900", 900 * MB),
        ("0 bytes", 0),
        (" 2 gb ", 2 * GB),
    ],
)
def test_sizes_are_read_as_people_and_the_dashboard_write_them(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "-3 MB", "12 parsecs", "1.2.3 MB", "aa:bb:cc"])
def test_what_is_not_a_size_is_refused_without_repeating_it(text):
    with pytest.raises(ValueError) as refused:
        parse_size(text)

    assert str(refused.value) == "not a size"


def test_sizes_are_written_with_one_decimal_and_a_unit():
    assert format_size(11 * GB) == "11.0 GB"
    assert format_size(round(1.2 * MB)) == "1.2 MB"
    assert format_size(None) == ""

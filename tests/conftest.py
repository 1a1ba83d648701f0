import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the source language; a test that needs another activates it."""
    with translation.override("en"):
        yield

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def december_2025():
    """Today is 10 December 2025 in Calais: November's sessions are all in the past."""
    with time_machine.travel(datetime(2025, 12, 10, 18, 0, tzinfo=PARIS), tick=False):
        yield

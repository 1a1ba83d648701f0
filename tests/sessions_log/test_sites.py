"""Sites and their places: moving a site after an eviction moves the guide's place too."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from guides.models import Area, Place
from sessions_log import services
from sessions_log.models import SitePlace
from tests.sessions_log.factories import make_place, make_site, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("december_2025")]


def test_a_new_site_starts_its_history_at_its_place():
    place = make_place(name="BMX track")

    site = make_site(place, name="BMX / Stadium", since=date(2025, 3, 1))

    assert list(site.place_history.values_list("place__name", "since", "until")) == [
        ("BMX track", date(2025, 3, 1), None)
    ]


def test_moving_a_site_closes_the_old_stretch_and_opens_a_new_one():
    user = make_staff()
    old = make_place(name="Rue des Verrotières")
    site = make_site(old, since=date(2025, 3, 1))
    new = make_place(old.area, name="Old hospital")

    services.move_site(site=site, new_place=new, user=user, on=date(2025, 11, 4), note="eviction")

    history = list(SitePlace.objects.filter(site=site).order_by("since"))
    assert [(row.place, row.since, row.until) for row in history] == [
        (old, date(2025, 3, 1), date(2025, 11, 4)),
        (new, date(2025, 11, 4), None),
    ]
    assert history[1].recorded_by == user
    assert history[1].note == "eviction"
    site.refresh_from_db()
    assert site.place == new


def test_moving_a_site_marks_the_guide_place_as_moved_to_the_new_one():
    old = make_place(name="Rue des Verrotières")
    site = make_site(old)
    new = make_place(old.area, name="Old hospital")

    services.move_site(site=site, new_place=new, user=None, on=date(2025, 11, 4))

    old.refresh_from_db()
    assert old.status == Place.Status.MOVED
    assert old.moved_to == new
    old.full_clean()  # the guide's own rules accept it


def test_moving_a_site_refreshes_the_public_guide():
    old = make_place(name="Rue des Verrotières")
    site = make_site(old)
    new = make_place(old.area, name="Old hospital")
    Area.objects.update(content_changed_at=datetime(2020, 1, 1, tzinfo=UTC))

    services.move_site(site=site, new_place=new, user=None, on=date(2025, 11, 4))

    assert Area.objects.get(pk=old.area_id).content_changed_at.year == 2025


def test_a_place_another_site_still_uses_is_not_marked_moved():
    shared = make_place(name="Car park")
    leaving = make_site(shared)
    make_site(shared)
    new = make_place(shared.area, name="Field")

    services.move_site(site=leaving, new_place=new, user=None, on=date(2025, 11, 4))

    shared.refresh_from_db()
    assert shared.status == Place.Status.IN_USE


def test_the_place_on_a_day_comes_from_the_history():
    old = make_place(name="A")
    site = make_site(old, since=date(2025, 3, 1))
    new = make_place(old.area, name="B")
    services.move_site(site=site, new_place=new, user=None, on=date(2025, 11, 4))

    assert site.place_on(date(2025, 2, 28)) is None
    assert site.place_on(date(2025, 11, 3)) == old
    assert site.place_on(date(2025, 11, 4)) == new


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("same place", "already at"),
        ("gone place", "moved or gone"),
        ("before the current stretch", "a move comes after that"),
        ("in the future", "not before"),
    ],
)
def test_a_move_that_makes_no_sense_is_refused_and_changes_nothing(case, message):
    old = make_place(name="A")
    site = make_site(old, since=date(2025, 3, 1))
    new = make_place(old.area, name="B")
    on = date(2025, 11, 4)
    if case == "same place":
        new = old
    elif case == "gone place":
        new.status = Place.Status.GONE
        new.save()
    elif case == "before the current stretch":
        on = date(2025, 3, 1)
    elif case == "in the future":
        on = date(2025, 12, 11)

    with pytest.raises(ValidationError) as refused:
        services.move_site(site=site, new_place=new, user=None, on=on)

    assert message in " ".join(refused.value.messages)
    old.refresh_from_db()
    assert old.status == Place.Status.IN_USE
    assert SitePlace.objects.filter(site=site).count() == 1

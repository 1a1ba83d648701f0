"""Stock is a ledger: the level is the sum of movements, safe when volunteers record at once."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from phones import services
from phones.models import StockItem, StockMovement
from tests.factories import make_place, make_user
from tests.phones.factories import make_partner, make_stock_item

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@pytest.fixture
def volunteer():
    return make_user("volunteer_s")


def test_the_level_is_the_sum_of_every_kind_of_movement(volunteer):
    item = make_stock_item()
    services.receive_stock(item=item, quantity=50, user=volunteer)
    services.record_handout(
        session_ref="calais-mon", item=item, quantity=12, user=volunteer, tap_id=uuid.uuid4()
    )
    services.give_to_partner(item=item, quantity=10, partner=make_partner(), user=volunteer)
    services.correct_stock(item=item, change=-3, reason="Counted 25 in the box", user=volunteer)

    assert item.level() == 25
    assert StockItem.objects.with_level().get(pk=item.pk).level == 25
    assert list(item.movements.order_by("pk").values_list("quantity", flat=True)) == [
        50,
        -12,
        -10,
        -3,
    ]


def test_a_handout_cannot_take_the_level_below_zero(volunteer):
    item = make_stock_item(name="SIM card, Lyca 1 GB", kind="sim", network="Lyca")
    services.receive_stock(item=item, quantity=2, user=volunteer)

    with pytest.raises(ValidationError) as refused:
        services.record_handout(
            session_ref="s", item=item, quantity=3, user=volunteer, tap_id=uuid.uuid4()
        )

    assert refused.value.code == "insufficient_stock"
    assert "Only 2 SIM card, Lyca 1 GB left" in refused.value.messages[0]
    assert item.level() == 2


def test_a_correction_needs_a_reason_and_a_change(volunteer):
    item = make_stock_item()
    with pytest.raises(ValidationError):
        services.correct_stock(item=item, change=4, reason="  ", user=volunteer)
    with pytest.raises(ValidationError):
        services.correct_stock(item=item, change=0, reason="Recount", user=volunteer)

    services.correct_stock(item=item, change=4, reason="Box found in the van", user=volunteer)

    assert item.level() == 4


@pytest.mark.parametrize("quantity", [0, -5])
def test_quantities_received_or_handed_out_are_above_zero(volunteer, quantity):
    item = make_stock_item()
    with pytest.raises(ValidationError):
        services.receive_stock(item=item, quantity=quantity, user=volunteer)
    with pytest.raises(ValidationError):
        services.record_handout(
            session_ref="s", item=item, quantity=quantity, user=volunteer, tap_id=uuid.uuid4()
        )
    assert not item.movements.exists()


def test_a_tap_sent_twice_by_the_van_is_counted_once(volunteer):
    item = make_stock_item()
    services.receive_stock(item=item, quantity=10, user=volunteer)
    tap = uuid.uuid4()

    first = services.record_handout(
        session_ref="s", item=item, quantity=1, user=volunteer, tap_id=tap
    )
    again = services.record_handout(
        session_ref="s", item=item, quantity=1, user=volunteer, tap_id=tap
    )

    assert again == first
    assert item.level() == 9


def test_the_database_refuses_movements_with_the_wrong_sign(volunteer):
    item = make_stock_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(item=item, kind="handed_out", quantity=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(item=item, kind="received", quantity=-5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(item=item, kind="correction", quantity=2, reason="")


def test_low_lists_items_at_or_under_their_threshold(volunteer):
    low = make_stock_item(name="Cable, USB-C 2 m", kind="cable", connector="usb_c")
    at_threshold = make_stock_item(low_stock_threshold=5)
    enough = make_stock_item(low_stock_threshold=5)
    services.receive_stock(item=low, quantity=2, user=volunteer)
    services.receive_stock(item=at_threshold, quantity=5, user=volunteer)
    services.receive_stock(item=enough, quantity=6, user=volunteer)

    listed = set(StockItem.objects.filter(pk__in=[low.pk, at_threshold.pk, enough.pk]).low())

    assert listed == {low, at_threshold}


def test_a_sim_says_its_network_and_only_a_cable_has_a_connector():
    sim = StockItem(name="SIM", kind=StockItem.Kind.SIM, connector="usb_c")
    with pytest.raises(ValidationError) as refused:
        sim.full_clean()
    assert set(refused.value.message_dict) == {"network", "connector"}


# --- Two volunteers at once (separate connections and transactions, PostgreSQL) -------------------


def _in_thread(work, results, index):
    try:
        results[index] = work()
    except Exception as error:  # what each thread met is the test's to inspect
        results[index] = error
    finally:
        connection.close()


def _run_together(works):
    results = [None] * len(works)
    threads = [
        threading.Thread(target=_in_thread, args=(work, results, index))
        for index, work in enumerate(works)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_volunteers_recording_at_the_same_moment_lose_no_movement():
    user = make_user("van_a")
    item = make_stock_item()
    services.receive_stock(item=item, quantity=100, user=user)
    start = threading.Barrier(4)

    def hand_out_ten():
        start.wait()
        for _ in range(10):
            services.record_handout(
                session_ref="s", item=item, quantity=1, user=user, tap_id=uuid.uuid4()
            )
        return "done"

    results = _run_together([hand_out_ten] * 4)

    assert results == ["done"] * 4
    assert item.movements.filter(kind="handed_out").count() == 40
    assert item.level() == 60


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_last_items_cannot_be_handed_out_twice_at_once():
    user = make_user("van_b")
    item = make_stock_item()
    services.receive_stock(item=item, quantity=5, user=user)
    start = threading.Barrier(8)

    def take_one():
        start.wait()
        return services.record_handout(
            session_ref="s", item=item, quantity=1, user=user, tap_id=uuid.uuid4()
        )

    results = _run_together([take_one] * 8)

    recorded = [r for r in results if isinstance(r, StockMovement)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(recorded), len(refused)) == (5, 3)
    assert item.level() == 0


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_second_handout_waits_for_the_first_and_sees_what_it_took():
    user = make_user("van_c")
    item = make_stock_item()
    services.receive_stock(item=item, quantity=5, user=user)
    first_recorded, commit_first = threading.Event(), threading.Event()

    def first():
        # The first volunteer's transaction records 3 and stays open until told to commit.
        with transaction.atomic():
            movement = services.record_handout(
                session_ref="s", item=item, quantity=3, user=user, tap_id=uuid.uuid4()
            )
            first_recorded.set()
            commit_first.wait(timeout=30)
        return movement

    def second():
        first_recorded.wait(timeout=30)
        return services.record_handout(
            session_ref="s", item=item, quantity=3, user=user, tap_id=uuid.uuid4()
        )

    results = [None, None]
    threads = [
        threading.Thread(target=_in_thread, args=(first, results, 0)),
        threading.Thread(target=_in_thread, args=(second, results, 1)),
    ]
    for thread in threads:
        thread.start()
    first_recorded.wait(timeout=30)
    threads[1].join(timeout=1)
    # Blocked on the item's row lock, not refused nor recorded against the old level.
    assert threads[1].is_alive()
    commit_first.set()
    for thread in threads:
        thread.join(timeout=30)

    assert isinstance(results[0], StockMovement)
    assert isinstance(results[1], ValidationError)
    assert item.level() == 2


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_tap_sent_twice_at_the_same_moment_is_counted_once():
    user = make_user("van_d")
    item = make_stock_item()
    services.receive_stock(item=item, quantity=5, user=user)
    tap, start = uuid.uuid4(), threading.Barrier(2)

    def send():
        start.wait()
        return services.record_handout(
            session_ref="s", item=item, quantity=1, user=user, tap_id=tap, site=None
        )

    results = _run_together([send, send])

    assert all(isinstance(r, StockMovement) for r in results), results
    assert results[0].pk == results[1].pk
    assert item.level() == 4


def test_a_handout_records_its_site_and_session(volunteer):
    site = make_place(name="BMX stadium")
    item = make_stock_item()
    services.receive_stock(item=item, quantity=3, user=volunteer)

    movement = services.record_handout(
        session_ref="2025-11-03 BMX", item=item, quantity=2, user=volunteer, tap_id=None, site=site
    )

    movement.refresh_from_db()
    assert (movement.site, movement.session_ref, movement.quantity) == (site, "2025-11-03 BMX", -2)
    assert movement.recorded_by == volunteer

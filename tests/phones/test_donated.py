"""Donated phones: tested before they are given, then to a partner or a person by code."""

import pytest
from django.core.exceptions import ValidationError

from phones import services
from phones.models import CODE_ALPHABET, DonatedPhone, Partner, imei_is_valid
from tests.factories import make_place, make_user
from tests.phones.factories import (
    ALL_CHECKS,
    make_donated_phone,
    make_partner,
    make_tested_phone,
    make_ticket,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer():
    return make_user("volunteer_d")


def test_a_phone_that_fails_one_check_stays_out_of_store(volunteer):
    phone = make_donated_phone()

    services.record_phone_test(phone=phone, user=volunteer, **(ALL_CHECKS | {"sim_slot_ok": False}))

    phone.refresh_from_db()
    assert phone.status == DonatedPhone.Status.RECEIVED
    assert [str(label) for label in phone.missing_checks()] == ["SIM slot reads a SIM"]
    assert phone.tested_by == volunteer


def test_an_untested_phone_cannot_be_given_out(volunteer):
    phone = make_donated_phone()

    with pytest.raises(ValidationError):
        services.allocate_phone(phone=phone, user=volunteer, partner=make_partner())
    with pytest.raises(ValidationError):
        services.allocate_phone(phone=phone, user=volunteer)


def test_a_phone_for_a_person_gets_a_handout_code_and_no_name(volunteer):
    broken = make_ticket(user=volunteer)
    phone = make_tested_phone(user=volunteer)

    services.allocate_phone(phone=phone, user=volunteer, replaces_ticket=broken)

    phone.refresh_from_db()
    assert phone.status == DonatedPhone.Status.ALLOCATED
    assert len(phone.handout_code) == 5
    assert set(phone.handout_code) <= set(CODE_ALPHABET)
    assert phone.handout_code != broken.code
    assert phone.replaces_ticket == broken
    assert phone.partner is None


def test_a_phone_handed_to_a_person_is_delivered_at_a_site(volunteer):
    site = make_place(name="Fort Nieulay")
    phone = make_tested_phone(user=volunteer)
    services.allocate_phone(phone=phone, user=volunteer)

    with pytest.raises(ValidationError):
        services.deliver_phone(phone=phone, user=volunteer)
    services.deliver_phone(phone=phone, user=volunteer, site=site)

    phone.refresh_from_db()
    assert (phone.status, phone.site, phone.delivered_by) == ("delivered", site, volunteer)


def test_each_partner_shows_the_phones_passed_to_it(volunteer):
    partner, other = make_partner(name="Utopia 56 (test)"), make_partner()
    for _ in range(2):
        phone = make_tested_phone(user=volunteer)
        services.allocate_phone(phone=phone, user=volunteer, partner=partner)
        services.deliver_phone(phone=phone, user=volunteer)
    services.allocate_phone(
        phone=make_tested_phone(user=volunteer), user=volunteer, partner=partner
    )

    counted = Partner.objects.with_phone_counts().get(pk=partner.pk)

    assert (counted.phones_allocated, counted.phones_delivered) == (3, 2)
    assert Partner.objects.with_phone_counts().get(pk=other.pk).phones_allocated == 0


def test_a_phone_given_out_cannot_be_recycled(volunteer):
    phone = make_tested_phone(user=volunteer)
    services.allocate_phone(phone=phone, user=volunteer, partner=make_partner())

    with pytest.raises(ValidationError):
        services.recycle_phone(phone=phone, user=volunteer)


def test_imei_is_checked_with_its_luhn_digit():
    assert imei_is_valid("490154203237518")
    assert not imei_is_valid("490154203237517")
    assert not imei_is_valid("49015420323751")
    with pytest.raises(ValidationError) as refused:
        DonatedPhone(make="Nokia", imei="490154203237517").full_clean()
    assert "imei" in refused.value.message_dict


def test_two_phones_cannot_share_an_imei_but_many_may_have_none():
    make_donated_phone(imei="490154203237518")
    make_donated_phone()
    make_donated_phone()

    with pytest.raises(ValidationError):
        DonatedPhone(make="Nokia", imei="490154203237518").full_clean()

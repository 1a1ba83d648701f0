"""Workflows on phones: each writes several rows in one transaction.

A ticket's status and its history change together; a battery order moves its requests and
their tickets; a stock movement is checked against the level with the item's row locked, so
two volunteers recording at once cannot both take the last SIM card.
"""

from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from phones.models import (
    CONTACT_KEEP_DAYS,
    DONOR_KEEP_MONTHS,
    BatteryOrder,
    BatteryRequest,
    DonatedPhone,
    Donor,
    RepairStatus,
    RepairTicket,
    StockItem,
    StockMovement,
    TicketEvent,
    TicketStatus,
    VanTap,
    new_code,
)
from sessions_log import services as session_services
from sessions_log.models import Session

# A clash is one in millions while there are thousands of tickets; ten in a row means a bug.
CODE_ATTEMPTS = 10


def _save(instance, *, user, **options):
    """Save `instance`, naming `user` in its audit history: commands and tests save outside
    any request, where nothing else says who."""
    instance._history_user = user
    instance.save(**options)
    return instance


# --- Repair tickets -----------------------------------------------------------------------------


def _save_with_fresh_code(instance, field, *, user):
    """Save a new row with a random code in `field`, drawing again if the code is taken."""
    model = type(instance)
    for _attempt in range(CODE_ATTEMPTS):
        code = new_code()
        # A handout code must not be read as a repair ticket's, nor the other way round.
        if (
            RepairTicket.objects.filter(code=code).exists()
            or DonatedPhone.objects.filter(handout_code=code).exists()
        ):
            continue
        setattr(instance, field, code)
        try:
            with transaction.atomic():
                _save(instance, user=user)
        except IntegrityError:
            # Someone else took the code between the check and the insert.
            if not model._default_manager.filter(**{field: code}).exists():
                raise
            continue
        return instance
    raise RuntimeError(f"No free code after {CODE_ATTEMPTS} attempts.")


def open_ticket(*, ticket, user):
    """Save a new ticket with a fresh code and record that the phone was received."""
    if ticket.pk is not None:
        raise ValueError("open_ticket() takes a ticket that is not saved yet.")
    with transaction.atomic():
        ticket.status = TicketStatus.RECEIVED
        ticket.created_by = user
        _save_with_fresh_code(ticket, "code", user=user)
        TicketEvent.objects.create(ticket=ticket, to_status=TicketStatus.RECEIVED, by=user)
    return ticket


def change_status(*, ticket, to, user, repair_status=None, barrier="", note="", now=None):
    """Move a ticket to status `to` if that move is allowed, recording who and when.

    Ready for collection needs the outcome (fixed, or repairable but not fixed here);
    unrepairable needs the barrier; not collected needs NOT_COLLECTED_AFTER_DAYS of waiting.
    Raises ValidationError otherwise. Updates `ticket` in place and returns it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = RepairTicket.objects.select_for_update().get(pk=ticket.pk)
        locked.check_transition(to, repair_status=repair_status, barrier=barrier, now=now)
        event = TicketEvent(
            ticket=locked, from_status=locked.status, to_status=to, at=now, by=user, note=note
        )
        locked.status = to
        if to == TicketStatus.READY:
            locked.repair_status, locked.repair_barrier = repair_status, ""
            locked.resolved_at = now
        elif to == TicketStatus.UNREPAIRABLE:
            locked.repair_status, locked.repair_barrier = RepairStatus.END_OF_LIFE, barrier
            locked.resolved_at = now
        elif to in (TicketStatus.COLLECTED, TicketStatus.NOT_COLLECTED):
            locked.closed_at = now
        _save(
            locked,
            user=user,
            update_fields=["status", "repair_status", "repair_barrier", "resolved_at", "closed_at"],
        )
        event.save()
    for name in ("status", "repair_status", "repair_barrier", "resolved_at", "closed_at"):
        setattr(ticket, name, getattr(locked, name))
    return ticket


def _follow(ticket, to, *, user, now, **outcome):
    """Move a ticket along with its battery when the move is allowed; leave it otherwise (a
    volunteer may already have moved it by hand)."""
    if to in ticket.allowed_next():
        change_status(ticket=ticket, to=to, user=user, now=now, **outcome)


# --- Battery orders -----------------------------------------------------------------------------


def request_battery(*, ticket, battery_model, user, phone_model=""):
    """Ask for a battery for a ticket's phone; it joins the list of batteries to order."""
    request = BatteryRequest(
        ticket=ticket,
        battery_model=battery_model,
        phone_model=phone_model or ticket.phone,
        requested_by=user,
    )
    return _save(request, user=user, force_insert=True)


def order_batteries(*, requests, supplier, price, reference, user, now=None):
    """Record that the batteries for these requests (one battery model) were ordered.

    The requests become ordered and their tickets wait for a part. Raises ValidationError if
    a request was already ordered (by someone else a moment ago, say) or the models differ.
    """
    now = now or timezone.now()
    pks = [request.pk for request in requests]
    with transaction.atomic():
        locked = list(
            BatteryRequest.objects.select_for_update(of=("self",))
            .filter(pk__in=pks)
            .select_related("ticket")
        )
        if not locked:
            raise ValidationError(_("Choose the battery requests to order."))
        taken = [r.ticket.code for r in locked if r.status != BatteryRequest.Status.REQUESTED]
        if taken:
            raise ValidationError(
                _("Already ordered or closed: %(codes)s.") % {"codes": ", ".join(taken)}
            )
        if len({r.battery_model_id for r in locked}) > 1:
            raise ValidationError(_("Order one battery model at a time."))
        order = BatteryOrder(
            battery_model_id=locked[0].battery_model_id,
            supplier=supplier,
            price=price,
            reference=reference,
            ordered_at=now,
            ordered_by=user,
        )
        _save(order, user=user, force_insert=True)
        for request in locked:
            request.status, request.order = BatteryRequest.Status.ORDERED, order
        bulk_update_with_history(locked, BatteryRequest, ["status", "order"], default_user=user)
        for request in locked:
            _follow(request.ticket, TicketStatus.WAITING_FOR_PART, user=user, now=now)
    return order


def batteries_arrived(*, order, user, now=None):
    """Record that an order arrived: its ordered requests become arrived."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = BatteryOrder.objects.select_for_update().get(pk=order.pk)
        if locked.arrived_at:
            raise ValidationError(_("This order is already marked as arrived."))
        locked.arrived_at = now
        _save(locked, user=user, update_fields=["arrived_at"])
        arrived = list(
            locked.requests.select_for_update().filter(status=BatteryRequest.Status.ORDERED)
        )
        for request in arrived:
            request.status = BatteryRequest.Status.ARRIVED
        bulk_update_with_history(arrived, BatteryRequest, ["status"], default_user=user)
    order.arrived_at = now
    return order


def _finish_battery(request, status, *, user, now):
    locked = BatteryRequest.objects.select_for_update(of=("self",)).select_related("ticket")
    locked = locked.get(pk=request.pk)
    if locked.status not in (BatteryRequest.Status.ORDERED, BatteryRequest.Status.ARRIVED):
        raise ValidationError(
            _("The battery for ticket %(code)s is “%(status)s”: it cannot be fitted now.")
            % {"code": locked.ticket.code, "status": locked.get_status_display()}
        )
    locked.status, locked.done_at, locked.done_by = status, now, user
    _save(locked, user=user, update_fields=["status", "done_at", "done_by"])
    request.status, request.done_at, request.done_by = status, now, user
    return locked.ticket


def battery_fitted(*, request, user, now=None):
    """The battery is in the phone: the ticket is ready for collection, fixed."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _finish_battery(request, BatteryRequest.Status.FITTED, user=user, now=now)
        _follow(ticket, TicketStatus.READY, user=user, now=now, repair_status=RepairStatus.FIXED)
    return request


def battery_handed_over(*, request, user, now=None):
    """The owner took the battery to fit themselves: the ticket is fixed and collected."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _finish_battery(request, BatteryRequest.Status.HANDED_OVER, user=user, now=now)
        _follow(ticket, TicketStatus.READY, user=user, now=now, repair_status=RepairStatus.FIXED)
        _follow(ticket, TicketStatus.COLLECTED, user=user, now=now)
    return request


def cancel_battery_request(*, request, user):
    with transaction.atomic():
        locked = BatteryRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status in (BatteryRequest.Status.FITTED, BatteryRequest.Status.HANDED_OVER):
            raise ValidationError(_("A battery already fitted or handed over stays recorded."))
        locked.status = BatteryRequest.Status.CANCELLED
        _save(locked, user=user, update_fields=["status"])
    request.status = locked.status
    return request


# --- Donated phones -------------------------------------------------------------------------------


def record_phone_test(
    *,
    phone,
    user,
    factory_reset,
    account_lock_removed,
    battery_ok,
    screen_ok,
    charging_ok,
    sim_slot_ok,
    battery_health=None,
    now=None,
):
    """Record the checklist; a phone that passes every check goes into store, ready to give."""
    checks = {
        "factory_reset": factory_reset,
        "account_lock_removed": account_lock_removed,
        "battery_ok": battery_ok,
        "screen_ok": screen_ok,
        "charging_ok": charging_ok,
        "sim_slot_ok": sim_slot_ok,
    }
    with transaction.atomic():
        locked = DonatedPhone.objects.select_for_update().get(pk=phone.pk)
        if locked.status not in (DonatedPhone.Status.RECEIVED, DonatedPhone.Status.STORED):
            raise ValidationError(_("Only a phone not yet given out can be tested."))
        for name, value in checks.items():
            setattr(locked, name, bool(value))
        locked.battery_health = battery_health
        locked.tested_at, locked.tested_by = now or timezone.now(), user
        passed = locked.passed_test
        locked.status = DonatedPhone.Status.STORED if passed else DonatedPhone.Status.RECEIVED
        _save(locked, user=user)
    _copy(locked, phone)
    return phone


def allocate_phone(*, phone, user, partner=None, replaces_ticket=None, now=None):
    """Allocate a tested phone to a partner, or to a person by a new handout code.

    A person is never named: they get the code on a slip (and may be the owner of a phone
    that could not be repaired, `replaces_ticket`).
    """
    with transaction.atomic():
        locked = DonatedPhone.objects.select_for_update().get(pk=phone.pk)
        if locked.status != DonatedPhone.Status.STORED or not locked.passed_test:
            raise ValidationError(
                _("%(phone)s has not passed its test, or is not in store.") % {"phone": locked}
            )
        locked.status = DonatedPhone.Status.ALLOCATED
        locked.allocated_at, locked.allocated_by = now or timezone.now(), user
        locked.partner = partner
        locked.replaces_ticket = None if partner else replaces_ticket
        if partner:
            _save(locked, user=user)
        else:
            _save_with_fresh_code(locked, "handout_code", user=user)
    _copy(locked, phone)
    return phone


def deliver_phone(*, phone, user, site=None, now=None):
    """The phone reached the partner, or the person (at a session at `site`)."""
    with transaction.atomic():
        locked = DonatedPhone.objects.select_for_update().get(pk=phone.pk)
        if locked.status != DonatedPhone.Status.ALLOCATED:
            raise ValidationError(_("%(phone)s is not allocated.") % {"phone": locked})
        if locked.partner_id is None and site is None:
            raise ValidationError(_("Say at which site the phone was handed out."))
        locked.status = DonatedPhone.Status.DELIVERED
        locked.delivered_at, locked.delivered_by = now or timezone.now(), user
        locked.site = None if locked.partner_id else site
        _save(locked, user=user)
    _copy(locked, phone)
    return phone


def recycle_phone(*, phone, user, now=None):
    with transaction.atomic():
        locked = DonatedPhone.objects.select_for_update().get(pk=phone.pk)
        if locked.status not in (DonatedPhone.Status.RECEIVED, DonatedPhone.Status.STORED):
            raise ValidationError(_("Only a phone in store can be recycled."))
        locked.status, locked.recycled_at = DonatedPhone.Status.RECYCLED, now or timezone.now()
        _save(locked, user=user)
    _copy(locked, phone)
    return phone


def _copy(source, target):
    if source is not target:
        for field in source._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))


# --- Stock --------------------------------------------------------------------------------------


def _positive(quantity):
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError(_("The quantity must be a whole number above zero."))
    return quantity


def _record(*, item, kind, quantity, user, now=None, **fields):
    """Add one movement with the item's row locked, refusing to take the level below zero.

    The lock serialises every movement of one item: two volunteers handing out the last SIM
    at once are recorded one after the other, and the second is refused.
    """
    with transaction.atomic():
        locked = StockItem.objects.select_for_update().get(pk=item.pk)
        tap_id = fields.get("tap_id")
        if tap_id is not None:
            sent_before = StockMovement.objects.filter(tap_id=tap_id).first()
            if sent_before is not None:
                return sent_before
        if quantity < 0:
            level = locked.level()
            if level + quantity < 0:
                raise ValidationError(
                    ngettext(
                        "Only %(level)d %(item)s left: record what was received, or a "
                        "correction, first.",
                        "Only %(level)d %(item)s left: record what was received, or a "
                        "correction, first.",
                        level,
                    )
                    % {"level": level, "item": locked},
                    code="insufficient_stock",
                )
        movement = StockMovement(
            item=locked,
            kind=kind,
            quantity=quantity,
            recorded_by=user,
            recorded_at=now or timezone.now(),
            **fields,
        )
        return _save(movement, user=user, force_insert=True)


def receive_stock(*, item, quantity, user, reason="", now=None):
    return _record(
        item=item,
        kind=StockMovement.Kind.RECEIVED,
        quantity=_positive(quantity),
        user=user,
        reason=reason,
        now=now,
    )


def record_handout(*, session_ref, item, quantity, user, tap_id, site=None, now=None):
    """Record items handed out at a session. A tap sent again (the van retrying after a lost
    connection) returns the movement first recorded for it instead of counting twice."""
    return _record(
        item=item,
        kind=StockMovement.Kind.HANDED_OUT,
        quantity=-_positive(quantity),
        user=user,
        session_ref=session_ref,
        tap_id=tap_id,
        site=site,
        now=now,
    )


def give_to_partner(*, item, quantity, partner, user, now=None):
    return _record(
        item=item,
        kind=StockMovement.Kind.TO_PARTNER,
        quantity=-_positive(quantity),
        partner=partner,
        user=user,
        now=now,
    )


def correct_stock(*, item, change, reason, user, now=None):
    """Set the record straight after a count: `change` is what to add (negative to remove)."""
    if not isinstance(change, int) or change == 0:
        raise ValidationError(_("A correction changes the level by at least one."))
    if not (reason or "").strip():
        raise ValidationError(_("Say why the level is corrected."))
    return _record(
        item=item,
        kind=StockMovement.Kind.CORRECTION,
        quantity=change,
        reason=reason.strip(),
        user=user,
        now=now,
    )


# --- At the van: phones charged, and the end-of-session form ---------------------------------


def _sent_before(tap_id, kind):
    """The row first recorded for this id, or None; an id already used for another kind of
    message is refused (the van makes a new id for each tap and each form)."""
    tap = VanTap.objects.filter(tap_id=tap_id).select_related("session").first()
    if tap is not None and tap.kind != kind:
        raise ValidationError(_("This id was already used for something else."), code="id_taken")
    return tap


def _count_charges_into(session, *, user):
    """Keep a held session's phones charged at least the number of charges tapped for it.

    The figure stays the volunteer's estimate when that is higher: taps are missed in a rush,
    never made up. The session's row is locked, so two taps landing at once both count.
    """
    locked = Session.objects.select_for_update().get(pk=session.pk)
    counted = VanTap.objects.charges().filter(session=locked).count()
    if locked.status == Session.Status.HELD and (locked.phones_charged or 0) < counted:
        locked.phones_charged = counted
        _save(locked, user=user, update_fields=["phones_charged", "updated_at"])
    session.phones_charged = locked.phones_charged
    return counted


def record_charge(*, site, day, session_ref, user, tap_id, session=None, now=None):
    """One phone charged at the van's stop `session_ref` (a session, or a site on the van's
    `day`). A tap sent again (the van retrying after a lost connection) returns the row first
    recorded for it instead of counting twice.

    A tap at a site's stop joins the site's held session of that day when there is exactly
    one (a queued tap arriving after the end-of-session form); otherwise it waits for the
    form, which takes it in. Either way the session's phones charged is kept at least its
    count of charges.
    """
    sent_before = _sent_before(tap_id, VanTap.Kind.CHARGE)
    if sent_before is not None:
        return sent_before
    if session is None:
        held = list(Session.objects.filter(site=site, date=day, status=Session.Status.HELD)[:2])
        session = held[0] if len(held) == 1 else None
    tap = VanTap(
        tap_id=tap_id,
        kind=VanTap.Kind.CHARGE,
        site=site,
        day=day,
        session_ref=session_ref,
        session=session,
        recorded_by=user,
        recorded_at=now or timezone.now(),
    )
    try:
        with transaction.atomic():
            tap.save(force_insert=True)
            if session is not None:
                _count_charges_into(session, user=user)
    except IntegrityError:
        # The same tap, sent twice at once: the other request recorded it a moment ago.
        sent_before = _sent_before(tap_id, VanTap.Kind.CHARGE)
        if sent_before is None:
            raise
        return sent_before
    return tap


def record_session_entry(*, session, submission_id, user):
    """Record a session from its end-of-session form (or, for those who may edit sessions,
    correct it), once per submission id: the form sent again (the van's queue retrying after
    a lost answer, a double tap) returns the session first recorded for it and changes
    nothing. The caller checks the id with session_entry_sent() before validating the form,
    whose duplicate check would otherwise refuse the copy.

    The charges tapped at the site's stop that day join the session, and its phones charged
    is kept at least their count. Raises ValidationError as
    sessions_log.services.record_session does. Returns (session, replayed).
    """
    sent_before = _sent_before(submission_id, VanTap.Kind.SESSION_ENTRY)
    if sent_before is not None:
        return sent_before.session, True
    try:
        with transaction.atomic():
            # The id is claimed first: a copy of this form sent at the same moment waits here
            # for this transaction, then finds the id taken.
            tap = VanTap(
                tap_id=submission_id,
                kind=VanTap.Kind.SESSION_ENTRY,
                site=session.site,
                day=session.date,
                recorded_by=user,
            )
            tap.save(force_insert=True)
            session = session_services.record_session(session=session, user=user)
            tap.session = session
            tap.save(update_fields=["session"])
            VanTap.objects.charges().filter(
                site=session.site, day=session.date, session__isnull=True
            ).update(session=session)
            _count_charges_into(session, user=user)
    except IntegrityError:
        sent_before = _sent_before(submission_id, VanTap.Kind.SESSION_ENTRY)
        if sent_before is not None:
            return sent_before.session, True
        # Two different forms for one new session at the same moment: the other one won.
        raise ValidationError(
            _("This session is already recorded: find it in the list to change it."),
            code="unique",
        ) from None
    return session, False


def session_entry_sent(submission_id):
    """The session an end-of-session form with this id recorded, as (True, session), or
    (False, None) when the id is new."""
    sent_before = _sent_before(submission_id, VanTap.Kind.SESSION_ENTRY)
    return (True, sent_before.session) if sent_before else (False, None)


# --- Erasure ------------------------------------------------------------------------------------


@dataclass
class Erased:
    tickets: int
    donors: int


def erase_expired_personal_data(
    *, now=None, contact_days=CONTACT_KEEP_DAYS, donor_months=DONOR_KEEP_MONTHS, dry_run=False
):
    """Erase owners' names and numbers `contact_days` after their phone was collected (or
    marked not collected), and donors' names and emails `donor_months` after their last
    donation. Status-change notes and the admin's log of those rows go too; the audit
    history never held them (HistoricalRecords excludes them). Tickets, donors and every count
    stay. With dry_run, only count.
    """
    now = now or timezone.now()
    if contact_days < 0 or donor_months < 0:
        raise ValueError("Retention periods cannot be negative.")
    tickets = RepairTicket.objects.contacts_to_erase(now=now, days=contact_days)
    donors = Donor.objects.to_erase(today=timezone.localdate(now), months=donor_months)
    ticket_ids = list(tickets.values_list("pk", flat=True))
    donor_ids = list(donors.values_list("pk", flat=True))
    if not dry_run:
        with transaction.atomic():
            RepairTicket.objects.filter(pk__in=ticket_ids).update(
                owner_name="", owner_contact="", contact_erased_at=now
            )
            TicketEvent.objects.filter(ticket__in=ticket_ids).exclude(note="").update(note="")
            Donor.objects.filter(pk__in=donor_ids).update(name="", email="", erased_at=now)
            _purge_admin_history(RepairTicket, ticket_ids)
            _purge_admin_history(Donor, donor_ids)
    return Erased(tickets=len(ticket_ids), donors=len(donor_ids))


def _purge_admin_history(model, pks):
    if pks:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        ).delete()

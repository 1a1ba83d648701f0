"""What each staff role may do with phones, for infobus/roles.py to merge into its table.

Volunteers take phones in for repair, run the battery list, donated phones and stock
movements, and may read the lists; they type an owner's name and number in at intake but
see them masked afterwards. The phone team does the same work and also reads owners' and
donors' contact details in full (phones.view_owner_contact), to say a phone is ready.
Coordinators also keep the lists (fault types, battery models, partners, stock items) and
may delete. Nobody edits or deletes a stock movement, whatever the permission says: the
admin refuses, because the level is their sum.
"""

PHONE_WORK = ["repairticket", "batteryrequest", "batteryorder", "donatedphone", "donor"]
PHONE_LISTS = ["faulttype", "batterymodel", "partner", "stockitem"]

_WORK = [
    *(f"phones.{action}_{model}" for model in PHONE_WORK for action in ("add", "change", "view")),
    "phones.view_ticketevent",
    "phones.add_stockmovement",
    "phones.view_stockmovement",
    *(f"phones.view_{model}" for model in PHONE_LISTS),
]

PHONES_ROLES = {
    "volunteer": _WORK,
    "phone_team": [*_WORK, "phones.view_owner_contact"],
    "coordinator": ["phones.*"],
}

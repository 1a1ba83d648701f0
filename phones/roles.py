"""What each staff role may do with phones, for infobus/roles.py to merge into its table.

Volunteers run the repair desk, the battery list, donated phones and stock movements, and
may read the lists; coordinators also keep the lists (fault types, battery models, partners,
stock items) and may delete. Nobody edits or deletes a stock movement, whatever the
permission says: the admin refuses, because the level is their sum.
"""

PHONE_WORK = ["repairticket", "batteryrequest", "batteryorder", "donatedphone", "donor"]
PHONE_LISTS = ["faulttype", "batterymodel", "partner", "stockitem"]

PHONES_ROLES = {
    "volunteer": [
        *(
            f"phones.{action}_{model}"
            for model in PHONE_WORK
            for action in ("add", "change", "view")
        ),
        "phones.view_ticketevent",
        "phones.add_stockmovement",
        "phones.view_stockmovement",
        *(f"phones.view_{model}" for model in PHONE_LISTS),
    ],
    "coordinator": ["phones.*"],
}

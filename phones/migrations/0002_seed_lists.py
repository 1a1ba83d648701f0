"""The lists coordinators keep, as the work started: fault types modelled on the Open Repair
Alliance's MobiFix fault types, the stock the van carries, and the partners of November 2020.
Coordinators edit them in the back office; this runs once."""

from django.db import migrations

# (name shown to volunteers, MobiFix fault type it is exported as)
FAULT_TYPES = [
    ("Battery or power", "Power/battery"),
    ("Screen", "Screen"),
    ("Charging port", "USB/charging port"),
    ("Stuck booting", "Stuck booting"),
    ("Liquid damage", "Liquid damage"),
    ("Software", "Software issue"),
    ("Locked out (PIN, account)", "Access issue"),
    ("SIM card slot", "Sim card slot"),
    ("Speaker", "Speaker/amplifier"),
    ("Microphone", "Microphone"),
    ("Camera", "Camera"),
    ("Buttons", "Other buttons"),
    ("Headphone jack", "Headphone jack"),
    ("Broken case or frame", "External damage"),
    ("Other", "Other"),
    ("Not known yet", "Unknown"),
]

# (name, kind, network, connector)
STOCK_ITEMS = [
    ("SIM card, Lyca", "sim", "Lyca", ""),
    ("SIM card, Three", "sim", "Three", ""),
    ("Cable, USB-C", "cable", "", "usb_c"),
    ("Cable, micro-USB", "cable", "", "micro_usb"),
    ("Cable, Lightning", "cable", "", "lightning"),
    ("Plug head", "plug", "", ""),
    ("Power bank", "power_bank", "", ""),
]

PARTNERS = ["Refugee Women's Centre", "Refugee Youth Service", "Utopia 56"]


def seed(apps, schema_editor):
    FaultType = apps.get_model("phones", "FaultType")
    StockItem = apps.get_model("phones", "StockItem")
    Partner = apps.get_model("phones", "Partner")
    for order, (name, mobifix) in enumerate(FAULT_TYPES):
        FaultType.objects.get_or_create(
            name=name, defaults={"mobifix_fault": mobifix, "order": order}
        )
    for order, (name, kind, network, connector) in enumerate(STOCK_ITEMS):
        StockItem.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "network": network, "connector": connector, "order": order},
        )
    for name in PARTNERS:
        Partner.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("phones", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

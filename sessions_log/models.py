"""Sessions at the bus sites and the monthly report: see issue "Sessions log"."""

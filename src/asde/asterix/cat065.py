"""CAT 065, SDPS service status messages, edition 1.3 (heartbeats of the picture service)."""

from asde.asterix.codec import register
from asde.asterix.spec import Category, Explicit, Fixed

CAT065 = register(
    Category(
        number=65,
        edition="1.3",
        uap=(
            "010",
            "000",
            "015",
            "030",
            "020",
            "040",
            "050",
            None,
            None,
            None,
            None,
            None,
            "RE",
            "SP",
        ),
        items={
            "000": Fixed("Typ:8"),
            "010": Fixed("SAC:8 SIC:8"),
            "015": Fixed("SID:8"),
            "020": Fixed("BTN:8"),
            "030": Fixed("ToD:24*0.0078125"),
            "040": Fixed("NOGO:2 OVL:1 TSV:1 PSS:2 -:2"),
            "050": Fixed("REPORT:8"),
            "RE": Explicit(),
            "SP": Explicit(),
        },
    )
)

"""CAT 034, monoradar service messages, edition 1.27 (north marker, sector crossing, status)."""

from asde.asterix.codec import register
from asde.asterix.spec import Category, Compound, Explicit, Fixed, Repetitive

# fmt: off
UAP_034 = (
    "010", "000", "030", "020", "041", "050", "060",
    "070", "100", "110", "120", "090", "RE", "SP",
)
# fmt: on

CAT034 = register(
    Category(
        number=34,
        edition="1.27",
        uap=UAP_034,
        items={
            "000": Fixed("MsgTyp:8"),
            "010": Fixed("SAC:8 SIC:8"),
            "020": Fixed("Azi:8*1.40625"),
            "030": Fixed("ToD:24*0.0078125"),
            "041": Fixed("RotS:16*0.0078125"),
            "050": Compound(
                [
                    ("COM", Fixed("NOGO:1 RDPC:1 RDPR:1 OVLRDP:1 OVLXMT:1 MSC:1 TSV:1 -:1")),
                    None,
                    None,
                    ("PSR", Fixed("PSRANT:1 PSRCHAB:2 PSROVL:1 PSRMSC:1 -:3")),
                    ("SSR", Fixed("SSRANT:1 SSRCHAB:2 SSROVL:1 SSRMSC:1 -:3")),
                    (
                        "MDS",
                        Fixed(
                            "MDSANT:1 MDSCHAB:2 MDSOVLSUR:1 MDSMSC:1 MDSSCF:1 MDSDLF:1 "
                            "MDSOVLSCF:1 MDSOVLDLF:1 -:7"
                        ),
                    ),
                ]
            ),
            "060": Compound(
                [
                    ("COM", Fixed("-:1 REDRDP:3 REDXMT:3 -:1")),
                    None,
                    None,
                    ("PSR", Fixed("POL:1 PSRREDRAD:3 STC:2 -:2")),
                    ("SSR", Fixed("SSRREDRAD:3 -:5")),
                    ("MDS", Fixed("MDSREDRAD:3 CLU:1 -:4")),
                ]
            ),
            "070": Repetitive(Fixed("TYP:5 counter:11")),
            "090": Fixed("RngErr:8:s*0.0078125 AziErr:8:s*0.02197265625"),
            "100": Fixed(
                "RhoS:16*0.00390625 RhoE:16*0.00390625 "
                "ThetaS:16*0.0054931640625 ThetaE:16*0.0054931640625"
            ),
            "110": Fixed("TYP:8"),
            "120": Fixed(f"Height:16 LAT:24:s*{180 / 2**23} Lon:24:s*{180 / 2**23}"),
            "RE": Explicit(),
            "SP": Explicit(),
        },
    )
)

"""CAT 048, monoradar target reports, edition 1.21."""

from asde.asterix.cat062 import ACAS_RA, MB_DATA
from asde.asterix.codec import register
from asde.asterix.spec import (
    Category,
    Compound,
    Explicit,
    Extended,
    Fixed,
    Repetitive,
    RepetitiveFX,
)

CONFIDENCE_12 = Fixed("-:4 QA4:1 QA2:1 QA1:1 QB4:1 QB2:1 QB1:1 QC4:1 QC2:1 QC1:1 QD4:1 QD2:1 QD1:1")

# fmt: off
UAP_048 = (
    "010", "140", "020", "040", "070", "090", "130",
    "220", "240", "250", "161", "042", "200", "170",
    "210", "030", "080", "100", "110", "120", "230",
    "260", "055", "050", "065", "060", "SP", "RE",
)
# fmt: on

CAT048 = register(
    Category(
        number=48,
        edition="1.21",
        uap=UAP_048,
        items={
            "010": Fixed("SAC:8 SIC:8"),
            "020": Extended("TYP:3 SIM:1 RDP:1 SPI:1 RAB:1", "TST:1 -:1 XPP:1 ME:1 MI:1 FOEFRI:2"),
            "030": RepetitiveFX("WE:7"),
            "040": Fixed("RHO:16*0.00390625 THETA:16*0.0054931640625"),
            "042": Fixed("X:16:s*0.0078125 Y:16:s*0.0078125"),
            "050": Fixed("V:1 G:1 L:1 -:1 Mode2:12:o"),
            "055": Fixed("V:1 G:1 L:1 Mode1:5"),
            "060": CONFIDENCE_12,
            "065": Fixed("-:3 QA4:1 QA2:1 QA1:1 QB2:1 QB1:1"),
            "070": Fixed("V:1 G:1 L:1 -:1 Mode3A:12:o"),
            "080": CONFIDENCE_12,
            "090": Fixed("V:1 G:1 FL:14:s*0.25"),
            "100": Fixed(
                "V:1 G:1 -:2 ModeC:12 -:4 QC1:1 QA1:1 QC2:1 QA2:1 QC4:1 QA4:1 "
                "QB1:1 QD1:1 QB2:1 QD2:1 QB4:1 QD4:1"
            ),
            "110": Fixed("-:2 3D_Height:14:s*25"),
            "120": Compound(
                [
                    ("CAL", Fixed("D:1 -:5 CAL:10:s")),
                    ("RDS", Repetitive(Fixed("DOP:16 AMB:16 FRQ:16"))),
                ]
            ),
            "130": Compound(
                [
                    ("SRLP", Fixed("SRL:8*0.0439453125")),
                    ("SRRP", Fixed("SRR:8")),
                    ("SAMP", Fixed("SAM:8:s")),
                    ("PRLP", Fixed("PRL:8*0.0439453125")),
                    ("PAMP", Fixed("PAM:8:s")),
                    ("RPDP", Fixed("RPD:8:s*0.00390625")),
                    ("APDP", Fixed("APD:8:s*0.02197265625")),
                ]
            ),
            "140": Fixed("ToD:24*0.0078125"),
            # The spec leaves bits 16-13 spare; Tn has 12 bits.
            "161": Fixed("-:4 Tn:12"),
            "170": Extended("CNF:1 RAD:2 DOU:1 MAH:1 CDM:2", "TRE:1 GHO:1 SUP:1 TCC:1 -:3"),
            "200": Fixed("CGS:16*0.2197265625 CHdg:16*0.0054931640625"),
            "210": Fixed(
                "SigmaX:8*0.0078125 SigmaY:8*0.0078125 SigmaV:8*0.2197265625 SigmaH:8*0.087890625"
            ),
            "220": Fixed("ACAddr:24:x"),
            "230": Fixed("COM:3 STAT:3 SI:1 -:1 ModeSSSC:1 ARC:1 AIC:1 BDS16:1 BDS37:4"),
            "240": Fixed("TId:48:c6"),
            "250": Repetitive(MB_DATA),
            "260": ACAS_RA,
            "RE": Explicit(),
            "SP": Explicit(),
        },
    )
)

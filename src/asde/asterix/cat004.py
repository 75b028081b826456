"""CAT 004, safety-net messages, edition 1.13: how ASDE shares alerts with a partner."""

from asde.asterix.codec import register
from asde.asterix.spec import (
    Category,
    Compound,
    Explicit,
    Extended,
    Fixed,
    Repetitive,
)

LATLON_WGS = 180 / 2**25
TIME = 1 / 128


def _aircraft(n: str, p: str) -> Compound:
    """I004/170 (n="1", p="") and I004/171 (n="2", p="P"): one aircraft of the conflict."""
    return Compound(
        [
            (f"AI{n}{p}", Fixed(f"AI{n}:56:a")),
            (f"M3{n}{p}", Fixed(f"-:4 M3{n}:12:o")),
            (
                f"CPW{p}",
                Fixed(f"Latitude:32:s*{LATLON_WGS} Longitude:32:s*{LATLON_WGS} Altitude:16:s*25"),
            ),
            (f"CP{'C' if n == '1' else 'L'}{p}", Fixed("X:24:s*0.5 Y:24:s*0.5 Z:16:s*25")),
            (f"TT{n}{p}", Fixed(f"TTA{n}:24:s*{TIME}")),
            (f"DT{n}{p}", Fixed(f"DTA{n}:16:s*0.5")),
            (
                f"AC{n}{p}",
                Extended("GATOAT:2 FR1FR2:2 RVSM:2 HPR:1", "CDM:2 PRI:1 GV:1 -:3"),
            ),
            (f"MS{n}{p}", Fixed(f"MS{n}:48:c6")),
            (f"FP{n}{p}", Fixed("-:5 NBR:27")),
            (f"CF{n}{p}", Fixed("CFL:16:s*0.25")),
        ]
    )


# fmt: off
UAP_004 = (
    "010", "000", "015", "020", "040", "045", "060",
    "030", "170", "120", "070", "076", "074", "075",
    "100", "035", "171", "110", None, "RE", "SP",
)
# fmt: on

CAT004 = register(
    Category(
        number=4,
        edition="1.13",
        uap=UAP_004,
        items={
            "000": Fixed("MessageType:8"),
            "010": Fixed("SAC:8 SIC:8"),
            "015": Repetitive(Fixed("SAC:8 SIC:8")),
            "020": Fixed(f"ToM:24*{TIME}"),
            "030": Fixed("TrkN:16"),
            "035": Fixed("TrkN:16"),
            "040": Fixed("AlrtI:16"),
            "045": Fixed("-:4 STAT:3 -:1"),
            "060": Extended(
                "MRVA:1 RAMLD:1 RAMHD:1 MSAW:1 APW:1 CLAM:1 STCA:1",
                "APM:1 RIMCA:1 ACASRA:1 NTCA:1 DG:1 OF:1 OL:1",
                "AIW:1 PAIW:1 OCAT:1 SAM:1 VCD:1 CHAM:1 DSAM:1",
                "DBPSMARR:1 DBPSMDEP:1 DBPSMTL:1 VRAMCRM:1 VRAMVTM:1 VRAMVRM:1 HAMHD:1",
                "HAMRD:1 HAMVD:1 HVI:1 LTW:1 VPM:1 TTA:1 CRA:1",
                "ASM:1 IAVM:1 FTD:1 ITD:1 IIA:1 SQW:1 CUW:1",
                "CATS:1 NOCLR:1 NOMOV:1 NOH:1 WRTY:1 STOCC:1 ONGOING:1",
            ),
            "070": Compound(
                [
                    ("TCP", Fixed(f"TC:24*{TIME}")),
                    ("TCAP", Fixed(f"TCA:24*{TIME}")),
                    ("CHSP", Fixed("CHS:24*0.5")),
                    ("MHSP", Fixed("MHS:16*0.5")),
                    ("CVSP", Fixed("CVS:16*25")),
                    ("MVSP", Fixed("MVS:16*25")),
                ]
            ),
            "074": Fixed("LD:16:s*32"),
            "075": Fixed("TDD:24:s*0.5"),
            "076": Fixed("VD:16:s*25"),
            "100": Compound(
                [
                    ("ANP", Fixed("AN:48:c6")),
                    ("CANP", Fixed("CAN:56:a")),
                    ("RT1P", Fixed("RT1:56:a")),
                    ("RT2P", Fixed("RT2:56:a")),
                    ("SBP", Fixed("SB:56:a")),
                    ("GP", Fixed("G:56:a")),
                ]
            ),
            "110": Repetitive(Fixed("Centre:8 Position:8")),
            "120": Compound(
                [
                    (
                        "CNP",
                        Extended(
                            "MAS:1 CAS:1 FLD:1 FVD:1 Type:1 Cross:1 Div:1",
                            "RRC:1 RTC:1 MRVA:1 VRAMCRM:1 VRAMVRM:1 VRAMVTM:1 HAMHD:1",
                            "HAMRD:1 HAMVD:1 DBPSMARR:1 DBPSMDEP:1 DBPSMTL:1 AIW:1 -:1",
                        ),
                    ),
                    ("CCP", Fixed("TableId:4 CPC:3 CS:1")),
                    ("CPP", Fixed("CP:8*0.5")),
                    # The specification gives the duration in 1/128 s.
                    ("CDP", Fixed(f"CD:24*{TIME}")),
                ]
            ),
            "170": _aircraft("1", ""),
            "171": _aircraft("2", "P"),
            "RE": Explicit(),
            "SP": Explicit(),
        },
    )
)

"""CAT 062, SDPS system track data, edition 1.18: every item of the UAP."""

from collections.abc import Sequence

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

LATLON_WGS = 180 / 2**25  # I062/105
LATLON_24 = 180 / 2**23
AGE = 0.25
HEADING = 360 / 2**16

MB_DATA = Fixed("MBDATA:56:x BDS1:4 BDS2:4")
ACAS_RA = Fixed(
    "BDS30:8:x ARA41:1 ARA42:1 ARA43:1 ARA44:1 ARA45:1 ARA46:1 ARA47:1 ACAS3:7 "
    "RAC55:1 RAC56:1 RAC57:1 RAC58:1 RAT:1 MTE:1 TTI:2 TID:26"
)


def _ages(names: Sequence[str | None], wide: tuple[str, ...] = ()) -> Compound:
    """A compound of ages in quarter seconds (one octet each, two for the names in `wide`)."""
    return Compound(
        [None if n is None else (n, Fixed(f"{n}:{16 if n in wide else 8}*{AGE}")) for n in names]
    )


# fmt: off
AGES_295 = [
    "MFL", "MD1", "MD2", "MDA", "MD4", "MD5", "MHG",
    "IAS", "TAS", "SAL", "FSS", "TID", "COM", "SAB",
    "ACS", "BVR", "GVR", "RAN", "TAR", "TAN", "GSP",
    "VUN", "MET", "EMC", "POS", "GAL", "PUN", "MB",
    "IAR", "MAC", "BPS",
]
# fmt: on

I380 = Compound(
    [
        ("ADR", Fixed("ADR:24:x")),
        ("ID", Fixed("ACID:48:c6")),
        ("MHG", Fixed(f"MAH:16*{HEADING}")),
        ("IAS", Fixed("IM:1 AS:15")),
        ("TAS", Fixed("TAS:16")),
        ("SAL", Fixed("SAS:1 SRC:2 Alt:13:s*25")),
        ("FSS", Fixed("MV:1 AH:1 AM:1 Alt:13:s*25")),
        ("TIS", Extended("NAV:1 NVB:1 -:5")),
        (
            "TID",
            Repetitive(
                Fixed(
                    "TCA:1 NC:1 TCPnum:6 Alt:16:s*10 "
                    f"Lat:24:s*{LATLON_24} Lon:24:s*{LATLON_24} "
                    "PT:4 TD:2 TRA:1 TOA:1 TOV:24 TTR:16*0.01"
                )
            ),
        ),
        ("COM", Fixed("COM:3 STAT:3 -:2 SSC:1 ARC:1 AIC:1 B1A:1 B1B:4")),
        ("SAB", Fixed("AC:2 MN:2 DC:2 GBS:1 -:6 STAT:3")),
        ("ACS", ACAS_RA),
        ("BVR", Fixed("BVR:16:s*6.25")),
        ("GVR", Fixed("GVR:16:s*6.25")),
        ("RAN", Fixed("RAN:16:s*0.01")),
        ("TAR", Fixed("TI:2 -:6 RoT:7:s*0.25 -:1")),
        ("TAN", Fixed(f"TAN:16*{HEADING}")),
        ("GSP", Fixed(f"GS:16:s*{2**-14}")),
        ("VUN", Fixed("VUN:8")),
        ("MET", Fixed("WS:1 WD:1 TMP:1 TRB:1 -:4 WS_D:16 WD_D:16 TMP_D:16:s*0.25 TRB_D:8")),
        ("EMC", Fixed("ECAT:8")),
        ("POS", Fixed(f"Lat:24:s*{LATLON_24} Lon:24:s*{LATLON_24}")),
        ("GAL", Fixed("GAL:16:s*6.25")),
        ("PUN", Fixed("-:4 PUN:4")),
        ("MB", Repetitive(MB_DATA)),
        ("IAR", Fixed("IAS:16")),
        ("MAC", Fixed("MNO:16*0.008")),
        ("BPS", Fixed("-:4 BPS:12*0.1")),
    ]
)

I390 = Compound(
    [
        ("TAG", Fixed("SAC:8 SIC:8")),
        ("CSN", Fixed("CS:56:a")),
        ("IFI", Fixed("TYP:2 -:3 NBR:27")),
        ("FCT", Fixed("GATOAT:2 FR1FR2:2 RVSM:2 HPR:1 -:1")),
        ("TAC", Fixed("TYPE:32:a")),
        ("WTC", Fixed("WTC:8:a")),
        ("DEP", Fixed("DEP:32:a")),
        ("DST", Fixed("DES:32:a")),
        ("RDS", Fixed("NU1:8:a NU2:8:a LTR:8:a")),
        ("CFL", Fixed("CFL:16*0.25")),
        ("CTL", Fixed("Centre:8 Position:8")),
        ("TOD", Repetitive(Fixed("TYP:5 DAY:2 -:4 HOR:5 -:2 MIN:6 AVS:1 -:1 SEC:6"))),
        ("AST", Fixed("AS:48:a")),
        ("STS", Fixed("EMP:2 AVL:2 -:4")),
        ("STD", Fixed("SID:56:a")),
        ("STA", Fixed("STAR:56:a")),
        ("PEM", Fixed("-:3 VAL:1 PEM:12:o")),
        ("PEC", Fixed("PAC:56:a")),
    ]
)

I500 = Compound(
    [
        ("APC", Fixed("APC_X:16*0.5 APC_Y:16*0.5")),
        ("COV", Fixed("COV_XY:16:s*0.5")),
        ("APW", Fixed(f"APW_Lat:16*{LATLON_WGS} APW_Long:16*{LATLON_WGS}")),
        ("AGA", Fixed("AGA_Acc:8*6.25")),
        ("ABA", Fixed("ABA_Acc:8*25")),
        ("ATV", Fixed("ATV_X:8*0.25 ATV_Y:8*0.25")),
        ("AA", Fixed("AA_X:8*0.25 AA_Y:8*0.25")),
        ("ARC", Fixed("ARC_Acc:8*6.25")),
    ]
)

I110 = Compound(
    [
        ("SUM", Fixed("M5:1 ID:1 DA:1 M1:1 M2:1 M3:1 MC:1 X:1")),
        ("PMN", Fixed("-:2 PIN:14 -:3 NAT:5 -:2 MIS:6")),
        ("POS", Fixed(f"Lat:24:s*{LATLON_24} Lon:24:s*{LATLON_24}")),
        ("GA", Fixed("-:1 RES:1 GA:14:s*25")),
        ("EM1", Fixed("-:4 EM1:12:o")),
        ("TOS", Fixed("TOS:8:s*0.0078125")),
        ("XP", Fixed("-:3 X5:1 XC:1 X3:1 X2:1 X1:1")),
    ]
)

# fmt: off
UAP_062 = (
    "010", None, "015", "070", "105", "100", "185",
    "210", "060", "245", "380", "040", "080", "290",
    "200", "295", "136", "130", "135", "220", "390",
    "270", "300", "110", "120", "510", "500", "340",
    None, None, None, None, None, "RE", "SP",
)
# fmt: on

CAT062 = register(
    Category(
        number=62,
        edition="1.18",
        uap=UAP_062,
        items={
            "010": Fixed("SAC:8 SIC:8"),
            "015": Fixed("SID:8"),
            "040": Fixed("TrkN:16"),
            "060": Fixed("V:1 G:1 CH:1 -:1 Mode3A:12:o"),
            "070": Fixed("ToT:24*0.0078125"),
            "080": Extended(
                "MON:1 SPI:1 MRH:1 SRC:3 CNF:1",
                "SIM:1 TSE:1 TSB:1 FPC:1 AFF:1 STP:1 KOS:1",
                "AMA:1 MD4:2 ME:1 MI:1 MD5:2",
                "CST:1 PSR:1 SSR:1 MDS:1 ADS:1 SUC:1 AAC:1",
                "SDS:2 EMS:3 PFT:1 FPLT:1",
                "DUPT:1 DUPF:1 DUPM:1 SFC:1 IDD:1 IEC:1 -:1",
            ),
            "100": Fixed("X:24:s*0.5 Y:24:s*0.5"),
            "105": Fixed(f"Lat:32:s*{LATLON_WGS} Lon:32:s*{LATLON_WGS}"),
            "110": I110,
            "120": Fixed("-:4 Mode2:12:o"),
            "130": Fixed("Alt:16:s*6.25"),
            "135": Fixed("QNH:1 CTBA:15:s*25"),
            "136": Fixed("MFL:16:s*25"),
            "185": Fixed("Vx:16:s*0.25 Vy:16:s*0.25"),
            "200": Fixed("TRANSA:2 LONGA:2 VERTA:2 ADF:1 -:1"),
            "210": Fixed("Ax:8:s*0.25 Ay:8:s*0.25"),
            "220": Fixed("RoC:16:s*6.25"),
            "245": Fixed("STI:2 -:6 TId:48:c6"),
            "270": Extended("Len:7", "ORI:7*2.8125", "WIDTH:7"),
            "290": _ages(
                ["TRK", "PSR", "SSR", "MDS", "ADS", "ES", "VDL", "UAT", "LOP", "MLT"],
                wide=("ADS",),
            ),
            "295": _ages(AGES_295),
            "300": Fixed("VFI:8"),
            "340": Compound(
                [
                    ("SID", Fixed("SAC:8 SIC:8")),
                    ("POS", Fixed(f"RHO:16*{2**-8} THETA:16*{HEADING}")),
                    ("HEI", Fixed("HEIGHT:16:s*25")),
                    ("MDC", Fixed("CV:1 CG:1 ModeC:14:s*0.25")),
                    ("MDA", Fixed("V:1 G:1 L:1 -:1 Mode3A:12:o")),
                    ("TYP", Fixed("TYP:3 SIM:1 RAB:1 TST:1 -:2")),
                ]
            ),
            "380": I380,
            "390": I390,
            "500": I500,
            "510": RepetitiveFX("SDPSUID:8 STN:15"),
            "RE": Explicit(),
            "SP": Explicit(),
        },
    )
)

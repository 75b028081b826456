"""CAT 021, ADS-B target reports, edition 2.6."""

from asde.asterix.cat062 import MB_DATA
from asde.asterix.codec import register
from asde.asterix.spec import (
    Category,
    Compound,
    Explicit,
    Extended,
    Fixed,
    Repetitive,
)

LATLON_24 = 180 / 2**23
LATLON_31 = 180 / 2**30
HEADING = 360 / 2**16
TIME = 1 / 128
FRACTION_NS = 2**-30 * 1e9

AGES_021 = [
    "AOS", "TRD", "M3A", "QI", "TI", "MAM", "GH",
    "FL", "ISA", "FSA", "AS", "TAS", "MH", "BVR",
    "GVR", "GV", "TAR", "TID", "TS", "MET", "ROA",
    "ARA", "SCC",
]  # fmt: skip

# fmt: off
UAP_021 = (
    "010", "040", "161", "015", "071", "130", "131",
    "072", "150", "151", "080", "073", "074", "075",
    "076", "140", "090", "210", "070", "230", "145",
    "152", "200", "155", "157", "160", "165", "077",
    "170", "020", "220", "146", "148", "110", "016",
    "008", "271", "132", "250", "260", "400", "295",
    None, None, None, None, None, "RE", "SP",
)
# fmt: on

CAT021 = register(
    Category(
        number=21,
        edition="2.6",
        uap=UAP_021,
        items={
            "008": Fixed("RA:1 TC:2 TS:1 ARV:1 CDTI_A:1 not_TCAS:1 SA:1"),
            "010": Fixed("SAC:8 SIC:8"),
            "015": Fixed("id:8"),
            "016": Fixed("RP:8*0.5"),
            "020": Fixed("ECAT:8"),
            "040": Extended(
                "ATP:3 ARC:2 RC:1 RAB:1",
                "DCR:1 GBS:1 SIM:1 TST:1 SAA:1 CL:2",
                "-:1 LLC:1 IPC:1 NOGO:1 CPR:1 LDPJ:1 RCF:1",
                "TBC_EP:1 TBC_VAL:6",
                "MBC_EP:1 MBC_VAL:6",
            ),
            "070": Fixed("-:4 Mode3A:12:o"),
            "071": Fixed(f"time_applicability_position:24*{TIME}"),
            "072": Fixed(f"time_applicability_velocity:24*{TIME}"),
            "073": Fixed(f"time_reception_position:24*{TIME}"),
            "074": Fixed(f"FSI:2 time_reception_position_highprecision:30*{FRACTION_NS}"),
            "075": Fixed(f"time_reception_velocity:24*{TIME}"),
            "076": Fixed(f"FSI:2 time_reception_velocity_highprecision:30*{FRACTION_NS}"),
            "077": Fixed(f"time_report_transmission:24*{TIME}"),
            "080": Fixed("TAddr:24:x"),
            "090": Extended(
                "NUCr_or_NACv:3 NUCp_or_NIC:4",
                "NICbaro:1 SIL:2 NACp:4",
                "-:2 SILS:1 SDA:2 GVA:2",
                "PIC:4 -:3",
            ),
            "110": Compound(
                [
                    ("TIS", Extended("NAV:1 NVB:1 -:5")),
                    (
                        "TID",
                        Repetitive(
                            Fixed(
                                "TCA:1 NC:1 TcpN:6 Alt:16:s*10 "
                                f"Lat:24:s*{LATLON_24} Lon:24:s*{LATLON_24} "
                                "PType:4 TD:2 TRA:1 TOA:1 TOV:24 TTR:16*0.01"
                            )
                        ),
                    ),
                ]
            ),
            "130": Fixed(f"Lat:24:s*{LATLON_24} Lon:24:s*{LATLON_24}"),
            "131": Fixed(f"Lat:32:s*{LATLON_31} Lon:32:s*{LATLON_31}"),
            "132": Fixed("MAM:8:s"),
            "140": Fixed("geometric_height:16:s*6.25"),
            "145": Fixed("FL:16:s*0.25"),
            "146": Fixed("SAS:1 Source:2 Alt:13:s*25"),
            "148": Fixed("MV:1 AH:1 AM:1 Alt:13:s*25"),
            "150": Fixed("IM:1 ASpeed:15"),
            "151": Fixed("RE:1 TAS:15"),
            "152": Fixed(f"MHdg:16*{HEADING}"),
            "155": Fixed("RE:1 BVR:15:s*6.25"),
            "157": Fixed("RE:1 GVR:15:s*6.25"),
            "160": Fixed(f"RE:1 GS:15*{2**-14} TA:16*{HEADING}"),
            "161": Fixed("-:4 TrackN:12"),
            "165": Fixed("-:6 TA_rate:10:s*0.03125"),
            "170": Fixed("TId:48:c6"),
            "200": Fixed("ICF:1 LNAV:1 ME:1 PS:3 SS:2"),
            "210": Fixed("-:1 VNS:1 VN:3 LTT:3"),
            "220": Compound(
                [
                    ("WS", Fixed("WindS:16")),
                    ("WD", Fixed("WindD:16")),
                    ("TMP", Fixed("Temp:16:s*0.25")),
                    ("TRB", Fixed("Turb:8")),
                ]
            ),
            "230": Fixed("RollA:16:s*0.01"),
            "250": Repetitive(MB_DATA),
            "260": Fixed(
                "TYP:5 STYP:3 ARA41:1 ARA42:1 ARA43:1 ARA44:1 ARA45:1 ARA46:1 ARA47:1 "
                "ACAS3:7 RAC55:1 RAC56:1 RAC57:1 RAC58:1 RAT:1 MTE:1 TTI:2 TID:26"
            ),
            "271": Extended("-:2 POA:1 CDTI_S:1 B2_low:1 RAS:1 IDENT:1", "LW:4 -:3"),
            "295": Compound([(n, Fixed(f"{n}:8*0.1")) for n in AGES_021]),
            "400": Fixed("RID:8"),
            "RE": Explicit(),
            "SP": Explicit(),
        },
    )
)

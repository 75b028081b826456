"""English dates as the partial dates write them: "15 December 2026", never "Dec. 15, 2026"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"

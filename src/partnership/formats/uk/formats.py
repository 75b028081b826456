"""Ukrainian dates as the partial dates write them: "15 грудня 2026" (no "р."), 24-hour time."""

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"

"""Why the platform refused or could not carry out a request about the live air picture."""

from enum import StrEnum


class AirPictureErrorCode(StrEnum):
    NOT_AIR_OPERATIONS = "not_air_operations"
    NO_CENTRE = "no_centre"
    CENTRE_UNREACHABLE = "centre_unreachable"
    CENTRE_CREDENTIAL = "centre_credential"
    CENTRE_REFUSED = "centre_refused"
    NO_SUCH_ALERT = "no_such_alert"
    NOT_OWN_TRACK = "not_own_track"
    BAD_LEVEL = "bad_level"

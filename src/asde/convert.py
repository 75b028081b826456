"""Between ASTERIX records and the picture: CAT 062 tracks out, CAT 062/021/048 reports in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pyproj import Geod

from asde.asterix import Record
from asde.picture import Track, TrackStatus
from asde.reports import Source, TargetReport

# DAY and absolute_time are imported from here too, where they were before asde.timeline.
from asde.timeline import DAY as DAY
from asde.timeline import Timeline, placed
from asde.timeline import absolute_time as absolute_time

KT_TO_MS = 1852.0 / 3600.0
MAX_AGE = 63.75  # the largest age one octet of I062/290 holds (in quarter seconds)
WGS84 = Geod(ellps="WGS84")


def time_of_day(t: float) -> float:
    """Seconds since UTC midnight, in the 1/128 s steps ASTERIX carries."""
    return round((t % DAY) * 128) / 128


@dataclass(frozen=True)
class SystemId:
    """SAC/SIC of the producing system and its service identification."""

    sac: int
    sic: int
    service: int = 1


def track_to_cat062(track: Track, system: SystemId, now: float) -> Record:
    """A CAT 062 system track update for the track as it is at `now`."""
    items: dict[str, Any] = {
        "I010": {"SAC": system.sac, "SIC": system.sic},
        "I015": {"SID": system.service},
        "I070": {"ToT": time_of_day(track.last_update)},
        "I040": {"TrkN": track.number},
    }
    if track.lat is not None and track.lon is not None:
        items["I105"] = {"Lat": track.lat, "Lon": track.lon}
    if track.ground_speed_kt is not None and track.track_deg is not None:
        speed = track.ground_speed_kt * KT_TO_MS
        heading = math.radians(track.track_deg)
        items["I185"] = {
            "Vx": _clamp(round(speed * math.sin(heading) * 4) / 4, -8192, 8191.75),
            "Vy": _clamp(round(speed * math.cos(heading) * 4) / 4, -8192, 8191.75),
        }
    if track.squawk is not None:
        changed = track.squawk_changed_at is not None and now - track.squawk_changed_at < 60
        items["I060"] = {"V": 0, "G": 0, "CH": int(changed), "Mode3A": track.squawk}
    ages = {}
    for source, key in ((Source.PSR, "PSR"), (Source.SSR, "SSR"), (Source.MODE_S, "MDS"),
                        (Source.ADSB, "ADS")):  # fmt: skip
        age = track.age(source, now)
        if age is not None:
            ages[key] = {key: min(round(age * 4) / 4, MAX_AGE if key != "ADS" else 16383.75)}
    coasting = track.status == TrackStatus.COASTING
    items["I080"] = {
        "MON": int(len(track.source_times) == 1),
        "SPI": 0,
        "MRH": 0,
        "SRC": 0,
        "CNF": int(track.status == TrackStatus.TENTATIVE),
        "SIM": 0,
        "TSE": int(track.status == TrackStatus.TERMINATED),
        "TSB": int(track.updates == 1),
        "FPC": 0,
        "AFF": 0,
        "STP": 0,
        "KOS": 0,
        "AMA": 0,
        "MD4": 0,
        "ME": int(track.emergency),
        "MI": 0,
        "MD5": 0,
        "CST": int(coasting),
        "PSR": int(Source.PSR not in track.source_times),
        "SSR": int(Source.SSR not in track.source_times),
        "MDS": int(Source.MODE_S not in track.source_times),
        "ADS": int(Source.ADSB not in track.source_times),
        "SUC": 0,
        "AAC": 0,
    }
    if ages:
        items["I290"] = ages
    if track.altitude_ft is not None:
        items["I136"] = {"MFL": _clamp(round(track.altitude_ft / 25) * 25, -819200, 819175)}
    if track.vertical_rate_fpm is not None:
        items["I220"] = {
            "RoC": _clamp(round(track.vertical_rate_fpm / 6.25) * 6.25, -204800, 204793.75)
        }
    derived: dict[str, Any] = {}
    if track.address is not None:
        derived["ADR"] = {"ADR": track.address}
    if track.callsign:
        derived["ID"] = {"ACID": _callsign(track.callsign)}
    if derived:
        items["I380"] = derived
    return Record(62, items)


def _clamp(value: float, low: float, high: float) -> float:
    """Keep a value inside the range its ASTERIX field can carry."""
    return max(low, min(high, value))


def _callsign(text: str) -> str:
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")
    clean = "".join(c if c in allowed else " " for c in text.upper())
    return clean[:8].ljust(8)


def report_from_cat062(record: Record, near: float | Timeline) -> TargetReport | None:
    """A received CAT 062 track update as a report (e.g. the partner's picture): its time of
    track placed near `near` (live) or on a recording's timeline (which may refuse it with a
    TimeOfDayError)."""
    position = record.get("I105")
    if record.category != 62 or position is None:
        return None
    tod = record.get("I070", {}).get("ToT")
    velocity = record.get("I185")
    speed = course = None
    if velocity is not None:
        vx, vy = velocity["Vx"], velocity["Vy"]
        speed = math.hypot(vx, vy) / KT_TO_MS
        course = math.degrees(math.atan2(vx, vy)) % 360
    derived = record.get("I380", {})
    mode3a = record.get("I060")
    status = record.get("I080", {})
    altitude = record.get("I136", {}).get("MFL")
    time = placed(tod, near)  # after all else: the timeline moves only for a report made
    return TargetReport(
        time=time,
        source=Source.SSR,
        lat=position["Lat"],
        lon=position["Lon"],
        address=derived.get("ADR", {}).get("ADR"),
        callsign=(derived.get("ID", {}).get("ACID") or "").strip() or None,
        squawk=mode3a["Mode3A"] if mode3a else None,
        altitude_ft=altitude,
        ground_speed_kt=speed,
        track_deg=course,
        vertical_rate_fpm=record.get("I220", {}).get("RoC"),
        emergency=bool(status.get("ME"))
        or (mode3a or {}).get("Mode3A") in ("7500", "7600", "7700"),
        system=(source["SAC"], source["SIC"]) if (source := record.get("I010")) else None,
        track_number=record.get("I040", {}).get("TrkN"),
        ended=bool(status.get("TSE")),
    )


def report_from_cat021(record: Record, near: float | Timeline) -> TargetReport | None:
    """An ADS-B report (CAT 021 edition 2) as a target report (its time as CAT 062's)."""
    position = record.get("I131") or record.get("I130")
    if record.category != 21 or position is None:
        return None
    tod = (record.get("I073") or {}).get("time_reception_position")
    if tod is None:
        tod = (record.get("I071") or {}).get("time_applicability_position")
    vector = record.get("I160")
    squawk = (record.get("I070") or {}).get("Mode3A")
    status = record.get("I200") or {}
    time = placed(tod, near)
    return TargetReport(
        time=time,
        source=Source.ADSB,
        lat=position["Lat"],
        lon=position["Lon"],
        address=(record.get("I080") or {}).get("TAddr"),
        callsign=((record.get("I170") or {}).get("TId") or "").strip() or None,
        squawk=squawk,
        altitude_ft=(lambda fl: fl * 100 if fl is not None else None)(
            (record.get("I145") or {}).get("FL")
        ),
        ground_speed_kt=vector["GS"] * 3600 if vector else None,
        track_deg=vector["TA"] if vector else None,
        vertical_rate_fpm=(record.get("I155") or {}).get("BVR"),
        emergency=status.get("PS", 0) in (1, 2, 3, 4, 5) or squawk in ("7500", "7600", "7700"),
    )


@dataclass(frozen=True)
class RadarSite:
    """Where a monoradar stands, to place its polar plots (CAT 048) on the ellipsoid."""

    sac: int
    sic: int
    lat: float
    lon: float


def report_from_cat048(record: Record, site: RadarSite, near: float) -> TargetReport | None:
    """A monoradar target report: range and azimuth from the site, converted geodesically."""
    polar = record.get("I040")
    if record.category != 48 or polar is None:
        return None
    lon, lat, _back = WGS84.fwd(site.lon, site.lat, polar["THETA"], polar["RHO"] * 1852.0)
    tod = (record.get("I140") or {}).get("ToD")
    descriptor = record.get("I020") or {}
    kind = descriptor.get("TYP", 0)  # 1 PSR, 2 SSR, 3 PSR+SSR, 4-7 Mode S
    source = Source.PSR if kind == 1 else Source.MODE_S if kind >= 4 else Source.SSR
    mode3a = record.get("I070")
    level = record.get("I090")
    velocity = record.get("I200")
    return TargetReport(
        time=absolute_time(tod, near) if tod is not None else near,
        source=source,
        lat=lat,
        lon=lon,
        address=(record.get("I220") or {}).get("ACAddr"),
        callsign=((record.get("I240") or {}).get("TId") or "").strip() or None,
        squawk=mode3a["Mode3A"] if mode3a and not mode3a["V"] else None,
        altitude_ft=level["FL"] * 100 if level and not level["V"] else None,
        ground_speed_kt=velocity["CGS"] if velocity else None,
        track_deg=velocity["CHdg"] if velocity else None,
        emergency=bool(mode3a) and mode3a["Mode3A"] in ("7500", "7600", "7700"),
    )


def report_to_cat021(report: TargetReport, system: SystemId) -> Record | None:
    """An ADS-B report as CAT 021 edition 2 (what a ground station would send)."""
    if report.lat is None or report.lon is None or report.address is None:
        return None
    tod = time_of_day(report.time)
    items: dict[str, Any] = {
        "I010": {"SAC": system.sac, "SIC": system.sic},
        "I040": {"ATP": 1, "ARC": 1, "RC": 0, "RAB": 0},
        "I071": {"time_applicability_position": tod},
        "I131": {"Lat": report.lat, "Lon": report.lon},
        "I080": {"TAddr": report.address},
        "I073": {"time_reception_position": tod},
    }
    if report.squawk is not None:
        items["I070"] = {"Mode3A": report.squawk}
    if report.altitude_ft is not None:
        items["I145"] = {"FL": _clamp(round(report.altitude_ft / 25) / 4, -15, 1500)}
    if report.vertical_rate_fpm is not None:
        items["I155"] = {
            "RE": 0,
            "BVR": _clamp(round(report.vertical_rate_fpm / 6.25) * 6.25, -102400, 102393.75),
        }
    if report.ground_speed_kt is not None and report.track_deg is not None:
        speed = min(report.ground_speed_kt / 3600, (2**15 - 1) * 2**-14)
        lsb = 360 / 2**16
        angle = round((report.track_deg % 360) / lsb) % 2**16 * lsb
        items["I160"] = {"RE": 0, "GS": round(speed * 2**14) / 2**14, "TA": angle}
    if report.callsign:
        items["I170"] = {"TId": _callsign(report.callsign)}
    items["I200"] = {"ICF": 0, "LNAV": 0, "ME": 0, "PS": 1 if report.emergency else 0, "SS": 0}
    return Record(21, items)

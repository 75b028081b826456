"""The air picture: correlation, track life cycle, source ages and history."""

from asde.picture import AirPicture, PictureSettings, TrackStatus, distance_nm
from asde.reports import Source, TargetReport


def report(t: float, **kw: object) -> TargetReport:
    values: dict = {"lat": 50.0, "lon": 30.0, "source": Source.ADSB}
    values.update(kw)
    return TargetReport(time=t, **values)


def test_reports_with_one_mode_s_address_make_one_confirmed_track() -> None:
    picture = AirPicture()

    first = picture.update(report(0, address="508035", squawk="2612"))
    second = picture.update(report(4, address="508035", lat=50.01, source=Source.MODE_S))

    assert first is second and len(picture) == 1
    assert second.status == TrackStatus.CONFIRMED
    assert second.age(Source.ADSB, 6) == 6 and second.age(Source.MODE_S, 6) == 2
    assert second.age(Source.PSR, 6) is None
    assert [p.lat for p in second.history] == [50.0, 50.01]


def test_without_mode_s_a_discrete_code_near_the_track_correlates() -> None:
    picture = AirPicture()
    track = picture.update(report(0, squawk="4521", ground_speed_kt=360, track_deg=90,
                                  source=Source.SSR))  # fmt: skip

    # 360 kt east for 10 s is 1 NM: the report is where the track should be.
    near = picture.update(report(10, squawk="4521", lon=30.026, source=Source.SSR))
    far = picture.update(report(12, squawk="4521", lon=31.0, source=Source.SSR))
    shared = picture.update(report(12, squawk="2000", source=Source.SSR))

    assert near is track
    assert far is not track and shared is not track
    assert len(picture) == 3


def test_silent_tracks_coast_then_terminate() -> None:
    picture = AirPicture(PictureSettings(coast_after=10, terminate_after=30))
    track = picture.update(report(0, address="ABCDEF"))
    picture.update(report(1, address="ABCDEF"))

    picture.tick(15)
    assert track.status == TrackStatus.COASTING
    ended = picture.tick(31)

    assert ended == [track] and track.status == TrackStatus.TERMINATED
    assert len(picture) == 0
    assert picture.update(report(40, address="ABCDEF")).number != track.number


def test_a_code_change_is_remembered() -> None:
    picture = AirPicture()
    picture.update(report(0, address="ABCDEF", squawk="2612"))
    track = picture.update(report(5, address="ABCDEF", squawk="7500"))

    assert (track.previous_squawk, track.squawk, track.squawk_changed_at) == ("2612", "7500", 5)
    assert track.emergency


def test_history_keeps_the_configured_window() -> None:
    picture = AirPicture(PictureSettings(history_seconds=60, terminate_after=1000))
    for t in range(0, 300, 4):
        track = picture.update(report(t, address="ABCDEF", lat=50 + t / 1000))

    assert track.history[0].time >= 296 - 60
    assert len(track.history) == 16


def test_track_numbers_are_reused_only_when_free() -> None:
    picture = AirPicture(PictureSettings(max_tracks=3, terminate_after=5))
    numbers = [picture.update(report(0, address=f"00000{i}")).number for i in range(3)]
    picture.tick(10)

    assert numbers == [1, 2, 3]
    assert picture.update(report(11, address="000009")).number == 1


def test_distance_of_one_degree_of_latitude() -> None:
    assert abs(distance_nm(50, 30, 51, 30) - 60.0) < 0.2


def test_a_first_mode_s_report_adopts_the_track_primary_radar_started() -> None:
    picture = AirPicture()
    primary = picture.update(report(0, source=Source.PSR))
    elsewhere = picture.update(report(0, source=Source.PSR, lat=52.0))

    adopted = picture.update(report(1, address="508035", lat=50.001))
    again = picture.update(report(5, source=Source.PSR, lat=50.002))

    assert adopted is primary and adopted.address == "508035"
    assert again is primary  # primary returns keep following the same track
    assert elsewhere is not primary and len(picture) == 2


def system_report(t: float, number: int, **kw: object) -> TargetReport:
    return report(t, source=Source.SSR, system=(25, 1), track_number=number, **kw)


def test_a_partner_track_is_its_system_track_whatever_its_code_or_position() -> None:
    # Given a partner's picture and two of the partner's tracks squawking 2000, no address
    picture = AirPicture(PictureSettings(system_tracks=True))

    # When they fly together and one jumps 100 NM (the partner's own correlation said so)
    a = picture.update(system_report(0, 7, squawk="2000"))
    b = picture.update(system_report(0, 8, squawk="2000", lat=50.001))
    a_again = picture.update(system_report(4, 7, squawk="2000", lat=51.7))
    b_again = picture.update(system_report(4, 8, squawk="2000", lat=50.002))

    # Then each stays one track, under the partner's own number
    assert (a_again, b_again) == (a, b) and len(picture) == 2
    assert (a.number, b.number) == (7, 8)
    assert a.status == TrackStatus.CONFIRMED  # the partner confirmed it already


def test_another_system_with_the_same_number_is_another_track() -> None:
    picture = AirPicture(PictureSettings(system_tracks=True))
    ours = picture.update(system_report(0, 7))

    theirs = picture.update(report(0, source=Source.SSR, system=(80, 1), track_number=7))

    assert theirs is not ours and theirs.number != 7 and len(picture) == 2


def test_the_partner_ending_a_track_ends_it_here() -> None:
    picture = AirPicture(PictureSettings(system_tracks=True))
    picture.update(system_report(0, 7))

    ended = picture.update(system_report(2, 7, ended=True))
    unknown = picture.update(system_report(2, 9, ended=True))

    assert ended.status == unknown.status == TrackStatus.TERMINATED
    assert len(picture) == 0
    # A new track under the same number after the end is a new track here too
    assert picture.update(system_report(3, 7)) is not ended


def test_partner_tracks_coast_and_end_by_their_own_age() -> None:
    picture = AirPicture(PictureSettings(system_tracks=True, coast_after=10, terminate_after=30))
    track = picture.update(system_report(0, 7))

    picture.tick(15)
    coasting = track.status
    ended = picture.tick(31)

    assert coasting == TrackStatus.COASTING and ended == [track] and len(picture) == 0


def test_a_full_picture_ends_the_silent_longest_coasting_first() -> None:
    # Given a picture of at most three tracks: one coasting, two live (one of them older)
    picture = AirPicture(PictureSettings(max_tracks=3, coast_after=10, terminate_after=1000))
    coasting = picture.update(report(0, address="00000A"))
    picture.update(report(1, address="00000A"))
    live_old = picture.update(report(5, address="00000B"))
    picture.update(report(19, address="00000C"))
    picture.update(report(20, address="00000B"))
    picture.tick(20)
    assert coasting.status == TrackStatus.COASTING

    # When two new aircraft appear
    first = picture.update(report(21, address="00000D"))
    second = picture.update(report(22, address="00000E"))

    # Then the coasting track went first, then the live one silent longest; both are counted
    # and handed on by the next tick as ended
    assert len(picture) == 3 and picture.evicted == 2
    assert first.number == coasting.number and coasting.status == TrackStatus.TERMINATED
    assert live_old.status == TrackStatus.CONFIRMED  # B was updated at 20: C (19) is older
    assert {t.address for t in picture} == {"00000B", "00000D", "00000E"}
    assert second.address == "00000E"
    assert {t.address for t in picture.tick(23)} == {"00000A", "00000C"}


def test_a_full_partner_picture_makes_room_too() -> None:
    picture = AirPicture(PictureSettings(system_tracks=True, max_tracks=2))
    for number in range(1, 6):
        picture.update(system_report(number, number))

    assert len(picture) == 2 and picture.evicted == 3
    assert sorted(t.system_track[2] for t in picture if t.system_track) == [4, 5]

"""Incident date and time: examples of what `pipelines.extract.dates` reads."""

import datetime as dt

import pytest

from pipelines.extract.dates import find_times, incident_datetime, to_date


def when(text: str, published: str = "2021-10-26") -> tuple:
    r = incident_datetime(text, published)
    return r["date"], r["time"], r["date_inferred"]


def test_weekday_month_day_without_year_takes_the_publication_year():
    assert when("around 1:30 a.m., Tuesday, Oct. 26, while an officer") == (
        "2021-10-26",
        "01:30",
        True,
    )


def test_year_boundary_uses_the_weekday_to_pick_last_year():
    assert when("On Tuesday, Dec. 28, officers arrested a man", "2022-01-03")[0] == "2021-12-28"


def test_numeric_date_and_military_hours():
    assert when("On 10/26/21 at approximately 0130 hours officers responded") == (
        "2021-10-26",
        "01:30",
        False,
    )


def test_full_date_with_24_hour_clock():
    assert when("On Friday, September 2, 2022, at approximately 18:20 hours", "2022-09-03") == (
        "2022-09-02",
        "18:20",
        False,
    )


def test_abbreviated_month_with_time():
    assert when(
        "On Sept. 22 at 12:44 a.m., officers responded to the 700 block of McCoy Drive",
        "2015-09-24",
    ) == ("2015-09-22", "00:44", True)


def test_bare_weekday_resolves_to_the_latest_such_day():
    assert when("Officers responded early Sunday to a shooting.", "2021-10-26")[0] == "2021-10-24"
    assert when("Monday night a man was arrested after a crash.", "2021-10-27")[0] == "2021-10-25"


def test_shortly_after_ten_pm():
    assert when("Shortly after 10 p.m. Tuesday officers responded to a fight.")[:2] == (
        "2021-10-26",
        "22:00",
    )


def test_history_dates_are_not_the_incident():
    text = (
        "His most recent arrest was on Friday, Oct. 15, for violation of probation.\n\n"
        "The incident took place around 1:30 a.m., Tuesday, Oct. 26, on Main Street."
    )
    assert when(text)[0] == "2021-10-26"


def test_court_dates_are_not_the_incident():
    text = "He is expected to be arraigned on Nov. 4, 2021 in Superior Court."
    assert when(text, "2021-10-26")[0] is None


def test_no_date_gives_none():
    assert when("The department reminds residents to lock their cars.") == (None, None, False)


def test_on_a_dollar_two_is_not_january_second():
    assert when("He is held on a $2 million bond.")[0] is None


def test_find_times_reads_all_clock_styles():
    got = [t[2] for t in find_times("at 1:30 a.m., 0130 hours, 18:20 hours, 10 p.m. and noon")]
    assert got == ["01:30", "01:30", "18:20", "22:00", "12:00"]
    assert [t[2] for t in find_times("AT 2215 HRS, 0600 Hr. AND 7 P.M.")] == [
        "22:15",
        "06:00",
        "19:00",
    ]


def test_a_weekday_in_capitals_or_a_date_in_slashes_is_read_in_any_text():
    # each reader is tried only on a text holding its word ("sunday") or a slash
    assert when("Deputies responded EARLY SUNDAY to a burglary.", "2022-09-07")[0] == "2022-09-04"
    assert when("The crash happened on 9/2/22 near the bridge.", "2022-09-07")[0] == "2022-09-02"


@pytest.mark.parametrize(
    "value", ["2021-10-26", "2021-10-26T09:00:00-04:00", dt.date(2021, 10, 26)]
)
def test_to_date_accepts_iso_strings_and_dates(value):
    assert to_date(value) == dt.date(2021, 10, 26)


def test_arrest_date_gives_way_to_the_earlier_crime_date():
    text = (
        "Lyle Grant, 30, was arrested on July 23, 2022 and is held on $10,000 bail.\n\n"
        "According to the investigation, at about 3:50 a.m. on June 2, 2022, the defendant "
        "ran a red light and crashed into a parked van."
    )
    got = incident_datetime(text, "2022-07-30")
    assert (got["date"], got["time"]) == ("2022-06-02", "03:50")


def test_custody_date_gives_way_to_the_dated_crime_it_answers_for():
    text = (
        "Deputies took 33-year-old Orin Falk into custody on Feb. 8 in Mobile, Ala.\n\n"
        "Falk had a warrant charging him with the Nov. 1 robbery of a gas station."
    )
    assert incident_datetime(text, "2022-02-10")["date"] == "2021-11-01"


def test_an_arrest_after_a_pursuit_is_the_incident():
    text = (
        "A man was arrested early Sunday after leading officers on a pursuit.\n\n"
        "The car had been reported stolen on Friday."
    )
    assert incident_datetime(text, "2024-03-18")["date"] == "2024-03-17"


def test_a_dated_update_heading_with_a_time_is_not_the_incident():
    text = (
        "Suspect located\n\nMay 4, 2022 at 2:10 p.m.\n\n"
        "Officers responded to a shooting on 04/29/22 at 11:40 p.m. in the 900 block of Pine St."
    )
    assert incident_datetime(text, "2022-05-04")["date"] == "2022-04-29"


def test_a_written_date_of_the_crime_beats_the_releases_today():
    text = (
        "Police say a man was arrested today after a stabbing. On Friday, June 7, 2024, at "
        "about 9:40 p.m., officers were called to the 400 block of Marsh Street."
    )
    assert when(text, "2024-06-10") == ("2024-06-07", "21:40", False)


def test_today_before_announced_is_the_release_not_the_incident():
    text = "Today Chief Ann Lowe said officers arrested a man in a shooting Saturday night."
    assert when(text, "2024-06-10")[0] == "2024-06-08"


def test_weekday_that_fits_no_recent_year_keeps_the_latest_year():
    # Aug. 4, 2024 is a Sunday; published two days later
    assert when("On Sunday, Aug. 4, officers were called to a fight.", "2024-08-06")[0] == (
        "2024-08-04"
    )
    # a weekday that fits no date within the year (Aug. 4, 2023 was a Friday): no date is
    # believed, and the problem says why
    got = incident_datetime("On Sunday, Aug. 4, officers were called to a fight.", "2024-06-10")
    assert got["date"] is None
    assert got["problems"][0]["field"] == "incident_date"
    assert "Friday" in got["problems"][0]["reason"]


def test_update_and_posted_stamps_are_not_the_time_of_the_crime():
    text = (
        "UPDATE 2:29 p.m.: The suspect in the shooting has been arrested.\n\n"
        "Officers responded to a shooting on Sunday, June 9 in the 400 block of Main Street."
    )
    assert when(text, "2024-06-10") == ("2024-06-09", None, True)
    text = "Posted 6:10 a.m.\nA man was arrested after a robbery Sunday at a gas station."
    assert when(text, "2024-06-10") == ("2024-06-09", None, True)


def test_the_arrest_time_today_does_not_replace_the_crime_time():
    text = (
        "Tim Ray, 20, was arrested at 4 p.m. today in connection with a robbery that happened "
        "about 1:15 a.m. Tuesday."
    )
    assert when(text, "2024-03-07")[:2] == ("2024-03-05", "01:15")
    text = (
        "Officers responded to a shooting at about 1:15 a.m. on Wednesday on Elm Street. A "
        "suspect, Tim Ray, 20, was arrested at 4 p.m. today."
    )
    assert when(text, "2024-03-07")[:2] == ("2024-03-06", "01:15")


def test_an_arrest_date_beside_the_crime_date_gives_the_crime_date():
    text = "Ron Ames was arrested on Feb. 12 in connection with the Jan. 30 burglary of a home."
    assert when(text, "2024-03-07")[0] == "2024-01-30"


def test_an_update_block_does_not_replace_the_incident_time():
    text = (
        "UPDATE: Tim Ray, 20, was arrested Wednesday at 3:30 p.m.\n\n"
        "Officers responded to a robbery at 2:10 a.m. Monday at the gas station on Elm Street."
    )
    assert when(text, "2024-03-07")[:2] == ("2024-03-04", "02:10")


def test_the_crime_named_after_court_words_dates_the_old_case():
    text = (
        "A Bayfield man was sentenced Tuesday to 30 years in prison.\n"
        "Dale Ames, 41, was convicted of murder by a jury for killing 30-year-old Tim Cole on "
        "Oct. 8, 2019."
    )
    assert when(text, "2024-03-07")[0] == "2019-10-08"


def test_a_plea_to_prison_years_is_not_the_incident():
    text = "Dale Ames agreed on Monday to 25 years in prison for the robbery of a bakery."
    assert when(text, "2024-03-07")[0] is None


@pytest.mark.parametrize(
    "line",
    [
        "Admin | March 7, 2024",  # a byline
        "March 7, 2024: Man Charged With Robbery of Bakery",  # a dated headline
        "Bayfield-March 7, 2024 \u2013 The county prosecutor filed charges.",  # a dateline
    ],
)
def test_stamps_of_the_release_are_not_the_incident(line):
    text = f"{line}\nDale Ames, 41, was charged with the robbery of a bakery."
    assert when(text, "2024-03-07")[0] is None


@pytest.mark.parametrize(
    "text",
    [
        "District Attorney Ann Roe said Thursday that the program will end.",
        "Ann Roe joined partners today to announce a gun safety campaign for the shooting range.",
        "Before any discussion of today\u2019s decision, I thank the jurors in the robbery case.",
        "Today, District Attorney Ann Roe announced that the backlog of robbery cases is gone.",
        "The program has diverted 900 people from jail as of Jan. 31, 2024.",
        "The award lunch is being held on March 1, 2024, at the hotel.",
    ],
)
def test_announcements_statistics_and_events_date_no_incident(text):
    assert when(text, "2024-03-07")[0] is None


def test_the_day_of_charging_gives_way_to_the_crime_day():
    text = (
        "A 44-year-old man was charged today with stabbing his neighbor.\n"
        "On March 5, at about 9:30 a.m., the man attacked the neighbor at his home."
    )
    assert when(text, "2024-03-07")[:2] == ("2024-03-05", "09:30")


def test_due_inside_a_name_is_no_court_word():
    text = "Dale Ames was found guilty by a jury for the death of Tim Purdue on Aug. 13, 2020."
    assert when(text, "2023-03-07")[0] == "2020-08-13"


def test_a_date_of_birth_before_the_arrest_date_does_not_hide_it():
    text = (
        "Roe (dob 12/26/97) was arrested on March 3, 2023, after he attacked a man at a bus stop."
    )
    assert when(text, "2024-03-07")[0] == "2023-03-03"
    assert when("Dale Ames (DOB: 9/20/88) is held.", "2024-03-07")[0] is None


def test_the_event_of_a_media_advisory_is_not_the_incident():
    text = "MEDIA ADVISORY: Award lunch for the robbery unit\nWHEN:\nMarch 1, 2024 11:30 a.m."
    assert when(text, "2024-03-01")[0] is None


def test_an_indictment_date_is_not_the_incident():
    text = (
        "Dale Ames and Tim Cole were indicted on Jan. 29, 2009.\n"
        "On Nov. 18, 2000, the defendants shot a man at a house party."
    )
    assert when(text, "2009-11-04")[0] == "2000-11-18"


def test_an_old_cases_date_stands_when_the_next_sentence_tells_the_crime():
    text = (
        "A 51-year-old man has been arraigned on a murder charge in a 1996 killing, District "
        "Attorney Ann Lee said. The District Attorney said that, according to the investigation, "
        "on July 17, 1996, at approximately 10:45 p.m., near 1438 Dekalb Avenue, the defendant "
        "was confronted by a rival. The defendant then stabbed the rival numerous times, killing "
        "him.\nIn 2019, the defendant was deported to Peru. He was arrested there last month on "
        "an extradition request and arrived in the United States yesterday."
    )
    got = incident_datetime(text, "2021-11-19")
    assert (got["date"], got["time"]) == ("1996-07-17", "22:45")


def test_an_old_date_without_a_crime_near_it_is_still_no_incident():
    text = (
        "Dale Roe, 40, was arrested today on a warrant. On May 3, 2012, at about noon, "
        "detectives first interviewed him at his home. He was released that evening."
    )
    assert incident_datetime(text, "2021-11-19")["date"] != "2012-05-03"

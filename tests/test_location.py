"""Incident location: addresses, blocks and intersections as written."""

import pytest

from pipelines.location import incident_location


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an officer was on patrol in the area of 1921 Main St. when", "1921 Main St"),
        (
            "Officers responded to the 600 block of Maryland Avenue, Southwest.",
            "600 block of Maryland Avenue",
        ),
        (
            "in the area of Blue Hill Avenue and Morton Street in Dorchester",
            "Blue Hill Avenue and Morton Street",
        ),
        (
            "were dispatched to the Dean Apartments, 1716 Nebraska Street, for a report",
            "1716 Nebraska Street",
        ),
        (
            "a crash at the intersection of Elm Street and Fifth Avenue.",
            "Elm Street and Fifth Avenue",
        ),
        ("The department reminds residents to lock their cars.", None),
        ("He was sentenced to 25 years in prison.", None),
    ],
)
def test_incident_location(text, expected):
    assert incident_location(text) == expected


def test_an_accused_persons_home_address_is_not_the_scene():
    text = (
        "Accused: Larkin, Tomas 3/4/90 27 Birch Ln Glastonbury CT\n"
        "Officers at 100 Francis Ave. found"
    )
    assert incident_location(text) == "100 Francis Ave"

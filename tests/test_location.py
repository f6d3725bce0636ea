"""Incident location: addresses, blocks and intersections as written."""

import pytest

from pipelines.extract.location import incident_location


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Officers were called to a fight near Dumont and Montauk Avenues.",
            "Dumont and Montauk Avenues",
        ),
        (
            "Officers responded to a shooting at the corner of Avenue L and East 93rd Street.",
            "Avenue L and East 93rd Street",
        ),
        ("A car was stolen near Prospect Street and Elm Street.", "Prospect Street and Elm Street"),
        (
            "The robbery happened in the 2800 block of Hamilton Boulevard.",
            "2800 block of Hamilton Boulevard",
        ),
        (
            "Officers were called to the 3300 block of Division Street.",
            "3300 block of Division Street",
        ),
        ("At Fenwick Road and Toledo Way, the car struck a pole.", "Fenwick Road and Toledo Way"),
    ],
)
def test_intersections_and_blocks_as_written(text, expected):
    assert incident_location(text) == expected


def test_an_exact_address_on_the_block_is_preferred():
    text = (
        "Officers were sent to the 3300 block of Division Street. The shooting happened "
        "at 3315 Division Street, police said."
    )
    assert incident_location(text) == "3315 Division Street"


@pytest.mark.parametrize(
    "street_type", ["Avenues", "avenues", "Streets", "Ways", "parkways", "Sts.", "Aves", "Rds."]
)
def test_two_streets_sharing_one_plural_type_are_one_intersection(street_type):
    # every plural type the pattern knows is also a word that lets the pattern be tried
    text = f"A crash was reported at Dumont and Montauk {street_type} on Monday."
    assert incident_location(text) == f"Dumont and Montauk {street_type}".rstrip(".")


def test_a_block_is_read_where_the_word_block_is_written():
    import re

    from pipelines.extract.location import BLOCK, find_locations

    # find_locations tries BLOCK only in texts holding "block": the pattern must need the word
    assert "block" in BLOCK.pattern and not BLOCK.flags & re.IGNORECASE
    assert find_locations("in the 600 block of Main Street.") == [
        (7, "block", "600 block of Main Street")
    ]

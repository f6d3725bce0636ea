"""What ``clean`` does to a release's text, one step at a time: each step runs only where its
pattern can match, and these examples hold whether it runs or not."""

from __future__ import annotations

import pytest

from pipelines.extract.sentences import clean


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("**Arrest made** in the Elm Street burglary", "Arrest made in the Elm Street burglary"),
        ("__Update__: the suspect is in custody", "Update: the suspect is in custody"),
        ("Case \\#24-118 was filed", "Case #24-118 was filed"),
        ("## Arrest made\n\nOfficers arrested a man.", "Arrest made\n\nOfficers arrested a man."),
        ("Officers  arrested   a man.", "Officers arrested a man."),
        ("Officers arrested a man. \n  He was booked.", "Officers arrested a man.\nHe was booked."),
        ("First paragraph.\n\n\n\nSecond paragraph.", "First paragraph.\n\nSecond paragraph."),
        ("  \n Officers arrested a man.\n\n  ", "Officers arrested a man."),
        # a sentence glued to the next gets its space; "U.S." and "Dana R.Colt" stay as written
        (
            "It is a Government Record.All charges are felonies.",
            "It is a Government Record. All charges are felonies.",
        ),
        ("He was held.Bail was set.Why?He asked.", "He was held. Bail was set. Why? He asked."),
        ("The U.S.Marshals and Dana R.Colt", "The U.S.Marshals and Dana R.Colt"),
        ("Nothing to change here.", "Nothing to change here."),
    ],
)
def test_each_step_of_clean(raw, cleaned):
    assert clean(raw) == (cleaned, [])


def test_control_characters_become_spaces_and_many_are_a_problem():
    assert clean("Officers\x07arrested a man.") == ("Officers arrested a man.", [])
    text, problems = clean("\x01\x02\x03\x04 binary")
    assert text == "binary"
    assert problems == ["text contains binary or control characters"]

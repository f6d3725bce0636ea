"""A generated benchmark site: N invented releases across N/50 agencies on the four platforms.

Every release is built from templates with invented names, charges, bonds, dates and places in
the wording patterns police releases use (arrest reports with one or two arrestees, HPD-style
"Accused:/Charges:" blocks, juveniles, warrant arrests, collisions, community notices), so the
extraction does the work it does on real pages. Deterministic for a given N and seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen.demo_sites import render_site

RELEASES_PER_AGENCY = 50

LISTING_PATHS = {
    "civicplus": "/CivicAlerts.aspx?CID=2",
    "wordpress": "/category/press-releases/",
    "drupal": "/news",
    "opencities": "/Government/Departments/Police/Police-News",
}
PLATFORMS = tuple(LISTING_PATHS)  # the four platforms the crawl meets most, in turn
STATES = (
    ("OH", "America/New_York"),
    ("MI", "America/Detroit"),
    ("TX", "America/Chicago"),
    ("CT", "America/New_York"),
    ("PA", "America/New_York"),
    ("MO", "America/Chicago"),
    ("CO", "America/Denver"),
    ("OR", "America/Los_Angeles"),
)
TOWNS = (
    "Ashford Falls", "Briar Glen", "Cedar Bluff", "Dunmore Creek", "Eastvale", "Fallowmere",
    "Granton", "Harlow Springs", "Iverton", "Juniper Hill", "Kessling", "Larch Point",
    "Marlow Ridge", "Northbury", "Oakhaven", "Pell City Flats", "Quarry Bend", "Rosedale Park",
    "Stonemill", "Tamsworth", "Upton Vale", "Verity", "Westmere", "Yarrow Bay",
)  # fmt: skip
FIRST = (
    "Marcus", "Jalen", "Tyrone", "Devon", "Luis", "Carlos", "Brian", "Kevin", "Anthony", "Dustin",
    "Shawn", "Trevor", "Andre", "Miguel", "Kayla", "Brittany", "Tasha", "Monique", "Rachel",
    "Danielle", "Alicia", "Jasmine", "Crystal", "Heather",
)  # fmt: skip
LAST = (
    "Whitfield", "Okafor", "Delgado", "Brennan", "Castellano", "Pruitt", "Hargrove", "Lindqvist",
    "Mercado", "Stroud", "Villanueva", "Ashby", "Dorsett", "Fenwick", "Galloway", "Holcomb",
    "Iverson", "Jessup", "Kowalczyk", "Lattimore", "Montague", "Nolan", "Ortega", "Pressley",
)  # fmt: skip
STREETS = (
    "Maple Avenue", "Larkin Street", "Ridgeway Drive", "Colton Street", "Hollis Road",
    "Brookside Lane", "Mercer Boulevard", "Quincy Street", "Foundry Road", "Elm Terrace",
)  # fmt: skip
CHARGES = (
    ("Robbery in the First Degree", "53a-134"),
    ("Larceny in the Sixth Degree", "53a-125b"),
    ("Interfering with an Officer", "53a-167a"),
    ("Criminal Possession of a Firearm", "53a-217"),
    ("Possession of Narcotics with Intent to Sell", "21a-277"),
    ("Risk of Injury to a Minor", "53a-21"),
    ("Assault in the Second Degree", "53a-60"),
    ("Burglary in the Third Degree", "53a-103"),
    ("Criminal Mischief in the Third Degree", "53a-117"),
    ("Breach of Peace in the Second Degree", "53a-181"),
    ("Carrying a Pistol Without a Permit", "29-35"),
    ("Operating Under the Influence", "14-227a"),
)
BONDS = (
    "{he} was held on a ${amount:,} bond and is scheduled to appear in court on {court}.",
    "{his} bond was set at ${amount:,}.",
    "{he} was held on a ${amount:,} cash-only bond.",
    "{he} is being held without bail pending arraignment.",
    "{he} was released on a written promise to appear.",
    "{he} was held in lieu of ${amount:,} bail.",
)


@dataclass(frozen=True)
class Agency:
    """One generated department: its source-list entry and its site description."""

    id: str
    name: str
    state: str
    timezone: str
    platform: str
    host: str
    releases: list[dict]

    @property
    def listing_url(self) -> str:
        """The first listing page, as the source list gives it."""
        return f"http://{self.host}{LISTING_PATHS[self.platform]}"

    def site(self) -> dict:
        """The site description `sitegen.demo_sites.render_site` takes."""
        return {
            "site": {
                "host": self.host,
                "platform": self.platform,
                "agency": self.name,
                "state": self.state,
                "timezone": self.timezone,
                "per_page": 10,
            },
            "release": self.releases,
        }


def _person(rng: random.Random) -> dict:
    female = rng.random() < 0.3
    first = rng.choice(FIRST[16:] if female else FIRST[:16])
    return {
        "first": first,
        "last": rng.choice(LAST),
        "age": rng.randint(18, 61),
        "town": rng.choice(TOWNS),
        "he": "She" if female else "He",
        "his": "Her" if female else "His",
    }


def _charges(rng: random.Random, with_statutes: bool) -> str:
    picked = rng.sample(CHARGES, rng.randint(1, 4))
    names = [f"{n} ({s})" if with_statutes else n for n, s in picked]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _bond(rng: random.Random, person: dict, court: str) -> str:
    amount = rng.choice((2_500, 7_500, 25_000, 50_000, 150_000, 500_000))
    return rng.choice(BONDS).format(amount=amount, court=court, **person)


def _incident(rng: random.Random, when: datetime) -> str:
    day = when - timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 12))
    style = rng.randrange(4)
    if style == 0:
        return f"On {day:%A, %B} {day.day}, {day.year}, at approximately {day:%H%M} hours"
    if style == 1:
        return f"At about {day.hour % 12 or 12}:{day:%M %p} on {day:%A, %B} {day.day}, {day.year}"
    if style == 2:
        return f"On {day:%m/%d/%y} at approximately {day:%H%M} hours"
    clock = f"{day.hour % 12 or 12}:{day:%M} {'a.m.' if day.hour < 12 else 'p.m.'}"
    return f"On {day:%b}. {day.day} at {clock}"


def _release(
    rng: random.Random, agency: str, officers: str, town: str, when: datetime, n: int
) -> dict:
    kinds = ("arrest", "pair", "accused", "juvenile", "crash", "notice")
    kind = rng.choices(kinds, (5, 2, 2, 1, 1, 1))[0]
    place = f"the {rng.randint(1, 40) * 100} block of {rng.choice(STREETS)}"
    opening = f"{_incident(rng, when)}, {officers} responded to {place}"
    court = f"{(when + timedelta(days=rng.randint(1, 9))):%A}"
    a, b = _person(rng), _person(rng)
    if kind == "arrest":
        title = f"Arrest Made After Disturbance on {place.split(' of ', 1)[1]}"
        body = (
            f"{opening} on a report of a disturbance. Officers located a suspect who matched the "
            f"description given by witnesses.\n\n{a['first']} {a['last']}, {a['age']}, of "
            f"{a['town']}, was arrested and charged with {_charges(rng, False)}. "
            f"{_bond(rng, a, court)}"
        )
    elif kind == "pair":
        title = f"Two Arrested Following Search Warrant in {town}"
        body = (
            f"{opening} to execute a search warrant. Detectives seized narcotics, a handgun and "
            f"${rng.randint(800, 9000):,} in U.S. currency.\n\n{a['first']} {a['last']}, "
            f"{a['age']}, of {a['town']}, was charged with {_charges(rng, True)}. "
            f"{_bond(rng, a, court)}\n\n{b['first']} {b['last']}, {b['age']}, of {b['town']}, "
            f"was charged with {_charges(rng, True)}. {_bond(rng, b, court)}"
        )
    elif kind == "accused":
        dob = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1965, 2004)}"
        title = f"Arrest Made in Robbery on {place.split(' of ', 1)[1]}"
        body = (
            f"{opening} on a report of a robbery. The victim, a {rng.randint(20, 80)}-year-old "
            f"male, was not injured.\n\nAccused: {a['last']}, {a['first']} {dob} of {a['town']}"
            f"\n\nCharges: {_charges(rng, True)}\n\n{_bond(rng, a, court)}"
        )
    elif kind == "juvenile":
        title = f"Juvenile Arrested After Vehicle Theft in {town}"
        body = (
            f"{opening} on a report of a stolen vehicle. Officers arrested a "
            f"{rng.randint(14, 17)}-year-old juvenile whose name is not being released.\n\n"
            f"The juvenile was charged with {_charges(rng, False)} and was released to a "
            "guardian."
        )
    elif kind == "crash":
        title = f"Police Investigating Serious Collision on {place.split(' of ', 1)[1]}"
        body = (
            f"{opening} on a report of a two-vehicle collision. A {rng.randint(19, 80)}-year-old "
            "driver was taken to an area hospital with serious injuries.\n\nThe other driver "
            "remained on scene and is cooperating with investigators. Anyone who witnessed the "
            "crash is asked to call the traffic unit at (555) 010-0400."
        )
    else:
        title = f"Community Meeting on Neighborhood Safety in {town}"
        body = (
            f"The {agency} invites residents to a community meeting on {court} evening at the "
            f"{town} Public Library.\n\n- Officers will discuss recent break-ins\n- Residents "
            "can register home cameras\n- Refreshments will be served"
        )
    return {
        "slug": f"release-{n}-{kind}",
        "title": title,
        "published": when.isoformat(),
        "body": body,
    }


def generate(n: int, seed: int = 6, per_agency: int = RELEASES_PER_AGENCY) -> list[Agency]:
    """`n` releases across ``max(4, n // per_agency)`` agencies (50 each by default), platforms
    in turn, one host each; deterministic for the same arguments."""
    rng = random.Random(seed)
    count = max(4, n // per_agency)
    agencies = []
    start = datetime(2025, 1, 6, 9, 0)
    for i in range(count):
        town = TOWNS[i % len(TOWNS)]
        state, tz = STATES[i % len(STATES)]
        platform = PLATFORMS[i % len(PLATFORMS)]
        sheriff = i % 5 == 4
        name = f"{town} County Sheriff's Office" if sheriff else f"{town} Police Department"
        slug = town.lower().replace(" ", "")
        ident = f"{slug}-{i}-{state.lower()}-{'so' if sheriff else 'pd'}"
        mine = n // count + (1 if i < n % count else 0)
        zone = ZoneInfo(tz)
        when = start + timedelta(hours=rng.randint(0, 48))
        releases = []
        for k in range(mine):
            when += timedelta(hours=rng.randint(14, 90), minutes=rng.randint(0, 59))
            officers = f"{town} County deputies" if sheriff else f"{town} Police officers"
            moment = when.replace(tzinfo=zone)
            releases.append(_release(rng, name, officers, town, moment, i * 10_000 + k))
        agencies.append(
            Agency(ident, name, state, tz, platform, f"police.{slug}{i}.test", releases)
        )
    return agencies


def write_site(agencies: list[Agency], root: Path) -> int:
    """Render every agency's site under ``root/<host>/``; return the number of files written."""
    files = 0
    for agency in agencies:
        for rel, content in render_site(agency.site()).items():
            path = root / agency.host / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            files += 1
    return files


def write_sources(agencies: list[Agency], path: Path) -> None:
    """A source list (TOML) for the generated agencies."""
    lines = ["# Generated by sitegen.bench_site for `make bench`.\n"]
    for a in agencies:
        lines.append(
            f'[[source]]\nid = "{a.id}"\nname = "{a.name}"\nstate = "{a.state}"\n'
            f'timezone = "{a.timezone}"\nplatform = "{a.platform}"\n'
            f'listing_url = "{a.listing_url}"\n'
        )
    path.write_text("\n".join(lines), encoding="utf-8")

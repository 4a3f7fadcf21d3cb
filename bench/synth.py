"""Synthetic commission-like transcripts for the scale benchmarks.

Each file is one meeting: a title line, a date line, then place sections — a place name, a
``Speakers:`` line (name, role; …), bullets, bullet sub-headings ending in ``:`` with bullets
under them — in the layout of the sample records, so the real ingest (readers → structure →
chunking) parses them. The vocabulary is varied (topics, places, people, figures) so BM25 and
the dense index see realistic term statistics rather than one repeated sentence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PLACES = ("North Cumbria", "Morecambe Bay", "Fylde Coast", "Pennine Lancashire",
          "Central Lancashire", "West Lancashire", "Blackpool", "Blackburn", "Burnley", "Preston",
          "Carlisle", "Barrow", "Kendal", "Lancaster", "Chorley", "Skelmersdale", "Workington",
          "Whitehaven", "Penrith", "Accrington", "Darwen", "Fleetwood", "Ormskirk", "Nelson",
          "Colne", "Rossendale", "Hyndburn", "Wyre", "Ribble Valley", "Eden", "Allerdale",
          "Copeland", "South Lakeland", "Pendle", "Lytham", "Heysham", "Morecambe", "Ulverston",
          "Keswick", "Garstang", "Clitheroe", "Maryport", "Millom", "Grange", "Leyland")
FIRST = ("Peter Leslie Colin Jeff Mike Steve Pauline Mark Tracy Henry Chloe Amira Sunita Kwame "
         "Grace Tom Rachel Imran Fatima Owen Bethan Declan Niamh Priya Joseph Ruth Alan Hannah "
         "Yusuf Megan Sam Aisha Liam Olivia Raj Zainab Neil Carol David Helen").split()
LAST = ("Rooney Jones Paterson Joliffe Thomas Fogg Wigglesworth Spencer Hopkins Pollock Dornack "
        "Khan Patel Mensah Okafor Walsh Murphy Evans Hughes Shah Begum Ali Clarke Lewis Wright "
        "Taylor Brown Wilson Davies Roberts Ahmed Hussain Nolan Kelly Byrne Reid Scott").split()
ROLES = ("Chief Executive", "Director of Public Health", "GP", "Medical Director",
         "Chair of the Place-Based Partnership", "Head of Community Services",
         "Public Health Consultant", "Development Director", "Chief Operating Officer",
         "Lead Nurse", "Head of Housing", "Director of Adult Social Care", "Youth Worker",
         "Councillor", "Programme Manager", "Chief Officer of the CVS")
TOPICS = ("housing", "transport", "mental health", "child poverty", "employment", "education",
          "obesity", "smoking", "alcohol", "loneliness", "digital exclusion", "fuel poverty",
          "maternity care", "dementia", "carers", "early years", "substance misuse",
          "domestic abuse", "food insecurity", "air quality", "physical activity",
          "social prescribing", "workforce", "data sharing", "prevention", "primary care",
          "hospital discharge", "A&E attendance", "cancer screening", "hypertension",
          "learning disability", "coastal communities", "rural isolation", "migrant health",
          "travelling communities", "veterans", "homelessness", "debt advice", "green space",
          "oral health")
VERBS = ("reduce", "improve", "invest in", "measure", "co-produce", "commission", "scale up",
         "protect", "prioritise", "integrate", "fund", "evaluate", "share data on", "target")
GROUPS = ("young people", "older people", "families on low incomes", "ethnic minority "
          "communities", "people with disabilities", "unpaid carers", "rural residents",
          "people in the most deprived wards", "men in coastal towns", "new parents")
SENTENCES = (
    "{place} has some of the highest rates of {topic} in the region, well above the national "
    "average",
    "The partnership wants to {verb} {topic} services for {group} over the next {n} years",
    "{n}% of {group} in {place} report problems with {topic}, compared with {m}% across the ICS",
    "Funding for {topic} is short-term, which makes it hard to {verb} anything for {group}",
    "Staff described {topic} as the main barrier for {group} trying to reach services",
    "A pilot in {place} cut waiting times for {topic} support by {n}% within a year",
    "Community organisations in {place} lead the work on {topic} with {group}",
    "There is no shared dataset on {topic}, so the system cannot {verb} outcomes for {group}",
    "Residents asked the panel to {verb} {topic} before building new structures",
    "{topic} and {topic2} are linked: action on one needs action on the other",
)
SUBHEADINGS = ("Key priorities for the area:", "Ask of the panel:", "Key recommendations:",
               "What is working:", "Barriers:", "Next steps:", "Evidence presented:")


PASSAGES_PER_SECTION = 3.4  # measured: chunks per generated place section (default chunker)


@dataclass(frozen=True)
class Corpus:
    files: int
    sections: int  # place sections written (each parses to one leaf section)
    bytes: int


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}, {rng.choice(ROLES)}"


def _sentence(rng: random.Random, place: str) -> str:
    t1, t2 = rng.sample(TOPICS, 2)
    return rng.choice(SENTENCES).format(place=place, topic=t1, topic2=t2, verb=rng.choice(VERBS),
                                        group=rng.choice(GROUPS), n=rng.randint(2, 60),
                                        m=rng.randint(2, 60))


def _section(rng: random.Random, place: str) -> list[str]:
    lines = [place, "Speakers: " + "; ".join(_person(rng) for _ in range(rng.randint(1, 3)))]
    lines += [f"· {_sentence(rng, place)}" for _ in range(rng.randint(1, 3))]
    for _ in range(rng.randint(0, 1)):
        lines.append(f"· {rng.choice(SUBHEADINGS)}")
        lines += [f"· {_sentence(rng, place)}" for _ in range(rng.randint(1, 3))]
    return lines


def meeting_text(rng: random.Random, n_sections: int, day: date, number: int) -> str:
    topic = rng.choice(TOPICS)
    lines = [f"Health Equity Commission Panel Meeting {number}: evidence on {topic}",
             f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"]
    places = rng.sample(PLACES, min(n_sections, len(PLACES)))
    while len(places) < n_sections:  # more sections than place names: number them
        places.append(f"{rng.choice(PLACES)} {len(places) + 1}")
    for place in places:
        lines += _section(rng, place) + [""]
    return "\n".join(lines) + "\n"


def write_corpus(out: Path, sections: int, seed: int = 0, per_file: int = 25) -> Corpus:
    """Write about ``sections`` place sections as meetings of ``per_file`` sections each."""
    if sections < 1:
        raise ValueError("sections must be at least 1")
    if per_file < 1:
        raise ValueError("per_file must be at least 1")
    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    day, written, files, size = date(2019, 1, 7), 0, 0, 0
    while written < sections:
        n = min(per_file, sections - written)
        text = meeting_text(rng, n, day, files + 1)
        path = out / f"{day.isoformat()}_synthetic-meeting-{files + 1:05d}.txt"
        path.write_text(text, encoding="utf-8")
        size += len(text.encode())
        written += n
        files += 1
        day += timedelta(days=7 if files % 3 else 1)
    return Corpus(files, written, size)

"""A synthetic knowledge base of realistic shape, for benchmarks and scale tests.

Usage::

    python -m scripts.synth --entities 1000 --out bench-output/data [--seed 1]

It writes a data/ folder with the same layout and schemas as the real one:
people with several roles (current, former, announced), a hierarchy of units
(some with a former parent), events (reorganizations with original and
resulting units, formations, appointments, departures, hires,
announcements; dated with day, month or year precision, placed relative to
another event, or undated), sources with archived texts (and the sha256 of
each), claims of the three kinds whose quotes really occur in the texts, and
discrepancies where two sources give different dates for one event.

Every sentence of every archived text is either quoted by a claim or listed
under the source's `no_claim` with a reason, so the result passes
`python -m scripts.kb --data <out> validate` with no problem. The same
`--entities` and `--seed` give the same bytes.

"Entities" are people, units and events (the records with entity pages);
sources and discrepancies come on top: about one source per eight entities
and one discrepancy per hundred.
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from macros.kb.kinds import FOLDERS
from macros.kb.load import slug
from macros.kb.quotes import normalize_with_offsets, split_sentences

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "schemas"
MODELINE = "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"

GIVEN_SYLLABLES = (
    "an",
    "bo",
    "chen",
    "da",
    "fang",
    "gang",
    "hai",
    "hong",
    "hua",
    "jia",
    "jian",
    "jie",
    "jun",
    "kai",
    "lan",
    "lei",
    "li",
    "lin",
    "ling",
    "long",
    "mei",
    "min",
    "ming",
    "na",
    "ning",
    "peng",
    "qi",
    "qiang",
    "rong",
    "rui",
    "shan",
    "tao",
    "ting",
    "wei",
    "wen",
    "xin",
    "xiu",
    "yan",
    "yang",
    "yi",
    "ying",
    "yong",
    "yu",
    "yun",
    "zhen",
    "zhi",
)
FAMILY_NAMES = (
    "Zhang",
    "Wang",
    "Li",
    "Zhao",
    "Chen",
    "Yang",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
    "Liang",
    "Song",
    "Zheng",
    "Xie",
    "Han",
    "Tang",
    "Feng",
    "Yu",
    "Dong",
    "Xiao",
    "Cheng",
    "Cao",
    "Yuan",
    "Deng",
    "Fu",
    "Shen",
    "Zeng",
    "Peng",
    "Lu",
    "Su",
    "Jiang",
    "Cai",
    "Jia",
    "Ding",
    "Wei",
    "Xue",
    "Ye",
    "Yan",
    "Pan",
    "Du",
    "Dai",
    "Xia",
    "Zhong",
    "Tian",
    "Ren",
    "Fan",
    "Fang",
    "Shi",
    "Yao",
    "Tan",
    "Liao",
    "Zou",
    "Xiong",
    "Jin",
    "Hao",
    "Kong",
    "Bai",
    "Cui",
    "Kang",
    "Mao",
    "Qiu",
    "Qin",
    "Gu",
    "Hou",
    "Shao",
    "Meng",
    "Long",
    "Wan",
    "Duan",
    "Lei",
    "Qian",
    "Tang",
    "Yin",
    "Yi",
    "Chang",
    "Wen",
    "Niu",
    "Hong",
    "Fu",
    "Mo",
    "Lai",
    "Gong",
)
COMPANIES = (
    "Orion",
    "Meridian",
    "Aurora",
    "Cobalt",
    "Summit",
    "Harbor",
    "Lumen",
    "Vertex",
    "Zenith",
    "Nimbus",
    "Atlas",
    "Beacon",
    "Cascade",
    "Delta",
    "Ember",
    "Falcon",
    "Granite",
    "Horizon",
    "Iris",
    "Juniper",
)
PLACES = (
    "Hangzhou",
    "Beijing",
    "Shanghai",
    "Shenzhen",
    "Singapore",
    "Seattle",
    "Chengdu",
    "Wuhan",
    "Nanjing",
    "Xian",
    "Suzhou",
    "Guangzhou",
    "Tianjin",
    "Hefei",
    "Dalian",
    "Xiamen",
    "Qingdao",
    "Kunming",
    "Harbin",
    "Changsha",
    "Paris",
    "London",
    "Tokyo",
    "Seoul",
    "Dubai",
    "Sydney",
    "Toronto",
    "Berlin",
    "Zurich",
    "Munich",
)
AREAS = (
    "Cloud",
    "Intelligence",
    "Model",
    "Data",
    "Token",
    "Foundation",
    "Search",
    "Commerce",
    "Vision",
    "Speech",
    "Robotics",
    "Agent",
    "Compute",
    "Language",
    "Reasoning",
    "Security",
    "Maps",
    "Health",
    "Finance",
    "Media",
)
FUNCTIONS = (
    "Research",
    "Platform",
    "Applications",
    "Infrastructure",
    "Systems",
    "Services",
    "Products",
    "Engineering",
    "Training",
    "Evaluation",
)
UNIT_TYPES = (
    ("Division", "division"),
    ("Lab", "laboratory"),
    ("Laboratory", "laboratory"),
    ("Institute", "institute"),
    ("Platform", "platform"),
    ("Team", "team"),
    ("Task Force", "task-force"),
    ("Business Group", "business-group"),
    ("Business", "business"),
)
KIND_WORDS = {
    "division": "division",
    "laboratory": "laboratory",
    "institute": "research institute",
    "platform": "platform",
    "team": "team",
    "task-force": "task force",
    "business-group": "business group",
    "business": "business",
    "company": "company",
}
ROLES = (
    "Head",
    "Vice President",
    "Chief Technology Officer",
    "General Manager",
    "Chief Scientist",
    "Director of Research",
    "Technical Lead",
    "Product Lead",
    "Head of Engineering",
    "Senior Research Scientist",
    "Chief Operating Officer",
    "President",
    "Head of Strategy",
    "Principal Engineer",
)
TOPICS = (
    "large language models",
    "post-training methods",
    "model evaluation",
    "speech recognition",
    "recommendation systems",
    "AI agents",
    "inference efficiency",
    "multimodal models",
    "data centers",
    "chip design",
    "developer tools",
    "model safety",
    "search ranking",
    "autonomous driving",
    "machine translation",
    "code generation",
    "enterprise software",
    "cloud pricing",
    "open-source models",
    "token economics",
)
GOALS = (
    "speed up product launches",
    "cut duplicated work",
    "bring research closer to customers",
    "reduce the cost of training",
    "simplify reporting lines",
    "focus resources on fewer projects",
    "strengthen collaboration between teams",
    "shorten the path from research to product",
)
FIRMS = (
    "Morrow Research",
    "Keystone Analytics",
    "Bright Harbor Securities",
    "Northwind Capital",
    "Pillar Insights",
    "Tidewater Partners",
    "Lantern Advisory",
    "Copperleaf Research",
)
PUBLISHERS = (
    "Tech Daily Report",
    "The Business Ledger",
    "Global Markets Wire",
    "Asia Tech Review",
    "Silicon Courier",
    None,
)
SOURCE_KINDS = ("news-report", "news-report", "news-report", "press-release", "analysis", "interview", "filing")
EXTERNAL = (
    "a rival search company",
    "a university laboratory",
    "an overseas research group",
    "a chip maker",
    "a robotics start-up",
)


@dataclass
class Citation:
    source: int
    quote: str
    sentence: int  # index of the sentence in the source it must land in


@dataclass
class SourceText:
    index: int
    id: str = ""
    sentences: list[str] = field(default_factory=list)
    keys: dict[str, int] = field(default_factory=dict)

    def say(self, sentence: str) -> int:
        """Add a sentence (once: the same words again are the same sentence); its index."""
        if sentence not in self.keys:
            self.keys[sentence] = len(self.sentences)
            self.sentences.append(sentence)
        return self.keys[sentence]


def _date_words(year: int, month: int | None, day: int | None) -> str:
    if day:
        return f"{calendar.month_name[month]} {day}, {year}"
    if month:
        return f"{calendar.month_name[month]} {year}"
    return str(year)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


class Generator:
    def __init__(self, entities: int, seed: int):
        if entities < 10:
            raise ValueError("at least 10 entities are needed")
        self.rng = random.Random(seed)
        self.n = entities
        self.n_units = max(4, round(entities * 0.3))
        self.n_people = max(3, round(entities * 0.4))
        self.n_events = entities - self.n_units - self.n_people
        self.n_sources = max(2, -(-entities // 8))
        self.sources = [SourceText(i) for i in range(self.n_sources)]
        self.records: dict[str, list[dict]] = {kind: [] for kind in FOLDERS}
        self.used_ids: set[str] = set()
        self.cites: list[tuple[dict, Citation]] = []  # (the citation dict written to YAML, where it must land)
        self.citation_of: dict[int, Citation] = {}

    # -- helpers ----------------------------------------------------------

    def new_id(self, base: str) -> str:
        base = base[:60].strip("-") or "record"
        candidate, number = base, 2
        while candidate in self.used_ids:
            candidate, number = f"{base}-{number}", number + 1
        self.used_ids.add(candidate)
        return candidate

    def home(self) -> int:
        return self.rng.randrange(self.n_sources)

    def other_source(self, source: int) -> int:
        other = self.rng.randrange(self.n_sources - 1)
        return other + 1 if other >= source else other

    def cite(self, source: int, sentence: str, quote: str | None = None) -> list[dict]:
        """Say `sentence` in `source` and cite `quote` (a part of it; the whole sentence by default)."""
        quote = quote if quote is not None else sentence
        assert quote in sentence, (quote, sentence)
        text = self.sources[source]
        index = text.say(sentence)
        # Quotes use plain apostrophes; the archived text keeps the typographic ones.
        item = {"source": "", "quote": quote.replace("\u2019", "'")}
        self.cites.append((item, Citation(source, quote, index)))
        self.citation_of[id(item)] = self.cites[-1][1]
        return [item]

    def date(self, start_year: int = 2023, end_year: int = 2026) -> tuple[int, int, int]:
        year = self.rng.randint(start_year, end_year)
        month = self.rng.randint(1, 12)
        return year, month, self.rng.randint(1, calendar.monthrange(year, month)[1])

    def person_name(self) -> tuple[str, str]:
        while True:
            given = "".join(self.rng.choice(GIVEN_SYLLABLES) for _ in range(2)).capitalize()
            family = self.rng.choice(FAMILY_NAMES)
            name = f"{given} {family}"
            if name not in self.names:
                self.names.add(name)
                return name, f"{family} {given}"

    def unit_name(self, type_name: str) -> str:
        while True:
            name = f"{self.rng.choice(PLACES)} {self.rng.choice(AREAS)} {self.rng.choice(FUNCTIONS)} {type_name}"
            if name not in self.names:
                self.names.add(name)
                return name

    # -- generation ---------------------------------------------------------

    def generate(self) -> None:
        self.names: set[str] = set()
        self.make_units()
        self.make_people()
        self.make_events()
        self.make_discrepancies()
        self.make_sources()

    def make_units(self) -> None:
        rng = self.rng
        roots = max(1, self.n_units // 60)
        self.units: list[dict] = []
        for i in range(self.n_units):
            source = self.home()
            if i < roots:
                name = f"{COMPANIES[i % len(COMPANIES)]} Group" + (
                    f" {i // len(COMPANIES) + 1}" if i >= len(COMPANIES) else ""
                )
                kind = "company"
                sentence = f"{name} is a technology company based in {rng.choice(PLACES)}."
                record = {
                    "id": self.new_id(slug(name, 8)),
                    "name": name,
                    "kind": kind,
                    "cite": self.cite(source, sentence, f"{name} is a technology company"),
                }
            else:
                type_name, kind = rng.choice(UNIT_TYPES)
                name = self.unit_name(type_name)
                parent = self.units[rng.randrange(max(0, i - 40) if rng.random() < 0.7 else 0, i)]
                sentence = f"The {name} is {_article(KIND_WORDS[kind])} of the {parent['name']}."
                record = {
                    "id": self.new_id(slug(name, 8)),
                    "name": name,
                    "kind": kind,
                    "cite": self.cite(source, sentence, f"{name} is {_article(KIND_WORDS[kind])}"),
                }
                parents = [{"unit": parent["id"], "status": "current", "cite": self.cite(source, sentence)}]
                if i > roots + 1 and rng.random() < 0.1:
                    old = self.units[rng.randrange(0, i)]
                    if old["id"] != parent["id"]:
                        year, month, _ = self.date(2023, 2025)
                        line = f"Until {_date_words(year, month, None)}, the {name} was part of the {old['name']}."
                        parents.append(
                            {
                                "unit": old["id"],
                                "end": _iso(year, month),
                                "status": "former",
                                # The quote holds the date it supports.
                                "cite": self.cite(self.other_source(source), line, line.rstrip(".")),
                            }
                        )
                record["parents"] = parents
            if kind != "company" and rng.random() < 0.2:
                alias = "".join(word[0] for word in name.split()) + " unit"
                record["other_names"] = [
                    {
                        "name": alias,
                        "cite": self.cite(
                            source, f"Staff call the {name} the {alias}.", f"Staff call the {name} the {alias}"
                        ),
                    }
                ]
            statements = []
            if rng.random() < 0.6:
                line = f"The {name} employs about {rng.randint(2, 90) * 50:,} people in {rng.choice(PLACES)}."
                statements.append({"text": line, "cite": self.cite(source, line)})
            if rng.random() < 0.3:
                topic = rng.choice(TOPICS)
                line = f"Observers expect the {name} to play a larger role in {topic}."
                statements.append(
                    {
                        "kind": "analysis",
                        "text": f"Observers expect the {name} to play a larger role in {topic}.",
                        "attribution": "Observers",
                        "cite": self.cite(source, line),
                    }
                )
            if statements:
                record["statements"] = statements
            record["_source"] = source
            self.units.append(record)
        self.records["unit"] = self.units

    def make_people(self) -> None:
        rng = self.rng
        self.people: list[dict] = []
        for _ in range(self.n_people):
            source = self.home()
            name, alias = self.person_name()
            record = {"id": self.new_id(slug(name, 4)), "name": name}
            roles = []
            for number in range(rng.choice((1, 2, 2, 3, 3, 4))):
                roles.append(self.role(name, source if number == 0 else rng.choice((source, self.home()))))
            record["cite"] = self.cite(*roles[0].pop("_name"))
            for role in roles[1:]:
                role.pop("_name")
            if rng.random() < 0.3:
                line = f"{name}, whose name is also written {alias}, joined the company in {rng.randint(2005, 2024)}."
                record["other_names"] = [
                    {"name": alias, "cite": self.cite(source, line, f"whose name is also written {alias}")}
                ]
            record["roles"] = roles
            statements = []
            unit = self.units[rng.randrange(len(self.units))]
            topic = rng.choice(TOPICS)
            if rng.random() < 0.7:
                line = f"{name} leads a team of {rng.randint(5, 400)} researchers at the {unit['name']} working on {topic}."
                statements.append({"text": line, "mentions": [unit["id"]], "cite": self.cite(source, line)})
            if rng.random() < 0.5:
                line = (
                    f"{name} told employees that {topic} would remain the {unit['name']}\u2019s top priority this year."
                )
                statements.append(
                    {
                        "kind": "attributed",
                        "text": f"{topic.capitalize()} will remain the {unit['name']}'s top priority this year.",
                        "said_by": record["id"],
                        "mentions": [unit["id"]],
                        "cite": self.cite(source, line, line[: -len(" this year.")]),
                    }
                )
            if rng.random() < 0.35:
                firm = rng.choice(FIRMS)
                line = f"Analysts at {firm} suggest that {name}\u2019s appointment could speed up work on {topic}."
                statements.append(
                    {
                        "kind": "analysis",
                        "text": line.replace("\u2019", "'"),
                        "attribution": f"Analysts at {firm}",
                        "cite": self.cite(source, line),
                    }
                )
            if statements:
                record["statements"] = statements
            record["_source"] = source
            self.people.append(record)
        self.records["person"] = self.people

    def role(self, name: str, source: int) -> dict:
        rng = self.rng
        title = rng.choice(ROLES)
        unit = self.units[rng.randrange(len(self.units))]
        where = f"{title} of the {unit['name']}"
        status = rng.choices(("current", "former", "announced"), (6, 3, 1))[0]
        role: dict = {"role": title, "unit": unit["id"]}
        if status == "current":
            form = rng.randrange(3)
            if form == 0:
                year, month, _ = self.date(2020, 2026)
                sentence = f"{name} was appointed {where} in {_date_words(year, month, None)}."
                role["start"] = _iso(year, month)
                quote, name_quote = sentence, f"{name} was appointed"  # the quote holds the date it supports
            elif form == 1:
                year, month, day = self.date(2020, 2026)
                sentence = f"{name} became {where} on {_date_words(year, month, day)}."
                role["start"] = _iso(year, month, day)
                quote, name_quote = sentence, f"{name} became {title}"
            else:
                sentence = f"{name} serves as {where}."
                quote, name_quote = sentence, f"{name} serves as"
        elif status == "former":
            start = rng.randint(2012, 2020)
            year, month, _ = self.date(2021, 2026)
            sentence = f"{name} was {where} from {start} to {_date_words(year, month, None)}."
            role.update(start=str(start), end=_iso(year, month))
            quote, name_quote = sentence, f"{name} was {title}"
        else:
            year, month, _ = self.date(2026, 2027)
            sentence = f"{name} will take over as {where} in {_date_words(year, month, None)}."
            role["start"] = _iso(year, month)
            quote, name_quote = sentence, f"{name} will take over"
        role["status"] = status
        role["cite"] = self.cite(source, sentence, quote)
        role["_name"] = (source, sentence, name_quote)
        if rng.random() < 0.25 and status == "current":
            other = self.other_source(source)
            line = f"{name}, {where}, confirmed the change in a memo to staff."
            role["cite"] += self.cite(other, line, f"{name}, {where}")
        return role

    def make_events(self) -> None:
        rng = self.rng
        self.events: list[dict] = []
        companies = [u for u in self.units if u["kind"] == "company"]
        units = [u for u in self.units if u["kind"] != "company"] or self.units
        for _i in range(self.n_events):
            source = self.home()
            company = rng.choice(companies)["name"]
            kind = rng.choices(
                ("reorganization", "formation", "appointment", "departure", "hire", "announcement"), (10, 3, 3, 2, 2, 2)
            )[0]
            topic = rng.choice(TOPICS)
            record: dict = {}
            people = rng.sample(self.people, k=rng.choice((1, 1, 2)))
            # When: a day, a month, a year, relative to an earlier event of the same source, or not at all.
            timing = rng.choices(("day", "month", "year", "relative", "none"), (12, 5, 1, 3, 1))[0]
            earlier = [e for e in self.events[-200:] if e["_source"] == source]
            if timing == "relative" and not earlier:
                timing = "day"
            year, month, day = self.date(2024, 2026)
            lead = {
                "day": f"On {_date_words(year, month, day)}, ",
                "month": f"In {_date_words(year, month, None)}, ",
                "year": f"In {year}, ",
                "relative": "Earlier in the month, ",
                "none": "",
            }[timing]
            if kind == "reorganization":
                before = rng.sample(units, k=min(len(units), rng.choice((1, 2, 2, 3))))
                after = [u for u in rng.sample(units, k=min(len(units), rng.choice((1, 1, 2)))) if u not in before]
                after = after or [u for u in units if u not in before][:1]
                olds = " and the ".join(u["name"] for u in before)
                result = after[0]  # a merger has one result
                action = f"{company} merged the {olds} into the {result['name']}"
                title = f"{company} merges the {olds} into the {result['name']}"
                change = {"change": "merger", "units": [u["id"] for u in before], "into": result["id"]}
            elif kind == "formation":
                unit = rng.choice(units)
                action = f"{company} formed the {unit['name']} to coordinate work on {topic}"
                title = f"{company} forms the {unit['name']}"
                change = {"change": "formation", "units": [unit["id"]]}
            elif kind == "appointment":
                unit = rng.choice(units)
                action = f"{company} named {people[0]['name']} to lead the {unit['name']}"
                title = f"{people[0]['name']} named to lead the {unit['name']}"
            elif kind == "departure":
                unit = rng.choice(units)
                action = f"{people[0]['name']} left the {unit['name']} after {rng.randint(2, 15)} years"
                title = f"{people[0]['name']} leaves the {unit['name']}"
            elif kind == "hire":
                action = (
                    f"{company} hired {people[0]['name']}, a former researcher at {rng.choice(EXTERNAL)}, "
                    f"to lead work on {topic}"
                )
                title = f"{company} hires {people[0]['name']}"
            else:
                unit = rng.choice(units)
                action = f"{company} told staff that the {unit['name']} would expand its work on {topic}"
                title = f"{company} announces an expansion of the {unit['name']}"
            sentence = (
                lead + action[0].lower() + action[1:] if lead and not action[0].isupper() else lead + action
            ) + "."
            if kind in ("reorganization", "formation"):
                # Only events that restructure units list changes; the sentence reports them as done.
                record["changes"] = [{**change, "status": "done", "cite": self.cite(source, sentence, action)}]
            record = {
                "id": self.new_id(slug(title, 10)),
                "title": title,
                "kind": kind,
                "summary": action + ".",
                "cite": self.cite(source, sentence, action),
                **record,
            }
            if timing != "none":
                when: dict = {}
                if timing in ("day", "month", "year"):
                    when["date"] = _iso(year, month if timing != "year" else None, day if timing == "day" else None)
                else:
                    anchor = rng.choice(earlier)
                    when.update(relation="before", event=anchor["id"], phrase="earlier in the month")
                when["cite"] = self.cite(source, sentence, lead + action.split(" the ")[0])
                record["when"] = when
                record["_when"] = (year, month, day, timing)
            record["people"] = [p["id"] for p in people]
            statements = []
            if rng.random() < 0.6:
                speaker = people[0]
                goal = rng.choice(GOALS)
                line = f"{speaker['name']} said the {kind} would {goal}."
                statements.append(
                    {
                        "kind": "attributed",
                        "text": f"The {kind} will {goal}.",
                        "said_by": speaker["id"],
                        "cite": self.cite(source, line),
                    }
                )
            if rng.random() < 0.3:
                firm = rng.choice(FIRMS)
                line = f"Analysts at {firm} suggest that {company}\u2019s move could reshape the market for {topic}."
                statements.append(
                    {
                        "kind": "analysis",
                        "text": line.replace("\u2019", "'"),
                        "attribution": f"Analysts at {firm}",
                        "cite": self.cite(source, line),
                    }
                )
            if rng.random() < 0.3:
                mention = rng.choice(units)
                line = f"The changes also touch the teams around the {mention['name']}, according to a memo seen by reporters."
                statements.append({"text": line, "mentions": [mention["id"]], "cite": self.cite(source, line)})
            if statements:
                record["statements"] = statements
            record["_source"] = source
            self.events.append(record)
        self.records["event"] = self.events

    def make_discrepancies(self) -> None:
        rng = self.rng
        dated = [e for e in self.events if e.get("_when", (0, 0, 0, ""))[3] == "day"]
        count = min(len(dated), max(1, self.n // 100))
        self.discrepancies: list[dict] = []
        for event in rng.sample(dated, k=count):
            year, month, day, _ = event["_when"]
            other_day = day + 1 if day < 28 else day - 1
            source = event["_source"]
            other = self.other_source(source)
            line = f"The source close to the matter dated the event \u201c{event['title']}\u201d to {_date_words(year, month, other_day)}, a day away from other reports."
            self.discrepancies.append(
                {
                    "id": self.new_id(f"date-of-{event['id']}"[:60]),
                    "question": f"On which day did this happen: {event['title']}?",
                    "status": "open",
                    "subjects": [event["id"]],
                    "accounts": [
                        {
                            "source": source,
                            "answer": _date_words(year, month, day),
                            "cite": [dict(event["when"]["cite"][0])],
                        },
                        {
                            "source": other,
                            "answer": _date_words(year, month, other_day),
                            "cite": self.cite(
                                other,
                                line,
                                f"dated the event \u201c{event['title']}\u201d to "
                                f"{_date_words(year, month, other_day)}",
                            ),
                        },
                    ],
                    "note": "The two sources give different days for the same event; nothing in either text says "
                    "which is right.",
                }
            )
            # The copied citation lands on the same sentence as the event's own.
            original = self.citation_of[id(event["when"]["cite"][0])]
            self.cites.append((self.discrepancies[-1]["accounts"][0]["cite"][0], original))
        self.records["discrepancy"] = self.discrepancies

    def make_sources(self) -> None:
        rng = self.rng
        for text in self.sources:
            main_unit = rng.choice(self.units)["name"]
            company = rng.choice([u for u in self.units if u["kind"] == "company"])["name"]
            title = f"{company} reshuffles the {main_unit} and names new leaders"
            text.id = self.new_id(f"report-{text.index + 1:05d}-" + slug(title, 6))
            text.title = title
        for item, citation in self.cites:
            item["source"] = self.sources[citation.source].id
        for discrepancy in self.discrepancies:
            for account in discrepancy["accounts"]:
                account["source"] = self.sources[account["source"]].id

    # -- output -------------------------------------------------------------

    def archive_of(self, text: SourceText) -> tuple[str, list[dict]]:
        """The archived text (paragraphs, headings, a closing note) and its no_claim entries."""
        rng = random.Random(text.index)
        lines: list[str] = []
        no_claim: list[dict] = []
        index = 0
        while index < len(text.sentences):
            if index and rng.random() < 0.3:
                heading = f"Part {len(no_claim) + 2} of the report"
                lines.append(heading)
                no_claim.append({"quote": heading, "reason": "Section heading."})
            take = rng.randint(2, 5)
            lines.append(" ".join(text.sentences[index : index + take]))
            index += take
        closing = "This report is based on company announcements and on staff memos seen by the publisher."
        lines.append(closing)
        no_claim.append(
            {"quote": closing, "reason": "How the article was reported: no claim about people, units or events."}
        )
        return "\n".join(lines) + "\n", no_claim

    def write(self, out: Path) -> dict:
        if out.exists():
            shutil.rmtree(out)
        for folder in FOLDERS.values():
            (out / folder).mkdir(parents=True)
        shutil.copytree(SCHEMA_DIR, out / "schemas")
        stats = {"sources": 0, "uncovered_fixed": 0}
        quotes: dict[int, list[str]] = {text.index: [] for text in self.sources}
        for _, citation in self.cites:
            quotes[citation.source].append(citation.quote)
        for text in self.sources:
            archive, no_claim = self.archive_of(text)
            stats["uncovered_fixed"] += self.check_coverage(text, archive, quotes[text.index], no_claim)
            raw = archive.encode("utf-8")
            name = f"{text.id}.txt"
            (out / "sources" / name).write_bytes(raw)
            rng = random.Random(f"source-{text.index}")
            publisher = rng.choice(PUBLISHERS)
            published = self.date_for(rng)
            record = {
                "id": text.id,
                "title": text.title,
                "kind": rng.choice(SOURCE_KINDS),
                "publisher": publisher,
                "author": None,
                "url": f"https://example.com/news/{text.id}" if publisher else None,
                "published": published,
                "archive": name,
                "sha256": hashlib.sha256(raw).hexdigest(),
                "no_claim": no_claim,
            }
            if not publisher:
                record["notes"] = "Synthetic: the text came without a publisher or an address."
            self.dump(out, "source", record)
            stats["sources"] += 1
        for kind in ("unit", "person", "event", "discrepancy"):
            for record in self.records[kind]:
                self.dump(out, kind, {k: v for k, v in record.items() if not k.startswith("_")})
        stats.update(
            entities=self.n,
            people=len(self.people),
            units=len(self.units),
            events=len(self.events),
            discrepancies=len(self.discrepancies),
            citations=len(self.cites),
        )
        return stats

    @staticmethod
    def date_for(rng: random.Random) -> str | None:
        choice = rng.random()
        if choice < 0.2:
            return None
        year, month = rng.randint(2024, 2026), rng.randint(1, 12)
        if choice < 0.4:
            return _iso(year, month)
        return _iso(year, month, rng.randint(1, 28))

    @staticmethod
    def check_coverage(text: SourceText, archive: str, quotes: list[str], no_claim: list[dict]) -> int:
        """Make sure every sentence is accounted for as the validator sees it (first match of each quote);
        a sentence left over (a quote that also occurs earlier) is listed under no_claim."""
        normal = normalize_with_offsets(archive)
        spans = [normal.span(quote) for quote in quotes]
        spans += [normal.span(n["quote"]) for n in no_claim]
        if any(span is None for span in spans):
            raise AssertionError(f"a quote of {text.id} is not in its text")
        uncovered = 0
        for start, end in split_sentences(archive):
            if not any(s < end and e > start for s, e in spans):
                no_claim.insert(
                    -1, {"quote": archive[start:end], "reason": "Repeats a passage quoted elsewhere in the article."}
                )
                uncovered += 1
        return uncovered

    def dump(self, out: Path, kind: str, record: dict) -> None:
        body = yaml.dump(
            record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
        )
        path = out / FOLDERS[kind] / f"{record['id']}.yml"
        path.write_text(MODELINE.format(kind=kind) + body, encoding="utf-8", newline="\n")


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data) -> bool:
        return True


def generate(entities: int, out: Path, seed: int = 1) -> dict:
    """Write a synthetic data/ folder of `entities` people, units and events to `out`; return counts."""
    generator = Generator(entities, seed)
    generator.generate()
    return generator.write(Path(out))


_TEXT_LINE = re.compile(r"^((?:- |  )text: )([A-Za-z][^\n]*)$", re.M)


def make_history(root: Path, commits: int, seed: int = 1) -> list[str]:
    """Make `root` (which holds a data/ folder) a git repository with `commits` commits: the data as it
    is, then each commit with the texts of one to three statements edited (records chosen at random,
    the same ones for the same seed). Dated an hour apart from 2025-01-01, by a fixed author: the
    same arguments give the same commit ids. Returns them, oldest first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="Synth",
        GIT_AUTHOR_EMAIL="synth@example.com",
        GIT_COMMITTER_NAME="Synth",
        GIT_COMMITTER_EMAIL="synth@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )

    def git(*args: str, hour: int = 0) -> str:
        date = f"{1735689600 + 3600 * hour} +0000"  # 2025-01-01T00:00:00Z, plus `hour` hours
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            env={**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    git("init", "-q", "-b", "main")
    git("add", "data")
    git("commit", "-q", "-m", "The synthetic knowledge base", hour=0)
    ids = [git("rev-parse", "HEAD")]
    files = sorted(p for p in (root / "data").glob("*/*.yml") if _TEXT_LINE.search(p.read_text(encoding="utf-8")))
    if not files:
        raise ValueError("no statement to edit: the knowledge base is too small for a history")
    rng = random.Random(f"history-{seed}")
    for number in range(1, commits):
        for path in rng.sample(files, min(len(files), rng.randint(1, 3))):
            text = path.read_text(encoding="utf-8")
            line = rng.choice(list(_TEXT_LINE.finditer(text)))
            edited = f"{line.group(1)}{line.group(2).rstrip('.')} (revision {number})."
            path.write_text(text[: line.start()] + edited + text[line.end() :], encoding="utf-8")
        git("commit", "-q", "-a", "-m", f"Revision {number}", hour=number)
        ids.append(git("rev-parse", "HEAD"))
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1000, help="people, units and events to make (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="the data folder to write (replaced if it exists)")
    args = parser.parse_args(argv)
    stats = generate(args.entities, args.out, args.seed)
    print(" ".join(f"{k}={v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

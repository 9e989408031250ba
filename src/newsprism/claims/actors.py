"""Which side a source speaks for: countries named directly, by demonym, or by seat of government.

A small gazetteer of general knowledge (not of any one story): country -> demonyms, capitals and
institutions that metonymically stand for its government ("the Kremlin", "Kyiv").
"""

from __future__ import annotations

import re

_COUNTRIES = """
Russia|Russian|Russians|Moscow|Kremlin|Russian Federation
Ukraine|Ukrainian|Ukrainians|Kyiv|Kiev
United States|US|U.S.|USA|U.S.A.|America|American|Americans|Washington|White House|Pentagon|State Department
United Kingdom|UK|U.K.|Britain|British|London|Downing Street
North Korea|North Korean|North Koreans|Pyongyang|DPRK
South Korea|South Korean|South Koreans|Seoul
China|Chinese|Beijing
Japan|Japanese|Tokyo
India|Indian|New Delhi
Pakistan|Pakistani|Islamabad
Iran|Iranian|Tehran
Iraq|Iraqi|Baghdad
Israel|Israeli|Israelis|Jerusalem|IDF
Palestine|Palestinian|Palestinians|Ramallah|Palestinian Authority
Syria|Syrian|Damascus
Lebanon|Lebanese|Beirut
Turkey|Turkish|Turkiye|Türkiye|Ankara
Egypt|Egyptian|Cairo
Saudi Arabia|Saudi|Riyadh
Qatar|Qatari|Doha
Yemen|Yemeni|Sanaa
France|French|Paris|Elysee|Élysée
Germany|German|Berlin
Italy|Italian|Rome
Spain|Spanish|Madrid
Poland|Polish|Warsaw
Belarus|Belarusian|Minsk
Moldova|Moldovan|Chisinau
Georgia|Georgian|Tbilisi
Armenia|Armenian|Yerevan
Azerbaijan|Azerbaijani|Baku
Hungary|Hungarian|Budapest
Canada|Canadian|Ottawa
Mexico|Mexican|Mexico City
Brazil|Brazilian|Brasilia
Argentina|Argentine|Buenos Aires
Venezuela|Venezuelan|Caracas
Cuba|Cuban|Havana
Australia|Australian|Canberra
Afghanistan|Afghan|Kabul
Taiwan|Taiwanese|Taipei
Vatican|Holy See|Vatican City
Sudan|Sudanese|Khartoum
South Sudan|South Sudanese|Juba
Ethiopia|Ethiopian|Addis Ababa
Nigeria|Nigerian|Abuja
Kenya|Kenyan|Nairobi
South Africa|South African|Pretoria
"""

_ALIAS: dict[str, str] = {}
for _line in _COUNTRIES.strip().splitlines():
    _names = _line.split("|")
    for _n in _names:
        _ALIAS[_n.lower()] = _names[0]

_ALIAS_RE = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(a) for a in sorted(_ALIAS, key=len, reverse=True))
    + r")(?:['’]s)?(?![\w])",
    re.IGNORECASE,
)
# "US" and "UK" only count in capitals: "us" is a pronoun.
_CASE_SENSITIVE = frozenset({"us", "uk"})


def countries_in(text: str) -> list[tuple[str, int, int]]:
    """(country, start, end) for each country mention, demonym or seat of government in ``text``."""
    out = []
    for m in _ALIAS_RE.finditer(text):
        word = m.group(1)
        if word.lower() in _CASE_SENSITIVE and not word.isupper():
            continue
        out.append((_ALIAS[word.lower()], m.start(1), m.end(1)))
    return out


def country_of(name: str) -> str | None:
    return _ALIAS.get(name.lower().strip())


_TITLE = r"(?:(?:[A-Z][\w.’'-]*|[a-z]+)\s+){0,4}?"
_NAME = r"(?P<name>(?:[A-Z][a-z’'-]+\s+){0,2}[A-Z][a-z’'-]+)"


def affiliation(text: str, person: str) -> str | None:
    """The country a person speaks for, from descriptions in ``text`` such as "Russian President
    Vladimir Putin" or "Valery Gerasimov, Chief of the General Staff for Russia's Armed Forces"."""
    words = re.sub(r"['’]s\b", "", person).split()
    if not words:
        return None
    surname = re.escape(words[-1])
    before = re.compile(rf"([A-Z][\w.’'-]*)(?:['’]s)?\s+{_TITLE}(?:[A-Z][a-z’'-]+\s+)?{surname}\b")
    after = re.compile(rf"\b{surname},\s+[^,;]{{0,80}}")
    for pattern in (before, after):
        for m in pattern.finditer(text):
            found = countries_in(m.group(0))
            if found:
                return found[-1][0]  # the mention nearest the name
    return None


def affiliations(text: str, people: list[str]) -> dict[str, str]:
    """Person key -> country for each person ``affiliation`` can place."""
    out: dict[str, str] = {}
    for person in people:
        key = person_key(person)
        if key and key not in out:
            country = affiliation(text, person)
            if country:
                out[key] = country
    return out


def person_key(name: str) -> str:
    """Surname, lower-cased, without possessive: "Gen. Valery Gerasimov's" -> "gerasimov"."""
    words = [
        w
        for w in re.sub(r"['’]s\b", "", name).replace(".", " ").replace(",", " ").split()
        if w.lower() not in _SUFFIXES
    ]
    return words[-1].lower() if words else ""


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

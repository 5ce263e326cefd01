"""A large measurement file as an organisation would export it from its own system: for the
import benchmark and the test that kills a worker mid-import.

Trajectories with an intake, mostly an end and now and then an interim measurement, one row
per measurement carrying the trajectory's fields as an export writes them; De Jong Gierveld
6 (the loneliness answers drawn per person, lonelier at intake than at the end) or ZRM 2017
(1–5 per domain, sometimes "na"). Written row by row: memory does not grow with the file.
"""

import csv
import datetime
import random
from collections.abc import Sequence
from pathlib import Path

from meerwaarde.participants.constants import AgeBand, Gender

DJG6_ITEMS = ("e1", "s1", "e2", "s2", "s3", "e3")
DJG6_OPTIONS = ("nee", "min-of-meer", "ja")
ZRM_ITEMS = (
    *("financien", "werk-opleiding", "tijdsbesteding", "huisvesting", "huiselijke-relaties"),
    *("geestelijke-gezondheid", "lichamelijke-gezondheid", "middelengebruik", "basale-adl"),
    *("instrumentele-adl", "sociaal-netwerk", "maatschappelijke-participatie", "justitie"),
)
_TRAJECTORY = (
    *("clientnummer", "aanbod_naam", "startdatum", "einddatum", "leeftijdsgroep", "gender"),
    *("instrument_code", "moment", "datum"),
)
_AGE_BANDS = [band for band in AgeBand.values if band not in ("0-11", "12-17")]
_GENDERS = [*Gender.values, ""]


def header(instrument: str) -> list[str]:
    return [*_TRAJECTORY, *(DJG6_ITEMS if instrument == "djg6" else ZRM_ITEMS)]


def _djg6(rng: random.Random, lonely: float) -> list[str]:
    # A "ja" to an emotional item (e) or a "nee" to a social one (s) counts as lonely.
    answers = []
    for code in DJG6_ITEMS:
        lonely_answer = "ja" if code[0] == "e" else "nee"
        fine_answer = "nee" if code[0] == "e" else "ja"
        roll = rng.random()
        if roll < lonely:
            answers.append(lonely_answer)
        elif roll < lonely + 0.15:
            answers.append("min-of-meer")
        else:
            answers.append(fine_answer)
    return answers


def _zrm(rng: random.Random, level: float) -> list[str]:
    return [
        "na" if rng.random() < 0.05 else str(min(5, max(1, round(rng.gauss(level, 1.0)))))
        for _code in ZRM_ITEMS
    ]


def write_measurements(
    path: Path,
    *,
    rows: int,
    offers: Sequence[str],
    today: datetime.date,
    instrument: str = "djg6",
    prefix: str = "CL",
    seed: int = 1,
) -> int:
    """Write ``rows`` measurement rows (semicolons, Dutch dates) to ``path``; returns the
    number of trajectories. Client references are ``prefix`` and a number, so files with
    different prefixes share no participant."""
    rng = random.Random(seed)
    written = trajectory = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow(header(instrument))
        reference, person, used = "", ("", ""), set[str]()
        while written < rows:
            trajectory += 1
            # One participant in ten comes back, for an offer they did not have before.
            if not reference or len(used) == len(offers) or rng.random() >= 0.1:
                reference = f"{prefix}-{trajectory:08d}"
                person = (rng.choice(_AGE_BANDS), rng.choice(_GENDERS))
                used = set()
            offer = rng.choice([name for name in offers if name not in used])
            used.add(offer)
            start = today - datetime.timedelta(days=rng.randint(330, 1400))
            end = None
            if rng.random() < 0.7:
                end = start + datetime.timedelta(days=rng.randint(90, 300))
            fields = [
                reference,
                offer,
                start.strftime("%d-%m-%Y"),
                end.strftime("%d-%m-%Y") if end else "",
                *person,
                instrument,
            ]
            severity = rng.random()
            moments = [("intake", start + datetime.timedelta(days=rng.randint(0, 14)), 0.0)]
            if rng.random() < 0.15:
                moments.append(("tussenmeting", start + datetime.timedelta(days=60), 0.5))
            if end is not None:
                moments.append(("eindmeting", end, 1.0))
            for moment, on, progress in moments[: rows - written]:
                if instrument == "djg6":
                    answers = _djg6(rng, max(0.05, 0.75 * severity - 0.2 * progress))
                else:
                    answers = _zrm(rng, 1.8 + 2 * severity + 0.8 * progress)
                writer.writerow([*fields, moment, on.strftime("%d-%m-%Y"), *answers])
                written += 1
    return trajectory

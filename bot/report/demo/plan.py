"""Who asked what, from where and when (in or out of hours) for one demo month's tickets."""

from __future__ import annotations

import heapq
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from bot.regions import RegionIndex
from bot.report.demo import profile, texts
from bot.report.demo.specials import TOP_PEMDA, Special, specials
from bot.report.demo.targets import Targets
from bot.report.vocabulary import topic_group
from bot.tickets.taxonomy import VIDEO_CONFERENCE


@dataclass(slots=True)
class Draft:
    """A ticket being planned (mutable scratch record; rows.py turns it into table rows)."""

    channel: str
    topic: str  # as the report counts it ("Video Conference" included)
    category: str = "Lainnya"
    pemda: str | None = None
    instansi: str | None = None
    zone: str | None = None
    in_hours: bool = True
    escalated: bool = False
    summary: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    meeting_day: int | None = None
    special: bool = False
    agent: str | None = None
    user: int | None = None  # shared conversation for repeat users
    rating: tuple[int, int] | None = None


def _pool(t: Targets, rng: random.Random) -> dict[str, list[Draft]]:
    drafts = [
        Draft(channel, topic)
        for channel, row in t.matrix.items()
        for topic, count in row.items()
        for _ in range(count)
    ]
    rng.shuffle(drafts)
    by_topic: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_topic[draft.topic].append(draft)
    return by_topic


def _apply(draft: Draft, item: Special, regions: RegionIndex) -> Draft:
    region = regions.by_name(item.pemda) if item.pemda else None
    place = regions.by_name(item.instansi) if item.instansi and not region else None
    draft.category, draft.pemda, draft.special = item.category, item.pemda, True
    draft.instansi = item.instansi or (f"BPKAD {item.pemda}" if item.pemda else None)
    found = region or place
    draft.zone = found.zone.value if found else item.zone
    draft.summary, draft.context = item.summary, dict(item.context)
    draft.meeting_day = item.meeting_day
    return draft


def _reporters(regions: RegionIndex, rng: random.Random, taken: set[str]) -> list[str]:
    names = [r.name for r in regions if r.kind != "provinsi" and r.name not in taken]
    return rng.sample(sorted(names), 24)


def plan(
    t: Targets, seed_month: bool, scale: int, regions: RegionIndex, rng: random.Random
) -> list[Draft]:
    """Every ticket of the month as a Draft, with the seed's exact counts in the seed month."""
    pool = _pool(t, rng)
    chosen: list[Draft] = []
    if seed_month:
        taken = set(TOP_PEMDA)
        for item in specials(scale, _reporters(regions, rng, taken | {"Kab. Kepulauan Mentawai"})):
            chosen.append(_apply(pool[item.topic].pop(), item, regions))
    generic = [draft for drafts in pool.values() for draft in drafts]
    rng.shuffle(generic)
    _hours(generic, t, rng)
    _categories(generic, chosen, t, rng)
    _zones(generic, chosen, t, rng)
    _pemda(generic, chosen, regions, rng)
    _escalations(generic, t, rng)
    _details(generic, seed_month, rng)
    everything = chosen + generic
    _agents(everything, generic, seed_month, rng)
    return everything


def _hours(generic: list[Draft], t: Targets, rng: random.Random) -> None:
    """Mark the out-of-hours tickets per topic group (telephone only rings inside hours)."""
    groups: dict[str, list[Draft]] = defaultdict(list)
    for draft in generic:
        if draft.channel != "telepon" and draft.topic != VIDEO_CONFERENCE:
            groups[topic_group(draft.topic)].append(draft)
    left = sum(t.out_of_hours.values())
    for group, wanted in t.night_topics.items():
        for draft in rng.sample(groups[group], min(wanted, len(groups[group]), left)):
            draft.in_hours, left = False, left - 1
    spare = [d for ds in groups.values() for d in ds if d.in_hours]
    for draft in rng.sample(spare, left):
        draft.in_hours = False


def _categories(generic: list[Draft], chosen: list[Draft], t: Targets, rng: random.Random) -> None:
    left = Counter(t.categories)
    left.subtract(Counter(d.category for d in chosen))
    values = [category for category, n in left.items() for _ in range(n)]
    rng.shuffle(values)
    for draft, category in zip(generic, values, strict=True):
        draft.category = category


def _zones(generic: list[Draft], chosen: list[Draft], t: Targets, rng: random.Random) -> None:
    """Out-of-hours tickets all have a zone; the unidentified ones are in hours and not pemda."""
    night = [d for d in generic if not d.in_hours]
    zones = [z for z, n in t.out_of_hours.items() for _ in range(n)]
    rng.shuffle(zones)
    for draft, zone in zip(night, zones, strict=True):
        draft.zone = zone
    day = [d for d in generic if d.in_hours]
    unknown = set(map(id, rng.sample([d for d in day if d.category != "Pemda"], t.unidentified)))
    left = Counter(t.in_hours)
    left.subtract(Counter(d.zone for d in chosen if d.zone))
    zones = [z for z, n in left.items() for _ in range(n)]
    rng.shuffle(zones)
    for draft, zone in zip([d for d in day if id(d) not in unknown], zones, strict=True):
        draft.zone = zone


def _pemda(
    generic: list[Draft], chosen: list[Draft], regions: RegionIndex, rng: random.Random
) -> None:
    """Spread pemda tickets evenly over the pemda of their zone (the top three stay on top)."""
    counts = Counter(d.pemda for d in chosen if d.pemda)
    heaps: dict[str, list] = defaultdict(list)
    for region in regions:
        if region.name not in TOP_PEMDA:
            heaps[region.zone.value].append((counts[region.name], rng.random(), region.name))
    for heap in heaps.values():
        heapq.heapify(heap)
    for draft in generic:
        if draft.category == "Pemda":
            assert draft.zone is not None  # _zones gave every pemda ticket a zone
            count, order, name = heapq.heappop(heaps[draft.zone])
            heapq.heappush(heaps[draft.zone], (count + 1, order, name))
            draft.pemda, draft.instansi = name, f"{rng.choice(texts.PEMDA_UNITS)} {name}"
        else:
            lists = {"Kementerian/Lembaga": texts.KL, "Akademisi": texts.AKADEMISI}
            draft.instansi = rng.choice(lists.get(draft.category, texts.LAINNYA))


def _escalations(generic: list[Draft], t: Targets, rng: random.Random) -> None:
    technical = [d for d in generic if topic_group(d.topic) != d.topic]
    for inside, wanted in ((False, t.escalated_out), (True, t.escalated_in)):
        found = [d for d in technical if d.in_hours is inside]
        for draft in rng.sample(found, min(wanted, len(found))):
            draft.escalated = True


def _details(generic: list[Draft], seed_month: bool, rng: random.Random) -> None:
    """Summaries (the first of each topic most often) and reservation details."""
    for draft in generic:
        options = texts.SUMMARIES.get(draft.topic, ("-",))
        weights = [max(1, 4 - n) for n in range(len(options))]
        draft.summary = rng.choices(options, weights)[0]
        if draft.topic in (VIDEO_CONFERENCE, "Reservasi"):
            kind = "video_conference" if draft.topic == VIDEO_CONFERENCE else "tatap_muka"
            if draft.topic == VIDEO_CONFERENCE or rng.random() < 0.3:
                draft.context = {"reservasi": kind, "topik": rng.choice(("DAU", "DBH", "DAK"))}
                if not seed_month and rng.random() < 0.5:
                    draft.meeting_day = rng.randint(1, 28)
                    draft.context["topik"] = rng.choice(("DAU", "DBH", "Dana Desa"))


def _agents(
    everything: list[Draft], generic: list[Draft], seed_month: bool, rng: random.Random
) -> None:
    """Agents, CSAT (5 on both scales) and, in the seed month, one agent below the rule."""
    for draft in everything:
        draft.agent = rng.choice(profile.AGENTS)
        rated = draft.channel in ("whatsapp", "livechat", "hai") and draft.topic != "Spam"
        if rated and not draft.escalated and rng.random() < profile.RATED_SHARE:
            draft.rating = (5, 5)
    if not seed_month:
        return
    spare = [d for d in generic if d.channel == "whatsapp" and d.in_hours and not d.escalated]
    spare = [d for d in spare if d.topic != "Spam"]
    extra = rng.sample(spare, len(profile.EXTRA_USERS) + 2)
    for n, draft in enumerate(extra):
        draft.agent, draft.rating = profile.EXTRA_AGENT, None
        if n < len(profile.EXTRA_USERS):
            draft.user, draft.rating = profile.EXTRA_USERS[n], profile.EXTRA_SCORES[n]

"""Draft, review, publish, revisions: how a change reaches help-seekers.

- Every live program has one **draft** (``Program.draft_of``), a full working copy that
  staff edit in the staff site and by translation files. Help-seekers never see it.
- Each edit records who changed which language of the draft (``DraftEdit``; structure counts
  as the source language). A language is **submitted** for review (``LanguageReview``).
- A reviewer **publishes** submitted languages, never one they changed or submitted
  themselves, and only when nothing in them is missing or outdated. Publishing copies those
  languages of the draft (with the draft's structure when the source language is among them)
  into the live program through the same content service as a bundle load, so rows are
  matched by slug, a removed step is retired and never deleted, and help-seekers' progress
  and answers keep pointing at the same rows. Then it stores an immutable **revision**: the
  whole live content as a snapshot (``authoring.revisions``), who, when, which languages.
- A revision can be **restored** into the draft, to be reviewed and published again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from authoring import audit, translations
from authoring.models import DraftEdit, LanguageReview, Revision, StaffEvent
from authoring.revisions import (
    Difference,
    Snapshot,
    bundle_of,
    missing_in,
    snapshot_diff,
    snapshot_of,
    structure_segments,
    texts_in,
)
from authoring.services import bundle_program_input, program_export, program_languages_refresh
from modules.models import FALLBACK_LANGUAGE, Program
from modules.services import program_content_save, program_touch
from modules.translation import configured_languages, translated_languages

DRAFT_SLUG = "draft-{id}"


class PublishRefused(Exception):
    """Publishing was refused; ``problems`` lists every reason, each naming what to fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- Snapshots of the live program and of its draft --------------------------------------


def program_snapshot(program: Program) -> Snapshot:
    """The program's content in use as a snapshot, under the live program's slug."""
    live = program.draft_of or program
    return snapshot_of(program_export(program=program, content_only=True), slug=live.slug)


def _load(snapshot: Snapshot, slug: str) -> Program:
    """Make the program ``slug`` hold exactly ``snapshot`` (rows matched by slug, what it no
    longer has retired)."""
    return program_content_save(content=bundle_program_input(bundle_of(snapshot, slug=slug)))


def revision_latest(program: Program) -> Revision | None:
    return Revision.objects.filter(program=program).order_by("-number").first()


def _revision_create(program: Program, *, actor: Any, languages: list[str], note: str) -> Revision:
    number = (Revision.objects.filter(program=program).aggregate(last=Max("number"))["last"] or 0) + 1
    return Revision.objects.create(
        program=program,
        number=number,
        created_by=actor,
        created_by_name=getattr(actor, "username", "") if actor else "",
        languages=languages,
        note=note[:500],
        snapshot=program_snapshot(program),
    )


@transaction.atomic
def program_draft(*, program: Program) -> Program:
    """The live ``program``'s draft, made as a copy of the live content the first time (and a
    first revision recording the live content, when there is none yet)."""
    existing = Program.objects.filter(draft_of=program).first()
    if existing is not None:
        return existing
    locked = Program.objects.select_for_update().get(pk=program.pk)  # one copy, however many ask at once
    existing = Program.objects.filter(draft_of=locked).first()
    if existing is not None:
        return existing
    if revision_latest(locked) is None:
        _revision_create(
            locked, actor=None, languages=list(locked.published_languages), note="the content before review began"
        )
    draft = _load(program_snapshot(locked), DRAFT_SLUG.format(id=locked.pk))
    Program.objects.filter(pk=draft.pk).update(draft_of=locked, is_published=False, published_languages=[])
    draft.refresh_from_db()
    translations.program_record_all(program=draft)
    return draft


def draft_has_edits(program: Program) -> bool:
    return DraftEdit.objects.filter(program=program).exists()


@transaction.atomic
def after_bundle_load(*, program: Program) -> str:
    """After a bundle was loaded into the live program: record it as a revision (when it
    changed anything), and bring the draft up to date unless it holds unpublished edits,
    which are kept. Returns a sentence for the operator."""
    live = program_snapshot(program)
    latest = revision_latest(program)
    if latest is None or latest.snapshot != live:
        _revision_create(program, actor=None, languages=list(program.published_languages), note="loaded from a bundle")
    draft = Program.objects.filter(draft_of=program).first()
    if draft is None:
        program_draft(program=program)
        return "draft made from the loaded content"
    if draft_has_edits(program):
        return "the draft has unpublished edits: it was kept (publish or restore a revision in the staff site)"
    if program_snapshot(draft) == live:
        return "the draft is the same as the live content"
    _load(live, draft.slug)
    translations.program_record_all(program=draft)
    program_touch(program=draft)
    return "draft updated to the loaded content"


# --- Recording edits, submitting, returning ------------------------------------------------


def draft_edited(*, draft: Program, user: Any, languages: Iterable[str]) -> None:
    """Record that ``user`` changed ``languages`` of the draft (and that its renderings are stale)."""
    live = draft.draft_of
    if live is None:
        return
    now = timezone.now()
    for language in set(languages):
        DraftEdit.objects.update_or_create(program=live, language=language, user=user, defaults={"at": now})
    program_touch(program=draft)


def language_review(program: Program, language: str) -> LanguageReview:
    review, _created = LanguageReview.objects.get_or_create(program=program, language=language)
    return review


@transaction.atomic
def review_submit(*, program: Program, language: str, user: Any, note: str = "") -> LanguageReview:
    """Ask for review of ``language`` of the draft."""
    review = language_review(program, language)
    review.state, review.submitted_by, review.submitted_at = LanguageReview.IN_REVIEW, user, timezone.now()
    review.note, review.returned_note = note[:500], ""
    review.save()
    audit.record(StaffEvent.SUBMIT, actor=user, detail=f"{program.slug}: {language}: {note}")
    return review


@transaction.atomic
def review_return(*, program: Program, language: str, user: Any, note: str = "") -> LanguageReview:
    """Send ``language`` back to the draft, with the reviewer's note."""
    review = language_review(program, language)
    review.state, review.returned_note = LanguageReview.DRAFT, note[:500]
    review.save()
    audit.record(StaffEvent.RETURN, actor=user, detail=f"{program.slug}: {language}: {note}")
    return review


# --- Publishing ---------------------------------------------------------------------------


def _composed(live: Snapshot, draft: Snapshot, languages: set[str]) -> Snapshot:
    """The live content with ``languages`` of the draft: the draft's structure when the source
    language is published, else the live one; each published language's texts from the draft
    (where the draft still has the segment), every other language's from the live content."""
    source = FALLBACK_LANGUAGE in languages
    structure = draft if source else live
    composed: Snapshot = {**live, "modules": structure["modules"], "is_sample": structure["is_sample"], "texts": {}}
    ids = [s.id for s in structure_segments(structure["modules"])]
    in_draft = {s.id for s in structure_segments(draft["modules"])}
    for language in configured_languages():
        draft_texts, live_texts = texts_in(draft, language), texts_in(live, language)
        texts = {}
        for segment in ids:
            text = (
                draft_texts.get(segment, "")
                if language in languages and segment in in_draft
                else live_texts.get(segment, "")
            )
            if text:
                texts[segment] = text
        if texts:
            composed["texts"][language] = texts
    return composed


@dataclass
class PublishPlan:
    """What publishing ``languages`` would do, and what stops it."""

    languages: list[str]
    composed: Snapshot
    difference: Difference
    problems: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # languages help-seekers would lose until translated


def publish_plan(*, program: Program, languages: Iterable[str], user: Any) -> PublishPlan:
    """Check publishing ``languages`` of ``program``'s draft by ``user``, without changing anything."""
    chosen = [code for code in configured_languages() if code in set(languages)]
    draft = program_draft(program=program)
    live_snapshot, draft_snapshot = program_snapshot(program), program_snapshot(draft)
    composed = _composed(live_snapshot, draft_snapshot, set(chosen))
    plan = PublishPlan(chosen, composed, snapshot_diff(live_snapshot, composed, chosen or None))
    if not chosen:
        plan.problems.append("choose at least one language to publish")
    reviews = {r.language: r for r in LanguageReview.objects.filter(program=program, language__in=chosen)}
    editors = set(
        DraftEdit.objects.filter(program=program, language__in=chosen, user=user).values_list("language", flat=True)
    )
    for language in chosen:
        review = reviews.get(language)
        if review is None or review.state != LanguageReview.IN_REVIEW:
            plan.problems.append(f"{language}: not submitted for review")
        elif review.submitted_by_id == getattr(user, "pk", None):
            plan.problems.append(f"{language}: you submitted it; another reviewer publishes it")
        if language in editors:
            plan.problems.append(f"{language}: you changed it; another reviewer publishes it")
        if language == FALLBACK_LANGUAGE:
            source = texts_in(composed, language)
            plan.problems += [f"{language}: {s} is empty" for s in _required(composed) if not source.get(s)]
        else:
            plan.problems += [f"{language}: {segment} is not translated" for segment in missing_in(composed, language)]
            plan.problems += [
                f"{language}: {o.model} “{o.label}” {o.field} is outdated (its source changed)"
                for o in translations.program_outdated_translations(program=draft, language=language)
            ]
    plan.withdrawn = [
        code
        for code in program.published_languages
        if code != FALLBACK_LANGUAGE and code not in chosen and missing_in(composed, code)
    ]
    return plan


def _required(snapshot: Snapshot) -> list[str]:
    """Source texts every program needs: the titles of the program, its modules and steps."""
    return [s.id for s in structure_segments(snapshot["modules"]) if s.field == "title"]


@transaction.atomic
def languages_publish(*, program: Program, languages: Iterable[str], user: Any, note: str = "") -> Revision:
    """Publish ``languages`` of the draft (see the module doc). Raises ``PublishRefused`` with
    every problem, changing nothing, when any check fails."""
    Program.objects.select_for_update().get(pk=program.pk)
    plan = publish_plan(program=program, languages=languages, user=user)
    if plan.problems:
        raise PublishRefused(plan.problems)
    _load(plan.composed, program.slug)
    program.refresh_from_db()
    if not program_languages_refresh(program=program, actor=user):
        program_touch(program=program)
    revision = _revision_create(program, actor=user, languages=plan.languages, note=note)
    DraftEdit.objects.filter(program=program, language__in=plan.languages).delete()
    LanguageReview.objects.filter(program=program, language__in=plan.languages).update(
        state=LanguageReview.DRAFT, published_at=timezone.now(), returned_note=""
    )
    audit.record(
        StaffEvent.PUBLISH,
        actor=user,
        detail=f"{program.slug}: revision {revision.number}: {', '.join(plan.languages)}",
    )
    return revision


@transaction.atomic
def revision_restore(*, revision: Revision, user: Any) -> Program:
    """Make the draft hold ``revision``'s content again (its structure and every language);
    it is then an edit like any other, by ``user``, to review and publish."""
    program = revision.program
    draft = program_draft(program=program)
    _load(revision.snapshot, draft.slug)
    draft.refresh_from_db()
    translations.program_record_all(program=draft)
    draft_edited(draft=draft, user=user, languages=[FALLBACK_LANGUAGE, *revision.snapshot["texts"]])
    audit.record(StaffEvent.RESTORE, actor=user, detail=f"{program.slug}: revision {revision.number}")
    return draft


# --- What the review pages show -------------------------------------------------------------


@dataclass(frozen=True)
class LanguageState:
    language: str
    name: str
    review: LanguageReview | None
    editors: list[str]
    changes: int
    published: bool


def program_review_states(*, program: Program) -> list[LanguageState]:
    """Each language of ``program``: its review state, who edited its draft since it was last
    published, and how many of its texts (and, for the source, structure changes) differ from
    the live content."""
    draft = program_draft(program=program)
    live_snapshot, draft_snapshot = program_snapshot(program), program_snapshot(draft)
    reviews = {r.language: r for r in LanguageReview.objects.filter(program=program).select_related("submitted_by")}
    editors: dict[str, list[str]] = {}
    for language, name in DraftEdit.objects.filter(program=program).values_list("language", "user__username"):
        editors.setdefault(language, []).append(name)
    names = dict(settings.LANGUAGES)
    states = []
    for language in [FALLBACK_LANGUAGE, *translated_languages()]:
        difference = snapshot_diff(live_snapshot, _composed(live_snapshot, draft_snapshot, {language}), [language])
        changes = len(difference.texts) + (len(difference.structure) if language == FALLBACK_LANGUAGE else 0)
        states.append(
            LanguageState(
                language,
                names[language],
                reviews.get(language),
                sorted(editors.get(language, [])),
                changes,
                language in program.published_languages,
            )
        )
    return states


def reviewed_shares(*, program: Program, languages: list[str]) -> dict[str, dict[str, int]]:
    """Per language, per part of the program (a module's slug, "" for the program itself,
    "all" for the whole), the percentage of its texts whose draft text is the published one:
    reviewed and live, with nothing pending."""
    draft = program_draft(program=program)
    live_snapshot, draft_snapshot = program_snapshot(program), program_snapshot(draft)
    segments = list(structure_segments(draft_snapshot["modules"]))
    source = texts_in(draft_snapshot, FALLBACK_LANGUAGE)
    shares: dict[str, dict[str, int]] = {}
    for language in languages:
        draft_texts, live_texts = texts_in(draft_snapshot, language), texts_in(live_snapshot, language)
        counts: dict[str, list[int]] = {}
        for segment in segments:
            if not source.get(segment.id):
                continue
            same = int(bool(draft_texts.get(segment.id)) and draft_texts.get(segment.id) == live_texts.get(segment.id))
            for part in {segment.module, "all"}:
                counts.setdefault(part, [0, 0])
                counts[part][0] += same
                counts[part][1] += 1
        shares[language] = {part: round(100 * done / total) for part, (done, total) in counts.items()}
    return shares

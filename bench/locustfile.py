"""Simulated help-seekers for the load run (``make load``, ``bench/load.py``).

Each simulated help-seeker goes the whole way a person does in a browser with JavaScript
off, through the same pages and forms: the landing page, "start" (the codename page), the
baseline questionnaire, then the program's steps in order, answering every exercise on the
way (single and multiple choice, scale, free text, plan item) with "Save and continue", and
each module's check-in when the server offers it. After the first module it reads its
progress page, signs out and resumes with its codename, as someone coming back another day;
after the second it reads its plan (every plan item it wrote must be on the page). A
help-seeker who finishes the program is followed by a new one.

Each request opens a connection of its own, as the proxy in front of gunicorn does in
production (``deploy/nginx-*.conf`` keep no upstream connections open).

Every write the server acknowledged is tallied per help-seeker in ``RECORDS`` (a step
completed: the redirect onwards; its answers; a questionnaire response: the redirect to its
result), for ``bench/load.py`` to find in the database afterwards. The records live in this
process only: nothing of them, codenames included, is written anywhere.

Also runnable on its own against a server of your choice on loopback, e.g.
``.venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, task
from locust.exception import StopUser

PROGRAM = "sample"
LANGUAGES = ("en", "fi", "es")
# Sign out and resume after the first module, read the plan after the second (the first two
# modules hold every exercise kind, two check-ins and a plan item).
SIGN_OUT_AFTER_MODULES = 1
PLAN_AFTER_MODULES = 2
EXERCISE_KINDS = frozenset({"single_choice", "multiple_choice", "scale", "free_text", "plan_item"})
WORDS = ("walk", "lake", "call", "sister", "evening", "music", "cook", "sleep", "early", "read", "garden", "run")


@dataclass
class Record:
    """What the server acknowledged to one simulated help-seeker."""

    language: str
    codename: str = ""
    steps: set[str] = field(default_factory=set)  # "module/step"
    answers: set[str] = field(default_factory=set)  # "module/step/exercise"
    responses: set[str] = field(default_factory=set)  # occasion slugs
    item_answers: int = 0  # questionnaire items answered in acknowledged responses
    kinds: set[str] = field(default_factory=set)  # exercise kinds answered
    plan_items: list[str] = field(default_factory=list)  # the words of each plan item saved
    signed_out_and_resumed: bool = False
    plan_read: bool = False
    journey_done: bool = False  # the whole program, or the modules of MODULES_LIMIT


RECORDS: list[Record] = []
# Set when the time is up: each help-seeker stops before its next request, so none is cut
# off in the middle of one (``bench/load.py``).
STOPPING = False
# When set, each help-seeker goes only this many modules (then stops for good): the bounded
# run in the test suite goes every part of the journey, however slow the machine is.
MODULES_LIMIT: int | None = None


@dataclass
class Form:
    """One POST form as a browser would send it: its fields by kind, disabled ones left out."""

    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)
    textareas: list[str] = field(default_factory=list)
    numbers: dict[str, tuple[int, int]] = field(default_factory=dict)

    def fields(self) -> set[str]:
        return {*self.radios, *self.checkboxes, *self.textareas, *self.numbers}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.current = Form(unescape(a.get("action", ""))) if a.get("method", "").lower() == "post" else None
            return
        form = self.current
        name = a.get("name", "")
        if form is None or not name or "disabled" in a:
            return
        kind = a.get("type", "text")
        if tag == "textarea":
            form.textareas.append(name)
        elif tag != "input":
            return
        elif kind == "hidden":
            form.hidden.append((name, a.get("value", "")))
        elif kind == "radio":
            form.radios.setdefault(name, []).append(a.get("value", ""))
        elif kind == "checkbox":
            form.checkboxes.setdefault(name, []).append(a.get("value", ""))
        elif kind == "number":
            form.numbers[name] = (int(a.get("min", "0")), int(a.get("max", "10")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def form_on(html: str, action_part: str) -> Form:
    """The page's POST form whose action contains ``action_part``."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if action_part in form.action:
            return form
    raise LookupError(f"no form posting to {action_part!r} on the page")


def filled(form: Form, rng: random.Random, **extra: str) -> list[tuple[str, str]]:
    """Every field answered: one of each radio group, some of each checkbox group, a number in
    range, a few words in each text area."""
    data = list(form.hidden)
    data += [(name, rng.choice(values)) for name, values in form.radios.items()]
    for name, values in form.checkboxes.items():
        data += [(name, value) for value in rng.sample(values, rng.randint(1, len(values)))]
    data += [(name, str(rng.randint(low, high))) for name, (low, high) in form.numbers.items()]
    data += [(name, " ".join(rng.choices(WORDS, k=rng.randint(3, 9)))) for name in form.textareas]
    return data + list(extra.items())


_CODENAME = re.compile(r'<p class="codename"[^>]*>(.*?)</p>', re.S)
_TAG = re.compile(r"<[^>]+>")


def codename_on(html: str) -> str:
    match = _CODENAME.search(html)
    if match is None:
        raise LookupError("no codename on the page")
    return " ".join(unescape(_TAG.sub(" ", match.group(1))).split())


def _why(reply: Any) -> str:
    """The connection's error, for a request that got no answer at all."""
    return f": {type(reply.error).__name__} {reply.error}" if reply.status_code == 0 else ""


_steps: list[tuple[str, str]] = []  # (module, step) in program order
_kinds: dict[str, dict[str, str]] = {}  # "module/step" -> {exercise: kind}, from the content API


class Refused(Exception):
    """A reply the journey cannot go on from (already counted as a failure)."""


class HelpSeeker(HttpUser):
    """One simulated help-seeker at a time, the whole journey, in one of the content languages."""

    wait_time = between(0.5, 1.5)  # reading and typing, shortened

    def on_start(self) -> None:
        self.client.headers["Connection"] = "close"
        self.rng = random.Random()
        if not _steps:  # help-seekers starting together may each fetch it: set, never appended to
            outline = self.client.get(f"/api/v1/programs/{PROGRAM}/?lang=en", name="content API").json()
            _steps[:] = [(module["slug"], step["slug"]) for module in outline["modules"] for step in module["steps"]]

    @task
    def journey(self) -> None:
        record = Record(language=self.rng.choice(LANGUAGES))
        try:
            self._journey(record)
        except Refused:
            raise StopUser() from None

    # --- the journey ------------------------------------------------------------------

    def _journey(self, record: Record) -> None:
        self.client.cookies.clear()
        lang = record.language
        self._page("landing", f"/{lang}/")
        start = self._page("start page", f"/{lang}/start/")
        codename_page = self._send("start", f"/{lang}/start/", form_on(start, "/start/").hidden, expect=200)
        record.codename = codename_on(codename_page)
        RECORDS.append(record)
        self._questionnaire(record, "start", "questionnaire: baseline")
        modules_done: list[str] = []
        for position, (module, step) in enumerate(_steps):
            check_in = self._step(record, module, step)
            if check_in:
                self._questionnaire(record, check_in, "questionnaire: check-in")
            last_of_module = position + 1 == len(_steps) or _steps[position + 1][0] != module
            if last_of_module:
                modules_done.append(module)
                if len(modules_done) == SIGN_OUT_AFTER_MODULES:
                    self._sign_out_and_resume(record)
                if len(modules_done) == PLAN_AFTER_MODULES:
                    self._plan(record)
                if len(modules_done) == MODULES_LIMIT:
                    record.journey_done = True
                    raise StopUser
        self._page("finished", f"/{lang}/me/finished/{PROGRAM}/")
        record.journey_done = True

    def _step(self, record: Record, module: str, step: str) -> str:
        """Read a step, answer all of it, "Save and continue"; the check-in offered, if any."""
        lang = record.language
        page = self._page("step", f"/{lang}/program/{PROGRAM}/{module}/{step}/")
        form = form_on(page, "/me/answers/")
        exercises = form.fields()
        kinds = self._exercise_kinds(module, step)
        name = "step: save answers and continue" if exercises else "step: done, continue"
        data = filled(form, self.rng, action="complete")
        location = self._send(name, form.action, data, expect=302)
        record.plan_items += [value for key, value in data if kinds.get(key) == "plan_item"]
        record.steps.add(f"{module}/{step}")
        record.answers |= {f"{module}/{step}/{exercise}" for exercise in exercises}
        record.kinds |= {kinds[exercise] for exercise in exercises}
        match = re.search(rf"/questionnaires/{PROGRAM}/([\w-]+)/$", location)
        return match.group(1) if match else ""

    def _exercise_kinds(self, module: str, step: str) -> dict[str, str]:
        key = f"{module}/{step}"
        if key not in _kinds:
            path = f"/api/v1/programs/{PROGRAM}/modules/{module}/steps/{step}/?lang=en"
            blocks = self.client.get(path, name="content API: step").json()["blocks"]
            _kinds[key] = {block["slug"]: block["kind"] for block in blocks if block["kind"] in EXERCISE_KINDS}
        return _kinds[key]

    def _questionnaire(self, record: Record, occasion: str, name: str) -> None:
        path = f"/{record.language}/questionnaires/{PROGRAM}/{occasion}/"
        form = form_on(self._page("questionnaire", path), path)
        location = self._send(name, path, filled(form, self.rng, action="submit"), expect=302)
        record.responses.add(occasion)
        record.item_answers += len(form.fields())
        self._page("questionnaire result", location)

    def _sign_out_and_resume(self, record: Record) -> None:
        lang = record.language
        progress = self._page("my progress", f"/{lang}/me/")
        self._send("sign out", f"/{lang}/sign-out/", form_on(progress, "/sign-out/").hidden, expect=200)
        resume = form_on(self._page("resume page", f"/{lang}/resume/"), "/resume/")
        self._send("resume", f"/{lang}/resume/", [*resume.hidden, ("codename", record.codename)], expect=302)
        record.signed_out_and_resumed = True

    def _plan(self, record: Record) -> None:
        """The plan page, with every plan item this help-seeker saved (decrypted) on it."""
        self._page("plan", f"/{record.language}/me/plan/", showing=record.plan_items)
        record.plan_read = True

    # --- requests -----------------------------------------------------------------------

    def _wait(self) -> None:
        self.wait()
        if STOPPING:
            raise StopUser

    def _page(self, name: str, path: str, *, showing: list[str] | None = None) -> str:
        """A page (200), which must show each of ``showing``."""
        self._wait()
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as reply:
            if reply.status_code != 200:
                reply.failure(f"{reply.status_code} for {name}{_why(reply)}")
                raise Refused
            if not all(text in reply.text for text in showing or ()):
                reply.failure(f"{name} without what was saved to it")
                raise Refused
            return str(reply.text)

    def _send(self, name: str, path: str, data: list[tuple[str, str]], *, expect: int) -> str:
        """Post a form; the page (200) or where it sends us (302)."""
        self._wait()
        with self.client.post(path, data=data, name=name, catch_response=True, allow_redirects=False) as reply:
            if reply.status_code != expect:
                reply.failure(f"{reply.status_code} for {name} (expected {expect}){_why(reply)}")
                raise Refused
            return str(reply.headers.get("Location", "")) if expect == 302 else str(reply.text)

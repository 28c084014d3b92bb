"""No log record carries a client address or a user agent."""

import logging

import pytest
from django.test import Client

from redirection.logging import ClientDataFilter, scrub

ADDRESS_MARKER = "203.0.113.77"
IPV6_MARKER = "2001:db8::4242"
AGENT_MARKER = "Mozilla/5.0 (X11; MarkerOS) MarkerBrowser/9.9"


def _through_configured_handlers(record: logging.LogRecord) -> str:
    """Pass a record through the filters and formatter of the configured root handlers."""
    handlers = logging.getLogger().handlers
    configured = [h for h in handlers if any(isinstance(f, ClientDataFilter) for f in h.filters)]
    assert configured, "the root logger has no handler with the client-data filter"
    lines = []
    for handler in configured:
        for log_filter in handler.filters:
            log_filter.filter(record)  # type: ignore[union-attr]
        lines.append(handler.format(record))
    return "\n".join(lines) + repr(vars(record))


@pytest.mark.django_db
def test_records_made_during_a_request_carry_no_client_data(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    # given a request that makes Django log (a 404 is logged by django.request)
    caplog.set_level(logging.INFO)

    # when
    client.get(
        "/en/no-such-page/",
        REMOTE_ADDR=ADDRESS_MARKER,
        HTTP_X_FORWARDED_FOR=f"{ADDRESS_MARKER}, {IPV6_MARKER}",
        HTTP_USER_AGENT=AGENT_MARKER,
        HTTP_REFERER="https://referrer.example/marker",
    )

    # then
    assert caplog.records, "the request logged nothing, so this test proves nothing"
    for record in caplog.records:
        output = _through_configured_handlers(record)
        assert ADDRESS_MARKER not in output
        assert IPV6_MARKER not in output
        assert "MarkerBrowser" not in output
        assert "referrer.example" not in output


def test_filter_scrubs_addresses_and_agents_from_message_and_arguments() -> None:
    record = logging.LogRecord(
        "gunicorn.error",
        logging.WARNING,
        __file__,
        1,
        "Invalid request from ip=%s agent=%s",
        (IPV6_MARKER, AGENT_MARKER),
        None,
    )
    record.request = object()

    ClientDataFilter().filter(record)

    message = record.getMessage()
    assert IPV6_MARKER not in message
    assert "MarkerBrowser" not in message
    assert message.startswith("Invalid request from ip=[removed]")
    assert not hasattr(record, "request")


def test_filter_scrubs_tracebacks() -> None:
    try:
        raise ValueError(f"connection from {ADDRESS_MARKER}")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())

    ClientDataFilter().filter(record)

    assert ADDRESS_MARKER not in logging.Formatter().format(record)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("step 3 of module 2 completed", "step 3 of module 2 completed"),
        ("version 5.2.19 loaded", "version 5.2.19 loaded"),
        ("from 10.0.0.1 and ::1", "from [removed] and [removed]"),
        ("::ffff:192.0.2.1 said hello", "[removed] said hello"),
    ],
)
def test_scrub_removes_only_addresses(text: str, kept: str) -> None:
    assert scrub(text) == kept


def test_a_traceback_keeps_where_it_failed_but_not_what_was_submitted() -> None:
    import sys

    def parse(value: str) -> int:
        return int(value)

    submitted = "".join(("²", "-submitted-value"))  # as a value, not as source text in the traceback
    try:
        try:
            parse(submitted)
        except ValueError as exc:
            raise RuntimeError("while saving " + submitted) from exc
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", None, sys.exc_info()
        )

    ClientDataFilter().filter(record)
    output = logging.Formatter().format(record)

    assert "submitted-value" not in output
    assert "in parse" in output, "the frames stay"
    assert "ValueError: [removed]" in output
    assert "RuntimeError: [removed]" in output


FORGED_HOST_PROBE = """
import django
django.setup()
from django.test import Client
print(Client().get("/en/", HTTP_HOST="forged-marker.example").status_code)
"""


def test_a_forged_host_writes_nothing_to_stderr() -> None:
    # In a process of its own: pytest's log capture would stand in for the missing handlers.
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "redirection.test_settings", "LOG_LEVEL": "DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", FORGED_HOST_PROBE],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip() == "400", result.stderr
    assert "forged-marker" not in result.stderr
    assert "Traceback" not in result.stderr


def test_no_configured_logger_has_an_empty_handler_list() -> None:
    from django.conf import settings

    for name, config in settings.LOGGING["loggers"].items():
        assert config.get("handlers", ["inherited"]) != [], name

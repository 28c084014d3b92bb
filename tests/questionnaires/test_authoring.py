"""Authoring rules are checked when an instrument is loaded: clear errors, nothing changed."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from modules.bundles import BundleError
from modules.models import Program
from modules.services import program_load_path
from questionnaires.models import FeedbackBand, Instrument
from questionnaires.selectors import instrument_problems
from tests.conftest import SAMPLE_BUNDLE


@pytest.mark.django_db
def test_sample_instruments_pass_every_authoring_rule(sample_program: Program) -> None:
    for instrument in Instrument.objects.all():
        assert instrument_problems(instrument) == [], instrument.slug


@pytest.mark.django_db
def test_a_gap_and_an_overlap_in_the_bands_are_named(sample_program: Program) -> None:
    instrument = Instrument.objects.get(slug="check-in")
    FeedbackBand.objects.filter(instrument=instrument, lower=7).update(lower=Decimal(8))
    assert instrument_problems(instrument) == ["total score: scores from 7.00 to 8.00 have no band (a gap)"]

    FeedbackBand.objects.filter(instrument=instrument, lower=8).update(lower=Decimal(6))
    assert instrument_problems(instrument) == ["total score: the bands 0.00–7.00 and 6.00– overlap"]  # noqa: RUF001


@pytest.mark.django_db
def test_a_scale_must_run_from_0_to_10(sample_program: Program) -> None:
    instrument = Instrument.objects.get(slug="check-in")
    instrument.items.filter(slug="mood").update(max_value=7)

    assert "item 'mood': a scale runs from 0 to 10" in instrument_problems(instrument)


@pytest.mark.django_db
def test_a_bundle_with_bands_that_do_not_cover_the_scores_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(SAMPLE_BUNDLE, bundle)
    structure = bundle / "program.yaml"
    text = structure.read_text()
    assert "  - lower: 14\n    upper: 20\n" in text
    structure.write_text(text.replace("  - lower: 14\n    upper: 20\n", "  - lower: 14\n    upper: 19\n", 1))

    with pytest.raises(BundleError) as refused:
        program_load_path(path=bundle)

    assert refused.value.key == "questionnaires.my-situation"
    assert "the last band ends at 19.00, but the highest possible score is 20.00" in refused.value.reason
    assert not Program.objects.exists()
    assert not Instrument.objects.exists()

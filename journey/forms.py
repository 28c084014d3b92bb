"""Forms of the help-seeker pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class ResumeForm(forms.Form):
    codename = forms.CharField(
        label=gettext_lazy("Your codename"),
        # Longer input is refused before any hashing; the browser limit is a courtesy.
        max_length=128,
        strip=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "maxlength": "128"}
        ),
        error_messages={"max_length": gettext_lazy("A codename is shorter than that. Check the words.")},
    )

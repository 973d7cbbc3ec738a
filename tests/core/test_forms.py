"""The shared form helpers put a service's refusal where the person will read it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from jinwei.core.forms import attempt, refuse


class NameForm(forms.Form):
    name = forms.CharField()


def _form() -> NameForm:
    form = NameForm({"name": "x"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_goes_next_to_it_and_others_above_the_form():
    form = _form()
    refuse(form, ValidationError({"name": "taken", "elsewhere": "not on this form"}))
    assert form.errors["name"] == ["taken"]
    assert form.non_field_errors() == ["not on this form"]


def test_a_refusal_with_a_message_attribute_is_shown_as_its_message():
    class Refused(Exception):
        message = "stale: someone changed it"

    form = _form()
    refuse(form, Refused())
    assert form.non_field_errors() == ["stale: someone changed it"]


def test_attempt_returns_the_result_or_none_with_the_error_on_the_form():
    form = _form()
    assert attempt(form, lambda: 42) == 42
    assert form.is_valid()

    def refused() -> int:
        raise ValidationError("no")

    assert attempt(form, refused) is None
    assert form.non_field_errors() == ["no"]

"""Input fields validated by the same Django form fields the HTML pages use.

`form_field(ProfileForm, "phone")` is a `str` that must pass `ProfileForm.base_fields["phone"]
.clean()`: the same rule, the same (translated) message, on the page and in the API. Its limits
(maxLength, pattern) are copied into the OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja.errors import ValidationError
from pydantic import AfterValidator, Field


def form_field(form_class: type[forms.Form], name: str, *, description: str = "") -> Any:
    field = form_class.base_fields[name]

    def clean(value: str) -> str:
        try:
            return field.clean(value)
        except DjangoValidationError as error:
            raise ValueError(" ".join(str(message) for message in error.messages)) from None

    schema: dict[str, Any] = {}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    if isinstance(field, forms.RegexField):
        pattern = field.regex.pattern
        schema["pattern"] = pattern if field.required else f"^$|{pattern}"
    if isinstance(field, forms.EmailField):
        schema["format"] = "email"
    if field.required:
        schema["minLength"] = 1
    return Annotated[
        str,
        AfterValidator(clean),
        Field(description=description or None, json_schema_extra=schema),
    ]


def input_error(field: str, message, source: tuple = ("body", "payload")) -> ValidationError:
    """A 422 naming one input field, in the API's error shape (ataa.api.v1.errors)."""
    return ValidationError(
        [{"loc": (*source, field), "type": "value_error", "ctx": {"error": str(message)}}]
    )


def city_by_code(code: str, field: str = "city"):
    """The seeded city with this `code` (GET /places/cities), or a 422 on `field`."""
    from django.utils.translation import gettext

    from ataa.core.models import City

    city = City.objects.filter(code=code).first()
    if city is None:
        raise input_error(field, gettext("Choose one of the cities offered."))
    return city

"""Base classes shared by the API's input schemas."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    """Bodies refuse fields they do not know: a misspelt field is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid")


class NamedOut(Schema):
    """A taxonomy entry or a place: its stable code and its names in both languages."""

    code: str
    name_ar: str
    name_en: str

"""Volunteer profiles (the caller's own)."""

from ninja import Router

router = Router(tags=["volunteers"])

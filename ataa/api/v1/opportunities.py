"""Opportunities and shifts: public reads, organization-scoped writes."""

from ninja import Router

router = Router(tags=["opportunities"])

from ataa.core.errors import ServiceError


def add_service_error(form, error: ServiceError) -> None:
    """Show a refused service call on the form that asked for it, field by field where it can."""
    if error.fields:
        for field, messages in error.fields.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error.message)

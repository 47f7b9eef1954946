"""flask --app portal event-registrations EVENT: an event's registrations for officers, outside the council pages."""

import click
from flask import current_app
from flask.cli import with_appcontext

from ..exports import registrations as export
from .registrations import Registrations
from ..storage import app_store


@click.command("event-registrations")
@click.argument("event_slug", metavar="EVENT")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of the screen.")
@with_appcontext
def event_registrations(event_slug, file_format, output):
    """Registrations, waiting list, access needs and questions for EVENT (the event file's name, without .md)."""
    content = current_app.extensions["portal.content"]
    event = content.event(event_slug)
    if event is None:
        known = ", ".join(e.slug for e in content.events) or "none"
        raise click.UsageError(f"There is no event called '{event_slug}'. Events: {known}")
    if file_format == "xlsx" and not output:
        raise click.UsageError("Give --output FILE for an XLSX file: it cannot be shown on screen")
    registrations = Registrations(app_store())
    table = export.rows(registrations.everyone(event.slug))
    data = export.to_file(table, file_format, event.slug)
    if output:
        with open(output, "wb") as file:
            file.write(data)
        click.echo(f"Wrote {len(table)} registration{'' if len(table) == 1 else 's'} to {output}", err=True)
    else:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are

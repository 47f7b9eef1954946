"""Read calendar files as other people's software does: Mozilla's ical.js (Thunderbird and others) through Node, and
vobject, a Python parser the portal does not use. Each gives, per event, the instants in UTC and what calendars key on.
"""

import json
import subprocess
from datetime import timezone

from portal.config import PROJECT_ROOT

ICAL_JS = """
import ICAL from "ical.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map((text) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  return calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {uid: event.uid, start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString(),
            sequence: event.sequence, status: vevent.getFirstPropertyValue("status"),
            method: calendar.getFirstPropertyValue("method")};
  });
});
process.stdout.write(JSON.stringify(out));
"""


def _iso(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def read_with_ical_js(*files: bytes) -> list[list[dict]]:
    """Each file's events as ical.js reads them (one Node process for them all)."""
    done = subprocess.run(
        ["node", "--input-type=module", "-e", ICAL_JS],
        cwd=PROJECT_ROOT,
        check=True,
        input=json.dumps([f.decode() for f in files]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def read_with_vobject(data: bytes) -> list[dict]:
    import vobject

    calendar = vobject.readOne(data.decode())
    method = calendar.contents["method"][0].value if "method" in calendar.contents else None
    return [
        {
            "uid": event.uid.value,
            "start": _iso(event.dtstart.value),
            "end": _iso(event.dtend.value),
            "sequence": int(event.sequence.value),
            "status": event.status.value,
            "method": method,
        }
        for event in calendar.contents.get("vevent", [])
    ]


def read_everywhere(data: bytes) -> list[dict]:
    """The events, as both parsers agree on them; fails if they differ on anything."""
    [by_ical_js] = read_with_ical_js(data)
    by_vobject = read_with_vobject(data)
    assert by_ical_js == by_vobject
    return by_vobject

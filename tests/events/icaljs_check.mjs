// Expands an iCalendar feed with ical.js, the parser of Mozilla's Thunderbird, as a calendar client would.
//
//   node tests/events/icaljs_check.mjs 2027-08-02T00:00:00Z < events.ics
//
// Reads the feed from stdin and prints JSON: for each series (a VEVENT without RECURRENCE-ID) its UID and RRULEs
// as ical.js reads them, and every start before the given moment that ICAL.Event's iterator gives (RRULE, RDATE
// and EXDATE), with the STATUS of the RECURRENCE-ID override that replaces it, if any. Timed starts are Unix
// seconds, converted with the feed's own VTIMEZONEs; all-day starts are dates. Exits non-zero when the feed does not
// parse or names a TZID it gives no VTIMEZONE for (RFC 5545, 3.2.19).
import { readFileSync } from "node:fs";

import ICAL from "ical.js";

const before = Date.parse(process.argv[2]) / 1000;
if (Number.isNaN(before)) {
  throw new Error("usage: node icaljs_check.mjs <ISO 8601 moment> < feed.ics");
}
const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const zones = new Set(calendar.getAllSubcomponents("vtimezone").map((zone) => zone.getFirstPropertyValue("tzid")));

function start(time) {
  return time.isDate ? { date: time.toString() } : { timestamp: time.toUnixTime() };
}

const series = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  for (const property of vevent.getAllProperties()) {
    const tzid = property.getParameter("tzid");
    if (tzid && !zones.has(tzid)) {
      throw new Error(`${vevent.getFirstPropertyValue("uid")}: no VTIMEZONE for TZID ${tzid}`);
    }
  }
  if (vevent.hasProperty("recurrence-id")) {
    continue; // ICAL.Event relates each override to its series
  }
  const event = new ICAL.Event(vevent);
  const occurrences = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.toUnixTime() < before; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    occurrences.push({
      ...start(details.startDate),
      status: details.item.component.getFirstPropertyValue("status") || "",
    });
  }
  series.push({
    uid: event.uid,
    rrules: vevent.getAllProperties("rrule").map((rule) => rule.getFirstValue().toJSON()),
    occurrences,
  });
}
process.stdout.write(JSON.stringify(series));

"""The council pages: officers sign in by emailed link, see and triage submissions, download evidence; all audited.

Modules: officers (who may sign in), links (single-use sign-in links), the portal-wide rate limits in functions/limits.py,
sessions (server-side sessions), kept_reviews (a review posted as a session ran out, put back after signing in),
viewer (the viewer's network address), bidi (suppliers' bidi controls kept to themselves on pages), audit (the
write-once log), reviews (review statuses), submissions (reading and listing what suppliers sent), retention
(deleting after configurable periods), notifications (the daily email),
views (the blueprint) and cli (add-officer, disable-officer, purge, notify).
"""

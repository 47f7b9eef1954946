"""Signing in by emailed single-use link, with sessions kept in storage (DESIGN.md decision 13): the one mechanism
behind officers' sign-in (functions/council/) and suppliers' (functions/suppliers/), each under its own prefix.
contacts.py says who may sign in as a supplier; it is here, below both the suppliers' pages and the contracts that
grant it, so that neither folder imports the other both ways."""

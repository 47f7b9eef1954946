"""Signing in by emailed single-use link, with sessions kept in storage (DESIGN.md decision 13): the one mechanism
behind officers' sign-in (functions/council/) and suppliers' (functions/suppliers/), each under its own prefix."""

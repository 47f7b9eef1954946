"""Suppliers' own pages, behind sign-in by emailed single-use link (DESIGN.md decision 13): a contact named on a
contract, or a Charter signatory (functions/signin/contacts.py says who may sign in). web.py holds the blueprint and
its accessors; signin_pages.py signs in and out; pages.py is the supplier's home page, listing what they can do;
contract_pages.py, return_pages.py and evidence_pages.py are a contact's contracts, returns and evidence files."""

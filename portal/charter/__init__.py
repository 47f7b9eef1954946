"""The Social Value Charter's rules, as plain Python: reading the sign-up and yearly update forms, when updates are
due and when a signatory lapses, and what the public register shows. No Flask, storage or functions here."""

"""Early market engagement events: the model and schema of content/events/, calendar files, the registration form,
the static pages and the officers' export. Storage of registrations is in functions/ (places, registrations)."""

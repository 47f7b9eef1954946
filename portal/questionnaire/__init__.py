"""Questionnaires declared in YAML: the model, its schema, progress and readiness, forms and stored records."""

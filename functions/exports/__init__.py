"""What council officers download: submissions as CSV or XLSX, and evidence as ZIPs built in storage.

Columns come from the questionnaire's YAML (columns.py); nothing here lists a question by name.
"""

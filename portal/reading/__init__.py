"""Reading the council's content files: YAML and Markdown with their line numbers, problems that name the file
and line, Markdown made safe HTML, and the marshmallow fields every kind of content shares.

Below every kind of content (the site's in portal/content, questionnaires, events, carbon reduction plan rules),
which each read their own files with it; portal/content's loader then gathers them all.
"""

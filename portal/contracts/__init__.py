"""Contracts after the award: commitments, the reporting schedule, returns, reviews and their summaries.

Plain Python (decision 11): no Flask, boto3 or functions; pages and storage build on this surface.
"""

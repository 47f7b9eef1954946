"""Serverless functions: one Flask blueprint per function, each with its own Lambda entry."""

"""Fictional demo data built through the same services and importers a user's actions go through."""

"""Counting a paragraph's words (`str.split()` tokens) for `max_words` and the scan's tiers.

Splitting builds a string per word, and rules ask for the count of most short paragraphs of
every document. A paragraph as `normalize` leaves it is printable (so its only whitespace is
the plain space: tabs, NBSP and the other spaces are not printable) with single spaces and
nothing at either end: its words are one more than its spaces, counted at C speed.
"""

from __future__ import annotations


def word_count(text: str, limit: int) -> int:
    """`len(text.split())` when it is at most `limit + 1`, else some number above `limit`."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.count(" ") + 1 if text else 0
    return len(text.split(None, limit))

"""Rewrite cleaner/data/stopwords_*.txt, language detection's stored stopword tables,
from the installed jusText's stoplists (needed after a jusText upgrade; a test says so)."""

from cleaner.language import TABLES, write_tables

if __name__ == "__main__":
    write_tables()
    for path in TABLES.values():
        print(f"wrote {path}")

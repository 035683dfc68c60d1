"""cleaner: raw scraped news pages in, clean article bodies out."""

__version__ = "0.1.0"

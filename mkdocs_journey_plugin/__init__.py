"""Customer journey maps as code: journey and persona files become an intranet site."""

__version__ = "0.1.0"

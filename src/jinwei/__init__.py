"""jinwei (进位): a county-level government's platform for its high-quality development drive."""

__version__ = "0.1.0"

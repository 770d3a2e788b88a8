"""spotcheck: the scheduler behind "double random, one public" (双随机、一公开) joint inspections."""

__version__ = "0.1.0"
__all__ = ["__version__"]

"""ASDE, the Air Situation Data Exchange (asyncio, no Django)."""

__version__ = "0.1.0"

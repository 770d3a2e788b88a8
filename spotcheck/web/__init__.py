"""The server-rendered pages, one module per user: ``public``, ``regulator`` (the dashboard), ``inspector``."""

"""The cloud service: aiohttp routes over a SQLite (WAL) store, push to devices, OpenAPI."""

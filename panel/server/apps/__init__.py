"""Server apps (S8): the host (host.py), its routes (routes.py), the built-in apps (builtin.py)."""

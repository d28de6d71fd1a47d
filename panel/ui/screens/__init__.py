"""The touchscreen's screens, one module each (login, home, jobs, scan, fax, compose).

Nothing is imported here: the window imports the login screen before its first paint and
the others when they are first built, after the login screen is on the glass.
"""

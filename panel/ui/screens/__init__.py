"""The touchscreen's screens: login, home, job list."""

from panel.ui.screens.home import HomeScreen
from panel.ui.screens.jobs import JobListScreen
from panel.ui.screens.login import LoginScreen

__all__ = ["HomeScreen", "JobListScreen", "LoginScreen"]

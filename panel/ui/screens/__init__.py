"""The touchscreen's screens: login, home, job list here; scan and fax (screens.scan,
screens.fax) are imported when first opened, after the login screen has painted."""

from panel.ui.screens.home import HomeScreen
from panel.ui.screens.jobs import JobListScreen
from panel.ui.screens.login import LoginScreen

__all__ = ["HomeScreen", "JobListScreen", "LoginScreen"]

"""The touchscreen's screens: login, home, job list, scan, fax."""

from panel.ui.screens.fax import FaxScreen
from panel.ui.screens.home import HomeScreen
from panel.ui.screens.jobs import JobListScreen
from panel.ui.screens.login import LoginScreen
from panel.ui.screens.scan import ScanScreen

__all__ = ["FaxScreen", "HomeScreen", "JobListScreen", "LoginScreen", "ScanScreen"]

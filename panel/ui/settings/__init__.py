"""The administrator's Settings on the panel and the Device information page (issue 19)."""

from panel.ui.settings.controller import SettingsController, install

__all__ = ["SettingsController", "install"]

"""The panel's Qt views: they observe the device core through `DeviceBridge` and call it.

Only this package imports PySide6. Nothing here speaks the wire protocol.
"""

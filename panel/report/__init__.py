"""Bug-report bundles (issue 18): one zip a QA engineer hands to a developer, with the traces,
a screenshot, versions, settings without a secret, the recorded scenario and how to replay it.
Built by the dock's Report button and by `mfp-panel report`; never imports Qt."""

from panel.report.bundle import ReportParts, build_report, default_report_path
from panel.report.redact import REDACTED, redact_settings, stand_in_pins

__all__ = [
    "REDACTED",
    "ReportParts",
    "build_report",
    "default_report_path",
    "redact_settings",
    "stand_in_pins",
]

"""mfp-panel: a multifunction printer's front panel and the cloud service it talks to."""

__version__ = "0.1.0"

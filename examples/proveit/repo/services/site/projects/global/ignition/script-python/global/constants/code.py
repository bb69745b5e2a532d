"""Plant-wide constants shared by every ProveIt project."""

SITE_NAME = "ProveIt 2026"
AREAS = ["Area1", "Area2", "Area3", "Area4"]
OEE_TARGET = 0.85

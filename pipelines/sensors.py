"""Sensors. Each source that watches something appends its sensor to SENSORS."""

SENSORS: list = []

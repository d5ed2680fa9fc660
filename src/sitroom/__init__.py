"""sitroom: a sourced, geolocated, time-resolved picture of a fast-moving crisis, built offline from reports."""

__version__ = "0.1.0"

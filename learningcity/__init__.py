"""Leerstad's learning-city app: portal pages, site settings and the SDG taxonomy."""

"""A small record the tests add to the sample corpus (a new meeting for ingest, reload and
crash tests): one place section with a speakers line and two bullets."""

ISLAND = """Island Services Meeting
Wednesday 3rd of March 2021
Island Practice
Speakers: Nora Example, Director of Island Services
· Ferry timetables make clinic appointments hard to reach for island residents
· Evening clinics on the island are proposed as a pilot for next spring
"""

"""Demo data: a believable program history to explore the platform with (``manage.py demo``).

Nothing in the project imports this app; it reads and writes only through core, people and
programs.
"""

"""Demo data: a believable program history to explore the platform with, loaded by ``manage.py demo``.

Nothing in the project imports this app; it only reads and writes through core, people and programs.
"""

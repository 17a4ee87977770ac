"""Checks for the course's exercises, one module per chapter (``ch04`` for chapter 4, ...).

Each ``check_*`` function raises ``AssertionError`` with a hint when an answer is wrong and
prints a short confirmation when it is right, so a learner can run it in a notebook cell.
"""

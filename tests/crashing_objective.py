"""Objectives for the tests of dead worker processes: importable by name, as spawned workers need.

``crash_at_half`` ends its worker process abruptly (``os._exit``, as a segfault or the kernel's
out-of-memory killer would) for the one configuration x = 0.5 and scores every other one;
``always_crash`` ends its process for every configuration.
"""

import os
import time


def crash_at_half(params):
    if params["x"] == 0.5:
        os._exit(1)
    time.sleep(0.05)
    return (params["x"] - 0.3) ** 2


def always_crash(params):
    os._exit(1)

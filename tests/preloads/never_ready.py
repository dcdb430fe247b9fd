"""A fork-server preload whose import never ends (tests/test_report_processes.py): a server
still warming up when its batch planned no job."""

import time

while True:
    time.sleep(60)

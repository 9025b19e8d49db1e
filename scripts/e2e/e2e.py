#!/usr/bin/env python3
"""Entry point of the harness's host side: the commands are in harness/cli.py (`e2e.py` alone
lists them)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness.cli import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main(sys.argv))

import os
import sys

# `python -m slsreview` puts the current folder first on sys.path; reviewing a checkout that
# contains a click.py or yaml.py must never import it (reviewed code is never executed).
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from slsreview.cli import main

main()

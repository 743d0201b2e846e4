"""``python -m jiangtang …``: the same command line as ``build.py`` (:func:`jiangtang.cli.main`)."""

import sys

from .cli import main

sys.exit(main())

#!/usr/bin/env python3
"""jiangtang（讲堂）命令行：python build.py build|serve|check …（见 README.md）。"""

import sys

from jiangtang.cli import main

if __name__ == "__main__":
    sys.exit(main())

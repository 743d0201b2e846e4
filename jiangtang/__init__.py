"""jiangtang (讲堂): a static-site generator for county theory-learning hubs.

The core (everything in this package except :mod:`jiangtang.plugin`) compiles a
hub folder into pages and never imports MkDocs; :mod:`jiangtang.plugin` hands the
pages to MkDocs.
"""

__version__ = "0.1.0"

"""The egg ``scrapyd-deploy`` builds for Scrapyd; everything it declares is in pyproject.toml.

scrapyd-deploy runs ``python setup.py clean -a`` then ``python setup.py bdist_egg -d TMP``
(and writes a setup.py of its own when the project has none). This one sends setuptools' build
and egg-info directories to a temporary directory removed on exit, so that a deploy leaves the
checkout exactly as it was.
"""

import atexit
import shutil
import tempfile

from setuptools import setup

_work = tempfile.mkdtemp(prefix="blotter-egg-")
atexit.register(shutil.rmtree, _work, ignore_errors=True)
setup(options={"build": {"build_base": f"{_work}/build"}, "egg_info": {"egg_base": _work}})

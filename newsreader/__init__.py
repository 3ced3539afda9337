"""newsreader: a terminal reader for archives of Chinese-language news."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsreader")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0+unknown"

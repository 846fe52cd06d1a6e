"""Production settings for the benchmark's server, with the static files collected into a
temporary folder (portal.settings does not read STATIC_ROOT from the environment yet)."""
import os

from portal.settings import *  # noqa: F401,F403
from portal.settings import STATIC_ROOT as _DEFAULT_STATIC_ROOT

STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT") or os.environ.get("STATIC_ROOT") or _DEFAULT_STATIC_ROOT

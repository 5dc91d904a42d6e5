"""The seed's two sheets live in the package (the demo uses them too)."""

from jichitai.demo.seed_sheets import *  # noqa: F403
from jichitai.demo.seed_sheets import PROCESS, seed_workbook  # noqa: F401

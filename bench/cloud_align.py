"""Median time of the joint-cloud alignment (cloud/rules.py) over 1,741 synthetic members of one category.

Requirement (issue 6, Performance): under 1 s. The rules are pure, so no database is involved: every
municipality of Japan (1,741) gets --systems systems of the category (issue 14: a row per member and system),
each with a contract ending between FY2024 and FY2036, a re-lease allowance of 0–3 years and early
termination for about one in five; about one member in twenty is already in the joint cloud (既加入).
Prints the machine and the median of --repeat runs.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from jichitai.cloud import rules  # noqa: E402

MEMBERS = 1741
LIMIT_SECONDS = 1.0


def members(count: int, systems: int, seed: int) -> list[rules.Member]:
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security
    result = []
    for n in range(count):
        joined = rng.random() < 0.05
        result.extend(rules.Member(f"{n:06d}", rng.randint(2024, 2036), rng.randint(0, 3), rng.random() < 0.2,
                                   f"システム{k}", joined) for k in range(systems))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--systems", type=int, default=3, help="systems of the category per member")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    data = members(args.members, args.systems, seed=6)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        alignment = rules.align(data, 2026)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    paths = {p: sum(1 for a in alignment.members if a.path == p) for p in rules.PATHS}
    years = len(alignment.members[0].phases)
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()} on {platform.system()}")
    print(f"alignment of {args.members} members × {args.systems} systems: median {median * 1000:.1f} ms over "
          f"{args.repeat} runs (start FY{alignment.start_fy}, {years} fiscal years of phases, {paths})")
    print("OK" if median < LIMIT_SECONDS else f"TOO SLOW: limit {LIMIT_SECONDS} s")
    return 0 if median < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

"""`make mutation`: mutmut on each core module, plus hand-written mutants of what mutmut skips.

mutmut 3 leaves module-level code alone (regexes, constants, tables), so `handmade.py` lists
mutants of those lines; each is applied to a copy of the tree and the module's tests run once.
Every run happens in a throwaway copy under var/mutation/, one worker, `nice -n 15`.
Usage: python tools/mutation/run.py [module ...]   (names from modules.py; default: all)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from equivalent import EQUIVALENT  # noqa: E402
from handmade import HANDMADE  # noqa: E402
from modules import ALSO_COPY, PYTEST_ARGS, TARGETS, Target  # noqa: E402

WORK = ROOT / "var" / "mutation"
NICE = ("nice", "-n", "15")
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
HAND_TIMEOUT_S = 600


@dataclass
class Score:
    """One module's figures."""

    module: str
    mutmut_total: int = 0
    mutmut_killed: int = 0
    hand_total: int = 0
    hand_killed: int = 0
    equivalent: list[str] = field(default_factory=list)
    survivors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        counted = self.mutmut_total + self.hand_total - len(self.equivalent)
        return 100.0 * (self.mutmut_killed + self.hand_killed) / counted if counted else 100.0


def _copy_tree(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", "screenshots")
    for name in ("bot", "tests", *ALSO_COPY):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, dest / name)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")


def _toml_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def _mutmut(target: Target, score: Score) -> None:
    work = WORK / target.name / "mutmut"
    _copy_tree(work)
    with (work / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["bot"]\n'
            f"only_mutate = {_toml_list([target.path])}\n"
            f"also_copy = {_toml_list(list(ALSO_COPY))}\n"
            f"pytest_add_cli_args = {_toml_list([*PYTEST_ARGS, *target.pytest_args])}\n"
            f"pytest_add_cli_args_test_selection = {_toml_list(list(target.tests))}\n"
            "use_git_change_detection = false\n"
        )
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    run = subprocess.run(
        [*NICE, mutmut, "run", "--max-children", "1"],
        cwd=work,
        env={**os.environ, **dict(target.env)},
        capture_output=True,
        text=True,
        check=False,
    )
    (work / "run.log").write_text(run.stdout + run.stderr, encoding="utf-8")
    listing = subprocess.run(
        [mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True, check=False
    ).stdout
    prefix = target.path.removesuffix(".py").replace("/", ".") + "."
    statuses = {}
    for line in listing.splitlines():
        name, _, status = line.strip().partition(": ")
        if name.startswith(prefix):
            statuses[name] = status.strip()
    if not statuses:
        raise SystemExit(f"{target.name}: mutmut produced no mutants; see {work / 'run.log'}")
    score.mutmut_total = len(statuses)
    score.mutmut_killed = sum(status in KILLED for status in statuses.values())
    alive = sorted(name for name, status in statuses.items() if status not in KILLED)
    shown = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("show.py"))],
        cwd=work,
        input="\n".join(alive),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    diffs = json.loads(shown) if alive else {}
    for name in alive:
        changed = _changed_lines(diffs[name])
        reason = EQUIVALENT.get(target.name, {}).get(changed)
        if reason:
            score.equivalent.append(f"{name} [{changed}]: {reason}")
        else:
            score.survivors.append(f"{name} ({statuses[name]}): {changed}")


def _changed_lines(diff: str) -> str:
    """The mutant's changed lines, `-old | +new`, whitespace squeezed: its stable key."""
    lines = [
        " ".join(line.split())
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return " | ".join(lines)


def _handmade(target: Target, score: Score) -> None:
    mutants = HANDMADE.get(target.name, ())
    if not mutants:
        return
    work = WORK / target.name / "hand"
    _copy_tree(work)
    module = work / target.path
    original = module.read_text(encoding="utf-8")
    for label, old, new in mutants:
        if original.count(old) != 1:
            raise SystemExit(
                f"{target.name}: hand mutant {label!r}: {old!r} found {original.count(old)}x"
            )
        module.write_text(original.replace(old, new), encoding="utf-8")
        try:
            run = subprocess.run(
                [*NICE, sys.executable, "-m", "pytest", "-x", *PYTEST_ARGS, *target.pytest_args]
                + list(target.tests),
                cwd=work,
                env={**os.environ, **dict(target.env)},
                capture_output=True,
                text=True,
                timeout=HAND_TIMEOUT_S,
                check=False,
            )
            killed = run.returncode not in (0, 5)
        except subprocess.TimeoutExpired:
            killed = True
        finally:
            module.write_text(original, encoding="utf-8")
        score.hand_total += 1
        score.hand_killed += killed
        if not killed:
            score.survivors.append(f"hand: {label}: {old!r} -> {new!r}")


def main(names: list[str]) -> int:
    known = {t.name: t for t in TARGETS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown modules {unknown}; known: {', '.join(known)}")
    chosen = [known[n] for n in names] if names else list(TARGETS)
    WORK.mkdir(parents=True, exist_ok=True)
    scores = []
    for target in chosen:
        began = time.monotonic()
        score = Score(target.path)
        _mutmut(target, score)
        _handmade(target, score)
        score.seconds = round(time.monotonic() - began, 1)
        scores.append(score)
        _print(score)
    print("\nmodule                          mutmut   hand    equiv  score   time")
    for s in scores:
        mutmut = f"{s.mutmut_killed:>3}/{s.mutmut_total:<3}"
        hand = f"{s.hand_killed:>2}/{s.hand_total:<3}"
        print(
            f"{s.module:30}  {mutmut}  {hand}  {len(s.equivalent):>4}  {s.score:5.1f} %"
            f"  {s.seconds:.0f} s"
        )
    report = [asdict(s) | {"score": round(s.score, 1)} for s in scores]
    (WORK / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0 if all(s.score >= 90.0 for s in scores) else 1


def _print(score: Score) -> None:
    print(f"\n== {score.module}: {score.score:.1f} % ({score.seconds:.0f} s)", flush=True)
    for line in score.survivors:
        print(f"  survived: {line}")
    for line in score.equivalent:
        print(f"  equivalent: {line}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
